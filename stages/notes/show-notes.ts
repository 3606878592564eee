/**
 * Show notes, in the podcast's language (notes-phrases.ts): an episode summary paragraph, the
 * stories with their source and link, and the chapter timestamps, rendered as Markdown, as an HTML fragment (the feed's content:encoded) and
 * as plain text (the feed's description). Source text is escaped for each format; links are only
 * published when they are http(s).
 */
import type { StorySummary } from '../shared/content-types';
import type { Chapter } from './chapters';
import { notesPhrases } from './notes-phrases';
import {
  collapseWhitespace,
  escapeHtml,
  escapeMarkdown,
  formatClock,
  safeHttpUrl,
  truncateWords,
} from './text-format';

/** Apple and most directories cut descriptions at 4000 characters. */
export const MAX_DESCRIPTION_CHARS = 4000;
const MAX_KEY_POINT_CHARS = 220;

export interface ShowNotesStory {
  title: string;
  sourceName: string;
  url?: string;
  keyPoint?: string;
}

/** The fixed words of the rendered notes, in the podcast's language (notes-phrases.ts). */
export interface ShowNotesHeadings {
  stories: string;
  chapters: string;
  /** The story list's label in the plain-text description. */
  storiesLabel: string;
}

export interface ShowNotesModel {
  episodeTitle: string;
  summary: string;
  headings: ShowNotesHeadings;
  stories: ShowNotesStory[];
  chapters: { clock: string; title: string }[];
}

export interface ShowNotesInput {
  podcastTitle: string;
  episodeTitle: string;
  date: string;
  /** The podcast's language tag ("en-us", "de"): the summary's and headings' language. */
  language: string;
  hostNames: string[];
  summaries: readonly StorySummary[];
  chapters: readonly Chapter[];
}

export function buildShowNotesModel(input: ShowNotesInput): ShowNotesModel {
  const phrases = notesPhrases(input.language);
  const stories = input.summaries.map((summary): ShowNotesStory => {
    const url = safeHttpUrl(summary.url);
    const point = summary.keyPoints[0] ?? summary.sentences[0];
    return {
      title: collapseWhitespace(summary.title),
      sourceName: collapseWhitespace(summary.sourceName),
      ...(url ? { url } : {}),
      ...(point && collapseWhitespace(point) ? { keyPoint: truncateWords(point, MAX_KEY_POINT_CHARS) } : {}),
    };
  });
  return {
    episodeTitle: collapseWhitespace(input.episodeTitle),
    summary: phrases.summary({
      podcast: collapseWhitespace(input.podcastTitle),
      date: input.date,
      hostNames: input.hostNames.map(collapseWhitespace),
      storyTitles: stories.map((s) => s.title),
    }),
    headings: {
      stories: phrases.storiesHeading,
      chapters: phrases.chaptersHeading,
      storiesLabel: phrases.storiesLabel,
    },
    stories,
    chapters: input.chapters.map((c) => ({
      clock: formatClock(c.startMs),
      title: collapseWhitespace(c.title),
    })),
  };
}

/** A URL as a Markdown link destination: parentheses would end it early. */
function markdownDestination(url: string): string {
  return url.replace(/\(/g, '%28').replace(/\)/g, '%29');
}

export function renderMarkdown(model: ShowNotesModel): string {
  const lines = [`# ${escapeMarkdown(model.episodeTitle)}`, '', escapeMarkdown(model.summary), ''];
  if (model.stories.length > 0) {
    lines.push(`## ${escapeMarkdown(model.headings.stories)}`, '');
    for (const story of model.stories) {
      const title = escapeMarkdown(story.title);
      const linked = story.url ? `[${title}](${markdownDestination(story.url)})` : title;
      lines.push(`- ${linked} (${escapeMarkdown(story.sourceName)})`);
      if (story.keyPoint) lines.push(`  ${escapeMarkdown(story.keyPoint)}`);
    }
    lines.push('');
  }
  if (model.chapters.length > 0) {
    lines.push(`## ${escapeMarkdown(model.headings.chapters)}`, '');
    for (const chapter of model.chapters) lines.push(`- ${chapter.clock} ${escapeMarkdown(chapter.title)}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** An HTML fragment (no document wrapper): it is embedded in the feed and the episode record. */
export function renderHtml(model: ShowNotesModel): string {
  const parts = [`<p>${escapeHtml(model.summary)}</p>`];
  if (model.stories.length > 0) {
    parts.push(`<h2>${escapeHtml(model.headings.stories)}</h2>`, '<ul>');
    for (const story of model.stories) {
      const title = escapeHtml(story.title);
      const linked = story.url
        ? `<a href="${escapeHtml(story.url)}" rel="nofollow noopener">${title}</a>`
        : title;
      const point = story.keyPoint ? `<br>${escapeHtml(story.keyPoint)}` : '';
      parts.push(`<li>${linked} (${escapeHtml(story.sourceName)})${point}</li>`);
    }
    parts.push('</ul>');
  }
  if (model.chapters.length > 0) {
    parts.push(`<h2>${escapeHtml(model.headings.chapters)}</h2>`, '<ul>');
    for (const chapter of model.chapters)
      parts.push(`<li>${chapter.clock} ${escapeHtml(chapter.title)}</li>`);
    parts.push('</ul>');
  }
  return `${parts.join('\n')}\n`;
}

/** Plain text for the feed's description: the summary, then one line per story. */
export function renderDescription(model: ShowNotesModel): string {
  const lines = [model.summary];
  if (model.stories.length > 0) {
    lines.push('', model.headings.storiesLabel);
    for (const story of model.stories)
      lines.push(`- ${story.title} (${story.sourceName})${story.url ? ` ${story.url}` : ''}`);
  }
  const text = lines.join('\n');
  return text.length <= MAX_DESCRIPTION_CHARS
    ? text
    : `${text.slice(0, MAX_DESCRIPTION_CHARS - 1).trimEnd()}…`;
}
