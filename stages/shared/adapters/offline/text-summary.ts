/**
 * Extractive summaries: score every sentence of a story by term frequency, overlap with the title
 * and position, pick the best within a word budget and keep them in the story's order.
 */
import type { ScrapedStory, StorySummary } from '../../content-types';
import { splitSentences, wordCount } from './text-sentences';
import { contentTerms, termFrequencies } from './text-terms';

export interface SummaryBudget {
  /** Words the picked sentences should add up to (the last one may overshoot). */
  words: number;
  minSentences: number;
  maxSentences: number;
}

export interface ScoredSentence {
  index: number;
  text: string;
  words: number;
  score: number;
}

/** Sentences that lean on the one before them read badly out of context. */
const DANGLING_START =
  /^(but|and|or|so|also|however|still|yet|meanwhile|instead|this|that|these|those|it|its|they|he|she|his|her|their|there|such)\b/i;

/** Sentences shorter or longer than this make poor spoken lines. */
const MIN_WORDS = 6;
const MAX_WORDS = 48;

export function scoreSentences(
  story: Pick<ScrapedStory, 'title' | 'text'>,
  bannedPhrases: readonly string[] = []
): ScoredSentence[] {
  const sentences = splitSentences(story.text);
  const frequencies = termFrequencies(sentences.map((s) => s.text));
  const top = Math.max(1, ...frequencies.values());
  const titleTerms = new Set(contentTerms(story.title));
  const banned = bannedPhrases.map((p) => p.toLowerCase());

  return sentences.map((sentence, index) => {
    const text = sentence.text;
    const terms = contentTerms(text);
    const words = wordCount(text);
    const unique = [...new Set(terms)];
    const tf =
      unique.reduce((sum, term) => sum + (frequencies.get(term) ?? 0) / top, 0) /
      Math.sqrt(Math.max(1, unique.length));
    const titleOverlap =
      titleTerms.size === 0 ? 0 : unique.filter((t) => titleTerms.has(t)).length / titleTerms.size;
    const position = 1 / (1 + index * 0.35) + (sentence.paragraph === 0 ? 0.2 : 0);
    const hasFigure = /\d/.test(text) ? 0.1 : 0;
    let score = tf + 1.2 * titleOverlap + 0.6 * position + hasFigure;
    if (words < MIN_WORDS || words > MAX_WORDS) score *= 0.3;
    if (DANGLING_START.test(text)) score *= 0.6;
    if (!/[.!?]["'”’)]*$/.test(text)) score = words < MIN_WORDS ? 0 : score * 0.5; // a heading (never spoken) or a fragment
    if (banned.some((phrase) => text.toLowerCase().includes(phrase))) score = 0;
    return { index, text, words, score: Math.round(score * 1e6) / 1e6 };
  });
}

/** The best sentences within the budget, back in story order. */
export function pickSentences(scored: readonly ScoredSentence[], budget: SummaryBudget): ScoredSentence[] {
  const ranked = [...scored]
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const picked: ScoredSentence[] = [];
  let words = 0;
  for (const sentence of ranked) {
    if (picked.length >= budget.maxSentences) break;
    if (picked.length >= budget.minSentences && words >= budget.words) break;
    // Past the minimum, skip a sentence that would blow the budget by more than half of itself.
    if (picked.length >= budget.minSentences && words + sentence.words > budget.words + sentence.words / 2)
      continue;
    picked.push(sentence);
    words += sentence.words;
  }
  return picked.sort((a, b) => a.index - b.index);
}

/** Key points are at most this many words. */
const KEY_POINT_MAX_WORDS = 24;

/**
 * Up to three key points, best first: the best picked sentences, whole when short, else cut at a
 * clause boundary; short self-contained sentences of the story fill in when fewer were picked.
 */
export function keyPoints(
  scored: readonly ScoredSentence[],
  picked: readonly ScoredSentence[],
  count = 3
): string[] {
  const byScore = (list: readonly ScoredSentence[]) =>
    [...list].filter((s) => s.score > 0).sort((a, b) => b.score - a.score || a.index - b.index);
  const points = byScore(picked)
    .slice(0, count)
    .map((s) => clip(s.text, KEY_POINT_MAX_WORDS));
  const taken = new Set(picked.map((s) => s.index));
  for (const sentence of byScore(scored)) {
    if (points.length >= count) break;
    if (taken.has(sentence.index) || sentence.words > KEY_POINT_MAX_WORDS || sentence.words < MIN_WORDS)
      continue;
    if (/["“”]/.test(sentence.text) || DANGLING_START.test(sentence.text)) continue;
    points.push(stripEnd(sentence.text));
  }
  return points;
}

/** The sentence cut at its last comma-clause within maxWords (at least 10 words in), else at a word. */
export function clip(sentence: string, maxWords: number): string {
  const bare = stripEnd(sentence);
  const tokens = bare.split(/\s+/);
  if (tokens.length <= maxWords) return bare;
  for (let end = maxWords; end >= 10; end--) {
    const token = tokens[end - 1] ?? '';
    if (/[,;:]$/.test(token))
      return tokens
        .slice(0, end)
        .join(' ')
        .replace(/[,;:]$/, '');
  }
  return `${tokens
    .slice(0, maxWords - 1)
    .join(' ')
    .replace(/[,;:]$/, '')}…`;
}

function stripEnd(sentence: string): string {
  return sentence.replace(/[.!?]+["'”’)]*$/, '').trim();
}

export function summarizeStory(
  story: ScrapedStory,
  budget: SummaryBudget,
  bannedPhrases: readonly string[] = []
): StorySummary {
  const scored = scoreSentences(story, bannedPhrases);
  const picked = pickSentences(scored, budget);
  const sentences = picked.map((s) => s.text);
  return {
    storyId: story.id,
    title: story.title,
    sourceName: story.sourceName,
    url: story.url,
    sentences,
    keyPoints: keyPoints(scored, picked),
    wordCount: sentences.reduce((sum, s) => sum + wordCount(s), 0),
  };
}

/**
 * Words per story summary: half again the words the length plan gives a story, so the writer has
 * facts to spare when fitting the script to the duration (at least 60).
 */
export function summaryBudget(plannedStoryWords: number): SummaryBudget {
  const words = Math.round(Math.max(60, plannedStoryWords * 1.5));
  return { words, minSentences: 3, maxSentences: Math.max(5, Math.ceil(words / 15) + 1) };
}
