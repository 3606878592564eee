/**
 * Small text helpers for the publishing stages: HTML/Markdown escaping of source text, link
 * vetting, clock formatting and host display names (lists joined in prose live in notes-phrases.ts). Everything that comes from a source feed or
 * a provider goes through one of these before it lands in HTML or Markdown.
 */
import type { PodcastConfig } from '../shared/config-schema';

export { safeHttpUrl } from '../shared/http-links';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and (double- or single-quoted) attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Characters that carry meaning in CommonMark inline text. */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#+!|~&]/g;

/** Escapes text for Markdown inline content (a title cannot become a link, tag or emphasis). */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/** Collapses runs of whitespace (including newlines) to single spaces and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `mm:ss` (minutes keep counting past 59: an hour-long episode ends at 60:00). */
export function formatClock(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

/**
 * Resolves a script/timeline speaker (a host id, or already a display name) to the host's name;
 * an unknown speaker keeps its own label.
 */
export function speakerNamer(podcast: Pick<PodcastConfig, 'hosts'>): (speaker: string) => string {
  const byId = new Map(podcast.hosts.map((host) => [host.id, host.name]));
  const byName = new Map(podcast.hosts.map((host) => [host.name.toLowerCase(), host.name]));
  return (speaker) => byId.get(speaker) ?? byName.get(speaker.toLowerCase()) ?? speaker;
}

/**
 * Cuts text to at most `maxChars` at a word boundary, adding an ellipsis when something was cut.
 */
export function truncateWords(text: string, maxChars: number): string {
  const clean = collapseWhitespace(text);
  if (clean.length <= maxChars) return clean;
  const cut = clean.slice(0, maxChars - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > maxChars / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}
