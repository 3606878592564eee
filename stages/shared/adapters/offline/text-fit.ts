/**
 * Fits the offline writer's script to the target duration (length-plan.ts): the script is written,
 * its mixed duration estimated from the hosts' measured speaking rates, and the story segments'
 * word targets rescaled until it lands within FIT_TOLERANCE. When even the shortest stories run
 * over, the intro and outro go brief, then the lowest-ranked stories go (never below minStories),
 * then the stories left are told in brief, lowest-ranked first (ScriptInput.brief: no wrap-up
 * line, and a story may open with a clause of a sentence); every variant's shortest script is a
 * candidate too, so a target only the briefest form meets is met. Facts come whole, so the closest
 * script can miss FIT_TOLERANCE: it is handed on when the mix's pacing (mix-timing.ts) can bring
 * it within REVIEW_TOLERANCE, and the unit fails naming the closest duration when not. When every
 * fact of every story is still too short, the run fails naming the material there is and what the
 * target needs. Deterministic, like the writer.
 */
import { minimumStories } from '../../config-schema';
import type { Outline, Script } from '../../content-types';
import { FatalStageError } from '../../errors';
import {
  FIT_TOLERANCE,
  type LengthPlan,
  REVIEW_TOLERANCE,
  estimateSeconds,
  lengthPlan,
  pacedError,
} from '../../length-plan';
import type { ScriptInput } from './script-builder';

/** Short of FIT_TOLERANCE, a fit this close is kept rather than trying a shorter variant. */
const GOOD_ENOUGH = REVIEW_TOLERANCE * 0.7;
/** Rescaling rounds per outline variant. */
const ROUNDS = 8;
/** Intro and outro word targets below this make the writer's brief welcome and close. */
export const BRIEF_FRAME_WORDS = 20;

type Write = (input: ScriptInput) => Script;

interface Candidate {
  script: Script;
  /** Its estimate's distance from the target, as a fraction of it (at the mix's usual pacing). */
  error: number;
  /** What is left of that once the mix paces it (length-plan.ts pacedError). */
  paced: number;
}

/** An outline to write, and which of its stories are told in brief. */
interface Variant {
  outline: Outline;
  brief: ReadonlySet<string>;
}

export function fitScript(input: ScriptInput, write: Write): Script {
  const plan = lengthPlan(input.podcast);
  const target = plan.targetSeconds;
  checkMaterial(input, write, plan);
  let variant: Variant = { outline: input.outline, brief: new Set() };
  /** The closest script yet: by how far the mix's pacing leaves it off, then by its own estimate. */
  let best: Candidate | undefined;
  const consider = (script: Script, seconds: number): Candidate => {
    const candidate = {
      script,
      error: Math.abs(seconds - target) / target,
      paced: pacedError(script.turns, plan),
    };
    if (
      !best ||
      candidate.paced < best.paced ||
      (candidate.paced === best.paced && candidate.error < best.error)
    )
      best = candidate;
    return candidate;
  };
  const minStories = minimumStories(input.podcast);
  const writeVariant = (outline: Outline) => write({ ...input, outline, brief: variant.brief });
  for (;;) {
    // A variant whose shortest script is still too long gives way to a shorter one at once; that
    // shortest script is a candidate all the same.
    const shortestScript = writeVariant(withStoryWords(variant.outline, () => 1));
    const shortest = estimateSeconds(shortestScript.turns, plan);
    if (consider(shortestScript, shortest).error <= FIT_TOLERANCE && shortest >= target)
      return shortestScript;
    if (shortest <= target * (1 + GOOD_ENOUGH)) {
      let outline = variant.outline;
      for (let round = 0; round < ROUNDS; round++) {
        const script = writeVariant(outline);
        const seconds = estimateSeconds(script.turns, plan);
        if (consider(script, seconds).error <= FIT_TOLERANCE) return script;
        const story = storySeconds(script, outline, plan);
        const scale = Math.max(0.05, (story + target - seconds) / Math.max(1, story));
        outline = withStoryWords(outline, (words) => Math.max(1, Math.round(words * scale)));
      }
      if (best && best.error <= GOOD_ENOUGH) return best.script;
    }
    // Brief intro, brief outro too, then one story fewer, then the stories left in brief.
    const next = shorterVariant(variant, minStories);
    if (!next) break;
    variant = next;
  }
  // The mix paces the closest script onto the target (mix-timing.ts); one it cannot bring within
  // REVIEW_TOLERANCE (the rest of the ±10% is the estimate's error) is never handed on.
  if (!best || best.paced > REVIEW_TOLERANCE) {
    const seconds = best ? estimateSeconds(best.script.turns, plan) : Number.NaN;
    throw new FatalStageError(
      `the closest script this material allows lasts about ${Math.round(seconds)} s, more than ${Math.round(REVIEW_TOLERANCE * 100)}% off the ${input.podcast.targetMinutes}-minute target even with the mix's pacing: raise targetMinutes, lower minStories, or let the hosts speak faster (voice.speed)`
    );
  }
  return best.script;
}

/**
 * The next shorter variant (from the outline's own story targets): brief intro, brief outro too,
 * then the lowest-ranked story dropped (down to minStories), then the lowest-ranked story still
 * told in full told in brief.
 */
function shorterVariant({ outline, brief }: Variant, minStories: number): Variant | undefined {
  const briefen = (kind: 'intro' | 'outro') => ({
    outline: {
      ...outline,
      segments: outline.segments.map((s) => (s.kind === kind ? { ...s, targetWords: 0 } : s)),
    },
    brief,
  });
  const isBrief = (kind: 'intro' | 'outro') =>
    outline.segments.every((s) => s.kind !== kind || s.targetWords < BRIEF_FRAME_WORDS);
  if (!isBrief('intro')) return briefen('intro');
  if (!isBrief('outro')) return briefen('outro');
  const stories = outline.segments.filter((s) => s.kind === 'story');
  const last = stories[stories.length - 1];
  if (stories.length > minStories && last)
    return { outline: { ...outline, segments: outline.segments.filter((s) => s.id !== last.id) }, brief };
  const lowest = stories.filter((s) => !brief.has(s.id)).pop();
  return lowest ? { outline, brief: new Set([...brief, lowest.id]) } : undefined;
}

/** Fails when every fact of every story makes an episode too short for the target. */
function checkMaterial(input: ScriptInput, write: Write, plan: LengthPlan): void {
  const most = write({ ...input, outline: withStoryWords(input.outline, () => Number.MAX_SAFE_INTEGER) });
  const seconds = estimateSeconds(most.turns, plan);
  if (seconds >= plan.targetSeconds * (1 - REVIEW_TOLERANCE)) return;
  const stories = input.outline.segments.filter((s) => s.kind === 'story').length;
  const missing = Math.ceil((plan.targetSeconds * (1 - FIT_TOLERANCE) - seconds) * plan.meanRate);
  throw new FatalStageError(
    `not enough material for a ${input.podcast.targetMinutes}-minute episode: the ${stories} stories' summaries make a script of ${most.wordCount} words, about ${formatMinutes(seconds)} with music and pauses; the target needs about ${missing} more words (add sources${stories < input.podcast.maxStories ? '' : ', raise maxStories'} or lower targetMinutes)`
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
