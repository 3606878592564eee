/**
 * The length plan: how a target duration becomes words, and how long a script will last once
 * spoken and mixed. Pure. Speech is each turn's words at its host's measured rate
 * (speaking-rates.ts; a sentence in English at the host's English rate); the mix adds the intro
 * and outro beds and a pause after every turn (mix-timing.ts). Outline, the offline writer,
 * review and the config schema all use it, so a planned script passes review and the schema
 * refuses what cannot fit.
 */
import type { PodcastConfig } from './config-schema';
import { type LanguageCode, languageOf } from './languages';
import { MIX_TIMING } from './mix-timing';
import { type HostRate, countSpokenWords, hostRates, isEnglishText, sentencesOf } from './speaking-rates';
import { countWords } from '../scrape/html-text';

/** The promise: the episode's audio lasts targetMinutes, within this fraction either way. */
export const LENGTH_TOLERANCE = 0.1;
/** What review allows the estimate to stray (the rest of LENGTH_TOLERANCE covers estimate error). */
export const REVIEW_TOLERANCE = 0.07;
/** What the offline writer aims for. */
export const FIT_TOLERANCE = 0.03;
/** The shortest story: a lead-in with one (short) fact and a wrap-up line. */
export const MIN_STORY_WORDS = 36;
/** The longest a story segment runs: about what one article of 500 words gives. */
export const MAX_STORY_SECONDS = 180;
/** The least an intro and an outro say (a brief welcome, a brief close and sign-off). */
export const MIN_FRAME_WORDS = 34;
/** Average words per turn, for estimating pauses before a script exists. */
const WORDS_PER_TURN = 18;
/** Sentences in a planned turn (the offline writer's turns have one or two). */
const SENTENCES_PER_TURN = 1.5;

type Turn = { speaker: string; text: string; segmentId: string };

export interface LengthPlan {
  targetSeconds: number;
  language: LanguageCode;
  rates: ReadonlyMap<string, HostRate>;
  /** The hosts' mean rate for text in the podcast's language. */
  meanRate: number;
  /** The hosts' mean pause per sentence. */
  meanSentenceSeconds: number;
}

export function lengthPlan(
  podcast: Pick<PodcastConfig, 'language' | 'hosts' | 'providers' | 'targetMinutes'>
): LengthPlan {
  const rates = hostRates(podcast);
  const own = [...rates.values()].map((r) => r.own);
  return {
    targetSeconds: podcast.targetMinutes * 60,
    language: languageOf(podcast.language).code,
    rates,
    meanRate: own.reduce((sum, r) => sum + r, 0) / Math.max(1, own.length),
    meanSentenceSeconds:
      [...rates.values()].reduce((sum, r) => sum + r.sentenceSeconds, 0) / Math.max(1, rates.size),
  };
}

const BEDS_SECONDS = (MIX_TIMING.introMs + MIX_TIMING.outroMs) / 1000;

/** Seconds of one turn's clip by `speaker`: each sentence at the host's rate for its language, and its pause. */
export function speechSeconds(text: string, speaker: string, plan: LengthPlan): number {
  const rate = plan.rates.get(speaker) ?? {
    own: plan.meanRate,
    en: plan.meanRate,
    sentenceSeconds: plan.meanSentenceSeconds,
  };
  return sentencesOf(text).reduce(
    (sum, s) =>
      sum +
      countSpokenWords(s) / (isEnglishText(s, plan.language) ? rate.en : rate.own) +
      rate.sentenceSeconds,
    0
  );
}

/** Seconds of silence the mix puts after each turn (as stages/mix pausesAfter does). */
export function pauseSeconds(turns: readonly Pick<Turn, 'segmentId'>[]): number {
  return turns.reduce((sum, turn, i) => {
    const next = turns[i + 1];
    const ms = next && next.segmentId === turn.segmentId ? MIX_TIMING.turnPauseMs : MIX_TIMING.segmentPauseMs;
    return sum + ms / 1000;
  }, 0);
}

/** How long the mixed episode of these turns lasts: beds, speech and pauses. */
export function estimateSeconds(turns: readonly Turn[], plan: LengthPlan): number {
  const speech = turns.reduce((sum, t) => sum + speechSeconds(t.text, t.speaker, plan), 0);
  return BEDS_SECONDS + speech + pauseSeconds(turns);
}

/** Words that fill `seconds` of the episode in `segments` segments (beds and pauses taken out). */
export function wordsForSeconds(seconds: number, segments: number, plan: LengthPlan): number {
  const speech =
    (seconds - BEDS_SECONDS - (segments * MIX_TIMING.segmentPauseMs) / 1000) /
    (1 +
      (plan.meanRate * (MIX_TIMING.turnPauseMs / 1000 + SENTENCES_PER_TURN * plan.meanSentenceSeconds)) /
        WORDS_PER_TURN);
  return Math.max(0, Math.round(speech * plan.meanRate));
}

