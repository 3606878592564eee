/**
 * The length plan: how a target duration becomes words, and how long a script will last once
 * spoken and mixed. Pure. Speech is each turn's words at its host's measured rate
 * (speaking-rates.ts; a sentence in English at the host's English rate); the mix adds the intro
 * and outro beds and a pause after every turn (mix-timing.ts), which the mix stretches or shrinks
 * within PACING_SCALE to land on the target. Outline, the offline writer, review and the config
 * schema all use it, so a planned script passes review and the schema refuses what cannot fit.
 */
import type { PodcastConfig } from './config-schema';
import { type LanguageCode, languageOf } from './languages';
import { MIX_TIMING, PACING_SCALE, fixedMs, pausesAfter } from './mix-timing';
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
/**
 * What the briefest intro and outro say besides the show's title and the hosts' names, for a solo
 * show and a panel: the most the offline writer's brief welcome and close take over its languages
 * and tones (test/unit/adapters/length-fit-configs.test.ts holds these to the writer).
 */
export const BRIEF_FRAME_BASE_WORDS = { solo: 28, panel: 34 } as const;
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

/** Seconds of silence the mix puts after each turn at scale 1 (mix-timing.ts pausesAfter). */
export function pauseSeconds(turns: readonly Pick<Turn, 'segmentId'>[]): number {
  return pausesAfter(turns).reduce((sum, ms) => sum + ms, 0) / 1000;
}

/** How long the mixed episode of these turns lasts: beds, speech and pauses (at scale 1). */
export function estimateSeconds(turns: readonly Turn[], plan: LengthPlan): number {
  const speech = turns.reduce((sum, t) => sum + speechSeconds(t.text, t.speaker, plan), 0);
  return BEDS_SECONDS + speech + pauseSeconds(turns);
}

/**
 * How far from the target these turns land once the mix has paced them (mix-timing.ts): 0 when
 * a pacing within PACING_SCALE makes the estimate the target, else the fraction of the target left.
 */
