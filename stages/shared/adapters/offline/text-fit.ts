/**
 * Fits the offline writer's script to the target duration (length-plan.ts): the script is written,
 * its mixed duration estimated from the hosts' measured speaking rates, and the story segments'
 * word targets rescaled until it lands within FIT_TOLERANCE. When even the shortest stories run
 * over, the intro and outro go brief, then the lowest-ranked stories go (never below minStories);
 * when every fact of every story is still too short, the run fails naming the material there is
 * and what the target needs. Deterministic, like the writer.
 */
import { minimumStories } from '../../config-schema';
import type { Outline, Script } from '../../content-types';
import { FatalStageError } from '../../errors';
import {
  FIT_TOLERANCE,
  LENGTH_TOLERANCE,
  type LengthPlan,
  REVIEW_TOLERANCE,
  estimateSeconds,
  lengthPlan,
} from '../../length-plan';
import type { ScriptInput } from './script-builder';

/** Short of FIT_TOLERANCE, a fit this close is kept rather than trying a shorter variant. */
const GOOD_ENOUGH = REVIEW_TOLERANCE * 0.7;
/** Rescaling rounds per outline variant. */
const ROUNDS = 8;
/** Intro and outro word targets below this make the writer's brief welcome and close. */
export const BRIEF_FRAME_WORDS = 20;

type Write = (input: ScriptInput) => Script;

export function fitScript(input: ScriptInput, write: Write): Script {
  const plan = lengthPlan(input.podcast);
  const target = plan.targetSeconds;
  checkMaterial(input, write, plan);
  let outline = input.outline;
  let best: { script: Script; error: number } | undefined;
  const minStories = minimumStories(input.podcast);
  for (let variant = 0; variant < 25; variant++) {
    // A variant whose shortest script is still too long gives way to a shorter one at once.
    const shortest = estimateSeconds(
      write({ ...input, outline: withStoryWords(outline, () => 1) }).turns,
      plan
    );
    if (shortest <= target * (1 + GOOD_ENOUGH)) {
      for (let round = 0; round < ROUNDS; round++) {
        const script = write({ ...input, outline });
        const seconds = estimateSeconds(script.turns, plan);
        const error = Math.abs(seconds - target) / target;
        if (!best || error < best.error) best = { script, error };
        if (error <= FIT_TOLERANCE) return script;
        const story = storySeconds(script, outline, plan);
        const scale = Math.max(0.05, (story + target - seconds) / Math.max(1, story));
        outline = withStoryWords(outline, (words) => Math.max(1, Math.round(words * scale)));
      }
      if (best && best.error <= GOOD_ENOUGH) return best.script;
    }
    // Brief intro, brief outro too, then one story fewer (from the outline's story targets).
    const next = shorterVariant(input.outline, outline, minStories);
    if (!next) break;
    outline = next;
  }
  // A script still more than the length tolerance off its target is never handed on as if it fit.
  if (!best || best.error > LENGTH_TOLERANCE) {
    const seconds = estimateSeconds(
      (best?.script ?? write({ ...input, outline: withStoryWords(outline, () => 1) })).turns,
      plan
    );
    throw new FatalStageError(
      `the closest script this material allows lasts about ${Math.round(seconds)} s, more than ${Math.round(LENGTH_TOLERANCE * 100)}% off the ${input.podcast.targetMinutes}-minute target: raise targetMinutes, lower minStories, or let the hosts speak faster (voice.speed)`
    );
  }
  return best.script;
}

/** The next shorter outline: brief intro, brief outro too, then the lowest-ranked story dropped. */
function shorterVariant(original: Outline, outline: Outline, minStories: number): Outline | undefined {
  const targets = new Map(original.segments.map((s) => [s.id, s.targetWords]));
  const reset = withStoryWords(outline, (words, id) => targets.get(id) ?? words);
  const briefen = (kind: 'intro' | 'outro') => ({
    ...reset,
    segments: reset.segments.map((s) => (s.kind === kind ? { ...s, targetWords: 0 } : s)),
  });
  const isBrief = (kind: 'intro' | 'outro') =>
    reset.segments.every((s) => s.kind !== kind || s.targetWords < BRIEF_FRAME_WORDS);
  if (!isBrief('intro')) return briefen('intro');
  if (!isBrief('outro')) return briefen('outro');
  const stories = reset.segments.filter((s) => s.kind === 'story');
  const last = stories[stories.length - 1];
  if (stories.length <= minStories || !last) return undefined;
  return { ...reset, segments: reset.segments.filter((s) => s.id !== last.id) };
}

/** Fails when every fact of every story makes an episode too short for the target. */
function checkMaterial(input: ScriptInput, write: Write, plan: LengthPlan): void {
  const most = write({ ...input, outline: withStoryWords(input.outline, () => Number.MAX_SAFE_INTEGER) });
  const seconds = estimateSeconds(most.turns, plan);
  if (seconds >= plan.targetSeconds * (1 - REVIEW_TOLERANCE)) return;
  const stories = input.outline.segments.filter((s) => s.kind === 'story').length;
  const missing = Math.ceil((plan.targetSeconds * (1 - FIT_TOLERANCE) - seconds) * plan.meanRate);
  throw new FatalStageError(
    `not enough material for a ${input.podcast.targetMinutes}-minute episode: the ${stories} stories' summaries make a script of ${most.wordCount} words, about ${formatMinutes(seconds)} with music and pauses; the target needs about ${missing} more words (add sources, raise maxStories or lower targetMinutes)`
  );
}

function formatMinutes(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;
}

/** Seconds of the story segments' turns (speech and pauses): the part the fit rescales. */
function storySeconds(script: Script, outline: Outline, plan: LengthPlan): number {
  const ids = new Set(outline.segments.filter((s) => s.kind === 'story').map((s) => s.id));
  const story = script.turns.filter((t) => ids.has(t.segmentId));
  return estimateSeconds(story, plan) - estimateSeconds([], plan);
}

function withStoryWords(outline: Outline, words: (current: number, id: string) => number): Outline {
  return {
    ...outline,
    segments: outline.segments.map((s) =>
      s.kind === 'story' ? { ...s, targetWords: words(s.targetWords, s.id) } : s
    ),
  };
}
