/**
 * Chapters from the mix timeline: one per script segment (intro, each story by its title, outro),
 * starting at the segment's first clip, in the Podcasting 2.0 JSON chapters format
 * (https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md#chapters).
 */
import type { ClipTiming, Script, StorySummary } from '../shared/content-types';
import { FatalStageError } from '../shared/errors';
import type { NotesPhrases } from './notes-phrases';
import { collapseWhitespace, safeHttpUrl } from './text-format';

export type ChapterKind = 'intro' | 'story' | 'outro';

export interface Chapter {
  segmentId: string;
  kind: ChapterKind;
  title: string;
  startMs: number;
  storyId?: string;
  sourceName?: string;
  /** The story's link, only when it is an http(s) URL. */
  url?: string;
}

/** The chapter titles that are not a story's title, in the podcast's language (notes-phrases.ts). */
export type ChapterTitles = Pick<NotesPhrases, 'introTitle' | 'outroTitle' | 'segmentTitle'>;

export interface PodcastChaptersDocument {
  version: '1.2.0';
  chapters: { startTime: number; title: string; url?: string }[];
}

interface SegmentSpan {
  segmentId: string;
  startMs: number;
}

/** Segments in playing order, each with the start of its first clip. */
function segmentSpans(timeline: readonly ClipTiming[]): SegmentSpan[] {
  const spans = new Map<string, SegmentSpan>();
  for (const clip of timeline) {
    const span = spans.get(clip.segmentId);
    if (!span) spans.set(clip.segmentId, { segmentId: clip.segmentId, startMs: clip.startMs });
    else span.startMs = Math.min(span.startMs, clip.startMs);
  }
  return [...spans.values()].sort((a, b) => a.startMs - b.startMs);
}

/** The story a segment talks about: its id, or the story its turns cite most (first cited wins ties). */
function storyOfSegment(
  segmentId: string,
  script: Script,
  known: ReadonlyMap<string, StorySummary>
): string | undefined {
  if (known.has(segmentId)) return segmentId;
  const counts = new Map<string, number>();
  for (const turn of script.turns) {
    if (turn.segmentId !== segmentId) continue;
    for (const id of turn.sourceIds) if (known.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [id, count] of counts) {
    if (count > bestCount) {
      best = id;
      bestCount = count;
    }
  }
  return best;
}

function humanize(segmentId: string, titles: ChapterTitles): string {
  const words = segmentId.replace(/[-_]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : titles.segmentTitle;
}

function storyChapter(span: SegmentSpan, summary: StorySummary, titles: ChapterTitles): Chapter {
  const url = safeHttpUrl(summary.url);
  return {
    segmentId: span.segmentId,
    kind: 'story',
    title: collapseWhitespace(summary.title) || humanize(span.segmentId, titles),
    startMs: span.startMs,
    storyId: summary.storyId,
    sourceName: collapseWhitespace(summary.sourceName),
    ...(url ? { url } : {}),
  };
}

/**
 * One chapter per segment of the timeline. A segment is a story when its id is a story id or its
 * turns cite a story; an uncited first segment is the intro and an uncited last one the outro; an
 * uncited segment in between takes the best-ranked story no other segment claimed. The intro,
 * outro and unnamed segments take their titles from `titles`, the podcast language's.
 */
export function buildChapters(
  timeline: readonly ClipTiming[],
  script: Script,
  summaries: readonly StorySummary[],
  titles: ChapterTitles
): Chapter[] {
  if (timeline.length === 0)
    throw new FatalStageError('the mix timeline has no clips: nothing to build chapters from');
  const known = new Map(summaries.map((s) => [s.storyId, s]));
  const spans = segmentSpans(timeline);
  const resolved = spans.map((span) => storyOfSegment(span.segmentId, script, known));
  const claimed = new Set(resolved.filter((id): id is string => id !== undefined));
  const unclaimed = summaries.filter((s) => !claimed.has(s.storyId));

  return spans.map((span, i) => {
    const storyId = resolved[i];
    const summary = storyId === undefined ? undefined : known.get(storyId);
    if (summary) return storyChapter(span, summary, titles);
    if (i === 0)
      return { segmentId: span.segmentId, kind: 'intro', title: titles.introTitle, startMs: span.startMs };
    if (i === spans.length - 1)
      return { segmentId: span.segmentId, kind: 'outro', title: titles.outroTitle, startMs: span.startMs };
    const fallback = unclaimed.shift();
    if (fallback) return storyChapter(span, fallback, titles);
    return {
      segmentId: span.segmentId,
      kind: 'story',
      title: humanize(span.segmentId, titles),
      startMs: span.startMs,
    };
  });
}

/** Seconds with millisecond precision (no float noise such as 12.300000000000001). */
export function toSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}

export function toPodcastChapters(chapters: readonly Chapter[]): PodcastChaptersDocument {
  return {
    version: '1.2.0',
    chapters: chapters.map((c) => ({
      startTime: toSeconds(c.startMs),
      title: c.title,
      ...(c.url ? { url: c.url } : {}),
    })),
  };
}