export function pacedError(turns: readonly Turn[], plan: LengthPlan): number {
  const fixed = fixedMs(turns) / 1000;
  const speech = estimateSeconds(turns, plan) - fixed;
  const shortest = speech + fixed * PACING_SCALE.min;
  const longest = speech + fixed * PACING_SCALE.max;
  const off = Math.max(0, shortest - plan.targetSeconds, plan.targetSeconds - longest);
  return off / plan.targetSeconds;
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
function storySeconds(
  words: number,
  turns: number,
  plan: LengthPlan,
  sentences = turns * SENTENCES_PER_TURN
): number {
  return (
    words / plan.meanRate +
    sentences * plan.meanSentenceSeconds +
    ((turns - 1) * MIX_TIMING.turnPauseMs + MIX_TIMING.segmentPauseMs) / 1000
  );
}

/**
 * Sentences of the briefest intro and outro together (a welcome and a name; a close, a thanks and
 * a sign-off) and of a story told in brief (its lead-in, the source, one fact).
 */
const BRIEF_SENTENCES = { frame: 5, story: 3 } as const;

/** Seconds of beds and pauses of a story of `turns` turns (at scale 1), and of the frame's. */
function storyFixedSeconds(turns: number): number {
  return ((turns - 1) * MIX_TIMING.turnPauseMs + MIX_TIMING.segmentPauseMs) / 1000;
}

/**
 * The shortest episode of `stories` stories (at the mix's tightest pacing), and the longest (at its
 * loosest). The shortest frame is a brief welcome and a brief close and sign-off in two turns
 * (`frame` words: frameWords(config) for a config), the shortest story MIN_STORY_WORDS in one turn
 * (a story told in brief: its lead-in with the title, one short fact, no wrap-up).
 */
export function lengthRange(
  plan: LengthPlan,
  stories: number,
  frame: number = MIN_FRAME_WORDS
): { min: number; max: number } {
  // Two turns of frame, one of story: at their briefest.
  const frameSpeech = storySeconds(frame, 2, plan, BRIEF_SENTENCES.frame) - storyFixedSeconds(2);
  const frameFixed = BEDS_SECONDS + storyFixedSeconds(2);
  const storySpeech = storySeconds(MIN_STORY_WORDS, 1, plan, BRIEF_SENTENCES.story) - storyFixedSeconds(1);
  const min =
    frameSpeech + stories * storySpeech + (frameFixed + stories * storyFixedSeconds(1)) * PACING_SCALE.min;
  return {
    min,
    max: frameSpeech + frameFixed * PACING_SCALE.max + stories * MAX_STORY_SECONDS,
  };
}

/**
 * The words a config's shortest intro and outro say (see lengthRange): BRIEF_FRAME_BASE_WORDS,
 * the show's title in each, the lead's name once and each co-host's twice (welcome and thanks).
 */
export function frameWords(config: Pick<PodcastConfig, 'title' | 'hosts'>): number {
  const [lead, ...coHosts] = config.hosts;
  return (
    BRIEF_FRAME_BASE_WORDS[coHosts.length === 0 ? 'solo' : 'panel'] +
    2 * countSpokenWords(config.title) +
    countSpokenWords(lead?.name ?? '') +
    2 * coHosts.reduce((sum, h) => sum + countSpokenWords(h.name), 0)
  );
}

/** How many of `available` ranked stories fit the target (at least `minStories`, if there are that many). */
export function storiesThatFit(plan: LengthPlan, available: number, minStories: number): number {
  let n = Math.min(available, Math.max(1, minStories));
  // A story is worth its place when it gets at least twice a short story's time (three turns of
  // frame, two of story, at the mix's usual pacing).
  const frame = BEDS_SECONDS + storySeconds(MIN_FRAME_WORDS, 3, plan);
  while (n < available) {
    const perStory = (plan.targetSeconds - frame) / (n + 1);
    if (perStory < 2 * storySeconds(MIN_STORY_WORDS, 2, plan)) break;
    n++;
  }
  return n;
}

/** eSpeak's speeds (hosts' voice.speed), as the config schema bounds them. */
const SPEEDS = { min: 80, max: 260 } as const;

/**
 * Why a config's targetMinutes cannot be met with its story limits, or undefined when it can:
 * too short for minStories stories (even at the mix's tightest pacing, within FIT_TOLERANCE, so
 * the estimate's own error stays inside the ±10%), or too long for maxStories. The reason names
 * the fixes: a longer target, fewer stories, or (offline voices) faster hosts.
 */
export function lengthProblem(
  config: Pick<
    PodcastConfig,
    'language' | 'hosts' | 'providers' | 'targetMinutes' | 'maxStories' | 'title'
  > & {
    minStories: number;
  }
): string | undefined {
  const plan = lengthPlan(config);
  const frame = frameWords(config);
  const low = plan.targetSeconds * (1 + FIT_TOLERANCE);
  const high = plan.targetSeconds * (1 - LENGTH_TOLERANCE);
  const shortest = lengthRange(plan, config.minStories, frame).min;
  if (shortest > low) {
    const base = lengthRange(plan, 0, frame).min;
    const perStory = (shortest - base) / config.minStories;
    const fits = Math.floor((low - base) / perStory);
    const fixes = [`raise targetMinutes to ${Math.ceil(shortest / (1 + FIT_TOLERANCE) / 60)}`];
    if (fits >= 1) fixes.push(`set minStories to ${fits}`);
    const speed = fastEnough(config, frame, low);
    if (speed !== undefined) fixes.push(`set every host's voice.speed to at least ${speed}`);
    return `targetMinutes ${config.targetMinutes} is too short for minStories ${config.minStories}: at the hosts' measured pace the music, the intro and the outro take at least ${Math.round(base)} s and each story at least ${Math.round(perStory)} s, so the episode would last at least ${Math.round(shortest)} s; ${fixes.join(' or ')}`;
  }
  const longest = lengthRange(plan, config.maxStories, frame).max;
  if (longest < high) {
    const needed = Math.ceil((high - lengthRange(plan, 0, frame).max) / MAX_STORY_SECONDS);
    return `targetMinutes ${config.targetMinutes} is too long for maxStories ${config.maxStories}: a story fills at most ${MAX_STORY_SECONDS / 60} minutes, so the episode would last at most ${Math.round(longest / 60)} minutes; raise maxStories to ${needed} or lower targetMinutes to ${Math.floor(longest / (1 - LENGTH_TOLERANCE) / 60)}`;
  }
  return undefined;
}

/** The least eSpeak speed (every host at it) at which the shortest episode fits, if any (offline voices). */
function fastEnough(
  config: Parameters<typeof lengthProblem>[0],
  frame: number,
  low: number
): number | undefined {
  if (config.providers.speech !== 'offline') return undefined;
  for (let speed = SPEEDS.min; speed <= SPEEDS.max; speed += 5) {
    const hosts = config.hosts.map((h) => ({ ...h, voice: { ...h.voice, speed } }));
    if (lengthRange(lengthPlan({ ...config, hosts }), config.minStories, frame).min <= low) return speed;
  }
  return undefined;
}

/**
 * Review's word budget for a draft: the words that make the target duration with this draft's
 * turns (their pauses and the hosts' rates), and as a fraction of those words REVIEW_TOLERANCE
 * of the duration plus what the mix's pacing absorbs either way (mix-timing.ts PACING_SCALE: the
 * smaller of its stretch and its squeeze of this draft's beds and pauses).
 */
export function reviewBudget(
  turns: readonly Turn[],
  plan: LengthPlan
): { targetWords: number; tolerance: number } {
  const words = turns.reduce((sum, t) => sum + countWords(t.text), 0);
  const speech = turns.reduce((sum, t) => sum + speechSeconds(t.text, t.speaker, plan), 0);
  const wordsPerSecond = speech > 0 ? words / speech : plan.meanRate;
  const fixed = BEDS_SECONDS + pauseSeconds(turns);
  const speechTarget = Math.max(1, plan.targetSeconds - fixed);
  const pacing = fixed * Math.min(PACING_SCALE.max - 1, 1 - PACING_SCALE.min);
  return {
    targetWords: Math.round(speechTarget * wordsPerSecond),
    tolerance: (REVIEW_TOLERANCE * plan.targetSeconds + pacing) / speechTarget,
  };
}