/** The spoken words the whole episode is planned at (intro, stories and outro). */
export function plannedWords(plan: LengthPlan, stories: number): number {
  return wordsForSeconds(plan.targetSeconds, stories + 2, plan);
}

/** Seconds a story of `words` words in `turns` turns takes (with its pauses). */
function storySeconds(words: number, turns: number, plan: LengthPlan): number {
  return (
    words / plan.meanRate +
    turns * SENTENCES_PER_TURN * plan.meanSentenceSeconds +
    ((turns - 1) * MIX_TIMING.turnPauseMs + MIX_TIMING.segmentPauseMs) / 1000
  );
}

/** The shortest episode of `stories` stories, and the longest. */
export function lengthRange(plan: LengthPlan, stories: number): { min: number; max: number } {
  const frame = BEDS_SECONDS + storySeconds(MIN_FRAME_WORDS, 3, plan);
  return {
    min: frame + stories * storySeconds(MIN_STORY_WORDS, 2, plan),
    max: frame + stories * MAX_STORY_SECONDS,
  };
}

/** How many of `available` ranked stories fit the target (at least `minStories`, if there are that many). */
export function storiesThatFit(plan: LengthPlan, available: number, minStories: number): number {
  let n = Math.min(available, Math.max(1, minStories));
  // A story is worth its place when it gets at least twice the shortest story's time.
  while (n < available) {
    const perStory = (plan.targetSeconds - lengthRange(plan, 0).min) / (n + 1);
    if (perStory < 2 * storySeconds(MIN_STORY_WORDS, 2, plan)) break;
    n++;
  }
  return n;
}

/**
 * Why a config's targetMinutes cannot be met with its story limits, or undefined when it can:
 * too short for minStories stories, or too long for maxStories.
 */
export function lengthProblem(
  config: Pick<PodcastConfig, 'language' | 'hosts' | 'providers' | 'targetMinutes' | 'maxStories'> & {
    minStories: number;
  }
): string | undefined {
  const plan = lengthPlan(config);
  const low = plan.targetSeconds * (1 + LENGTH_TOLERANCE);
  const high = plan.targetSeconds * (1 - LENGTH_TOLERANCE);
  const shortest = lengthRange(plan, config.minStories).min;
  if (shortest > low) {
    const fits = Math.floor(
      ((low - lengthRange(plan, 0).min) / (shortest - lengthRange(plan, 0).min)) * config.minStories
    );
    return `targetMinutes ${config.targetMinutes} is too short for minStories ${config.minStories}: the music, the intro and the outro take about ${Math.round(lengthRange(plan, 0).min)} s and each story at least ${Math.round((shortest - lengthRange(plan, 0).min) / config.minStories)} s, so the episode would last at least ${Math.round(shortest)} s; raise targetMinutes to ${Math.ceil(shortest / (1 + LENGTH_TOLERANCE) / 60)} or set minStories to ${Math.max(1, fits)}`;
  }
  const longest = lengthRange(plan, config.maxStories).max;
  if (longest < high) {
    const needed = Math.ceil((high - lengthRange(plan, 0).max) / MAX_STORY_SECONDS);
    return `targetMinutes ${config.targetMinutes} is too long for maxStories ${config.maxStories}: a story fills at most ${MAX_STORY_SECONDS / 60} minutes, so the episode would last at most ${Math.round(longest / 60)} minutes; raise maxStories to ${needed} or lower targetMinutes to ${Math.floor(longest / (1 - LENGTH_TOLERANCE) / 60)}`;
  }
  return undefined;
}

/**
 * Review's word budget for a draft: the words that make the target duration with this draft's
 * turns (their pauses and the hosts' rates), and REVIEW_TOLERANCE of the duration as a fraction
 * of those words.
 */
export function reviewBudget(
  turns: readonly Turn[],
  plan: LengthPlan
): { targetWords: number; tolerance: number } {
  const words = turns.reduce((sum, t) => sum + countWords(t.text), 0);
  const speech = turns.reduce((sum, t) => sum + speechSeconds(t.text, t.speaker, plan), 0);
  const wordsPerSecond = speech > 0 ? words / speech : plan.meanRate;
  const speechTarget = Math.max(1, plan.targetSeconds - BEDS_SECONDS - pauseSeconds(turns));
  return {
    targetWords: Math.round(speechTarget * wordsPerSecond),
    tolerance: (REVIEW_TOLERANCE * plan.targetSeconds) / speechTarget,
  };
}
