/**
 * The episode's measured length against its podcast's targetMinutes, checked by publish before
 * anything is public (issue 15: an episode lasts targetMinutes within LENGTH_TOLERANCE). The length
 * is the mix's durationMs, measured on the real audio, not an estimate. A generated script off
 * target is not published: the run fails naming the numbers and what to change. A script a person
 * edited (`runs approve --script`, `runs edit --script`) is published all the same, since they
 * chose its text, with the deviation recorded. Either way an `episode.length` event records the
 * measurement, so operators see it in `runs show` and the progress output.
 */
import { FatalStageError } from '../shared/errors';
import { emit, eventKey } from '../shared/events';
import { LENGTH_TOLERANCE } from '../shared/length-plan';
import type { StageContext } from '../shared/stage';

export interface EpisodeLength {
  durationSeconds: number;
  targetSeconds: number;
  /** (duration - target) / target. */
  deviation: number;
  within: boolean;
}

/** The mixed duration against the target. */
export function measureEpisodeLength(durationMs: number, targetMinutes: number): EpisodeLength {
  const targetSeconds = targetMinutes * 60;
  const durationSeconds = Math.round(durationMs) / 1000;
  const deviation = durationSeconds / targetSeconds - 1;
  // Rounded to a tenth of a per mille: 198 s of a 3-minute target is exactly 10% over.
  const within = Math.round(Math.abs(deviation) * 10_000) <= LENGTH_TOLERANCE * 10_000;
  return { durationSeconds, targetSeconds, deviation, within };
}

/** What the length is, in words: "75 s, 25% over the 1-minute target". */
export function describeLength(length: EpisodeLength, targetMinutes: number): string {
  const percent = Math.round(Math.abs(length.deviation) * 1000) / 10;
  return `${Math.round(length.durationSeconds)} s, ${percent}% ${length.deviation >= 0 ? 'over' : 'under'} the ${targetMinutes}-minute target`;
}

/**
 * Records the episode's length (an `episode.length` event) and refuses a generated script's
 * episode more than LENGTH_TOLERANCE off its target (FatalStageError); an edited script's episode
 * goes on with the deviation recorded as a warning.
 */
export async function checkEpisodeLength(
  ctx: Pick<StageContext, 'deps' | 'logger' | 'runId' | 'attempt'>,
  durationMs: number,
  targetMinutes: number
): Promise<EpisodeLength> {
  const length = measureEpisodeLength(durationMs, targetMinutes);
  const approval = (await ctx.deps.runs.get(ctx.runId))?.approval;
  const edited = approval?.state === 'approved' && approval.edited === true;
  const outcome = length.within ? 'within' : edited ? 'published-edited' : 'refused';
  await emit(
    ctx.deps.events,
    ctx.runId,
    eventKey('publish', ctx.attempt, 'episode.length'),
    'episode.length',
    ctx.deps.clock.now().toISOString(),
    {
      stage: 'publish',
      unit: 'publish',
      attempt: ctx.attempt,
      detail: {
        durationSeconds: length.durationSeconds,
        targetSeconds: length.targetSeconds,
        deviationPercent: Math.round(length.deviation * 1000) / 10,
        tolerancePercent: LENGTH_TOLERANCE * 100,
        edited,
        outcome,
      },
    }
  );
  const what = describeLength(length, targetMinutes);
  if (outcome === 'published-edited') {
    ctx.logger.warn('edited script published off its target length', { ...length, targetMinutes });
  } else if (outcome === 'refused') {
    const minutes = Math.max(1, Math.round(length.durationSeconds / 60));
    const retarget = minutes !== targetMinutes ? `, or set targetMinutes to about ${minutes}` : '';
    throw new FatalStageError(
      `the mixed episode lasts ${what} (±${LENGTH_TOLERANCE * 100}% allowed), so it is not published: ` +
        `the voices spoke ${length.deviation > 0 ? 'slower' : 'faster'} than the length plan's measured rates ` +
        `even with the mix's pacing (re-measure them: npx tsx scripts/measure-speaking-rates.ts and ` +
        `scripts/measure-speed-factors.ts)${retarget}; an edited script (runs approve --script) is published with a warning instead`
    );
  }
  return length;
}
