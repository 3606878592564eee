/**
 * The episode transcript as WebVTT (https://www.w3.org/TR/webvtt1/): one or more cues per clip,
 * with `<v Speaker>` voice tags. A long turn is split into cues of at most two lines of about 42
 * characters, and the clip's time is shared between its cues in proportion to their length.
 */
import type { ClipTiming } from '../shared/content-types';
import { collapseWhitespace } from './text-format';

export const MAX_LINE_CHARS = 42;
export const MAX_CUE_LINES = 2;

/** `HH:MM:SS.mmm`, the WebVTT timestamp with hours always present. */
export function formatVttTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const millis = total % 1000;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(millis, 3)}`;
}

/** Escapes cue text: `&`, `<` and `>` are markup in WebVTT (and `-->` can then never appear). */
export function escapeVttText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Word-wraps text into lines of at most `maxLineChars` (a longer single word keeps its own line). */
export function wrapLines(text: string, maxLineChars = MAX_LINE_CHARS): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of collapseWhitespace(text).split(' ')) {
    if (!word) continue;
    if (!line) line = word;
    else if (line.length + 1 + word.length <= maxLineChars) line = `${line} ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Splits a turn's text into cue texts of at most `maxLines` wrapped lines each. */
export function splitCueText(
  text: string,
  maxLineChars = MAX_LINE_CHARS,
  maxLines = MAX_CUE_LINES
): string[][] {
  const lines = wrapLines(text, maxLineChars);
  const naive: string[][] = [];
  for (let i = 0; i < lines.length; i += maxLines) naive.push(lines.slice(i, i + maxLines));
  if (naive.length < 2) return naive;
  // Same number of cues, but words spread evenly across them, so a turn never ends in a
  // one-word cue flashing by; kept only when every cue still fits in maxLines lines.
  const words = text.split(/\s+/).filter(Boolean);
  const target = words.join(' ').length / naive.length;
  const chunks: string[][] = [[]];
  let length = 0;
  for (const word of words) {
    const current = chunks[chunks.length - 1] as string[];
    if (current.length > 0 && length + word.length > target && chunks.length < naive.length) {
      chunks.push([word]);
      length = word.length + 1;
    } else {
      current.push(word);
      length += word.length + 1;
    }
  }
  const balanced = chunks.map((chunk) => wrapLines(chunk.join(' '), maxLineChars));
  return balanced.every((cue) => cue.length <= maxLines) ? balanced : naive;
}

export interface TranscriptCue {
  startMs: number;
  endMs: number;
  speaker: string;
  lines: string[];
}

/** Shares [startMs, endMs] between the parts by their character counts; the last part ends at endMs. */
function proportionalCues(clip: ClipTiming, speaker: string, parts: string[][]): TranscriptCue[] {
  const weights = parts.map((lines) => lines.join(' ').length);
  const total = weights.reduce((sum, w) => sum + w, 0) || 1;
  const duration = clip.endMs - clip.startMs;
  const cues: TranscriptCue[] = [];
  let consumed = 0;
  let start = clip.startMs;
  for (const [i, lines] of parts.entries()) {
    consumed += weights[i] ?? 0;
    const end =
      i === parts.length - 1 ? clip.endMs : clip.startMs + Math.round((duration * consumed) / total);
    cues.push({ startMs: start, endMs: end, speaker, lines });
    start = end;
  }
  return cues;
}

/** The cues of a timeline, in playing order; clips with no text give no cue. */
export function transcriptCues(
  timeline: readonly ClipTiming[],
  nameOf: (speaker: string) => string
): TranscriptCue[] {
  const cues: TranscriptCue[] = [];
  for (const clip of timeline) {
    const parts = splitCueText(clip.text);
    if (parts.length === 0) continue;
    cues.push(...proportionalCues(clip, collapseWhitespace(nameOf(clip.speaker)), parts));
  }
  return cues;
}

/** The WebVTT document: header, then numbered cues separated by blank lines. */
export function renderWebVtt(timeline: readonly ClipTiming[], nameOf: (speaker: string) => string): string {
  const blocks = transcriptCues(timeline, nameOf).map((cue, i) => {
    const text = cue.lines.map(escapeVttText).join('\n');
    return `${i + 1}\n${formatVttTime(cue.startMs)} --> ${formatVttTime(cue.endMs)}\n<v ${escapeVttText(cue.speaker)}>${text}`;
  });
  return `WEBVTT\n\n${blocks.map((block) => `${block}\n\n`).join('')}`;
}
