/**
 * The episode plan: an intro, one segment per story (words shared by summary length and rank),
 * and an outro, adding up to the target length. Titles (the chapters') are in the podcast's
 * language; a title made of story titles keeps theirs.
 */
import type { Outline, OutlineSegment, StorySummary } from '../../content-types';
import { type SpokenForms, spokenForms } from './spoken-forms';

/** Share of the episode for the intro and the outro, and their floors in words. */
const INTRO_SHARE = 0.09;
const OUTRO_SHARE = 0.07;
const INTRO_MIN_WORDS = 30;
const OUTRO_MIN_WORDS = 25;
/** Each rank down weighs a story this much less. */
const RANK_DECAY = 0.12;
const STORY_MIN_WORDS = 40;

export function buildOutline(
  summaries: readonly StorySummary[],
  targetWords: number,
  title?: string,
  language = 'en-us'
): Outline {
  const forms = spokenForms(language);
  const introWords = Math.max(INTRO_MIN_WORDS, Math.round(targetWords * INTRO_SHARE));
  const outroWords = Math.max(OUTRO_MIN_WORDS, Math.round(targetWords * OUTRO_SHARE));
  const storyWords = Math.max(STORY_MIN_WORDS * summaries.length, targetWords - introWords - outroWords);

  const weights = summaries.map((s, rank) => Math.sqrt(Math.max(1, s.wordCount)) / (1 + RANK_DECAY * rank));
  const total = weights.reduce((sum, w) => sum + w, 0) || 1;
  const storySegments: OutlineSegment[] = summaries.map((summary, i) => ({
    id: `story-${i + 1}`,
    kind: 'story',
    title: summary.title,
    storyId: summary.storyId,
    targetWords: Math.max(STORY_MIN_WORDS, Math.round((storyWords * (weights[i] ?? 0)) / total)),
  }));

  const segments: OutlineSegment[] = [
    { id: 'intro', kind: 'intro', title: forms.introTitle, targetWords: introWords },
    ...storySegments,
    { id: 'outro', kind: 'outro', title: forms.outroTitle, targetWords: outroWords },
  ];
  return { episodeTitle: title?.trim() || episodeTitleFrom(summaries, forms), targetWords, segments };
}

/** "Halvorsen unveils Tern, QuillMQ moves to a source-available license and more" from the top story titles. */
export function episodeTitleFrom(
  summaries: readonly StorySummary[],
  forms: SpokenForms = spokenForms('en')
): string {
  const heads = summaries.slice(0, 2).map((s) => shortTitle(s.title));
  const [first, second] = heads;
  if (!first) return forms.fallbackTitle;
  if (summaries.length === 1 || !second) return first;
  const next = lowerArticle(second, forms.articles);
  return summaries.length === 2 ? forms.titleOfTwo(first, next) : forms.titleOfMore(first, next);
}

/** The headline's main clause: the part before a colon, dash or comma when that part is meaningful. */
export function shortTitle(title: string): string {
  const main = title.split(/\s*[:|,;]\s+|\s+[—–-]\s+/)[0]?.trim() ?? title;
  const chosen = main.split(/\s+/).length >= 3 ? main : title.trim();
  return chosen.replace(/[.!?]+$/, '');
}

/** Lower-cases a leading article ("The") but never a name or an acronym. */
function lowerArticle(text: string, articles: RegExp): string {
  const first = text.split(/\s+/)[0] ?? '';
  return articles.test(first) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
