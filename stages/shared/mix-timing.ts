/**
 * Pacing of the episode the mix adds around the speech: the intro and outro beds and the silence
 * after each turn. Mix applies it (stages/mix); the length plan (length-plan.ts) counts it, so a
 * script planned to a duration comes out at that duration once mixed.
 *
 * MIX_TIMING is the pacing at scale 1. The mix stretches or shrinks all of it by one scale, within
 * PACING_SCALE (beds of 2.4 to 7 s, pauses of 0.2 to 1.4 s), so that the episode lands on
 * targetMinutes from the clips' measured durations: the offline writer's script moves by whole
 * facts and lines, and a voice's real pace strays from the plan's by a few percent. The length
 * plan counts the same bounds, so the schema refuses only what no pacing within them can fit.
 */
export const MIX_TIMING = {
  introMs: 4000,
  outroMs: 4000,
  /** Between two turns of the same segment. */
  turnPauseMs: 350,
  /** When the next turn starts a new segment, and after the last turn before the outro. */
  segmentPauseMs: 800,
} as const;

/** The least and the most the mix scales MIX_TIMING by. */
export const PACING_SCALE = { min: 0.6, max: 1.75 } as const;

export interface Pacing {
  introMs: number;
  outroMs: number;
  turnPauseMs: number;
  segmentPauseMs: number;
}

/** MIX_TIMING scaled by `scale` (whole milliseconds). */
export function pacingAt(scale: number): Pacing {
  return {
    introMs: Math.round(MIX_TIMING.introMs * scale),
    outroMs: Math.round(MIX_TIMING.outroMs * scale),
    turnPauseMs: Math.round(MIX_TIMING.turnPauseMs * scale),
    segmentPauseMs: Math.round(MIX_TIMING.segmentPauseMs * scale),
  };
}

/** The silence after each turn: short inside a segment, longer at a segment change and at the end. */
export function pausesAfter(
  turns: readonly { segmentId: string }[],
  pacing: Pick<Pacing, 'turnPauseMs' | 'segmentPauseMs'> = MIX_TIMING
): number[] {
  return turns.map((turn, i) => {
    const next = turns[i + 1];
    return next && next.segmentId === turn.segmentId ? pacing.turnPauseMs : pacing.segmentPauseMs;
  });
}

/** Milliseconds of beds and pauses at scale 1 for these turns. */
export function fixedMs(turns: readonly { segmentId: string }[]): number {
  return MIX_TIMING.introMs + MIX_TIMING.outroMs + pausesAfter(turns).reduce((sum, ms) => sum + ms, 0);
}

/**
 * The scale that makes `speechMs` of clips and these turns' beds and pauses last `targetMs`,
 * within PACING_SCALE.
 */
export function pacingScale(
  targetMs: number,
  speechMs: number,
  turns: readonly { segmentId: string }[]
): number {
  const fixed = fixedMs(turns);
  if (fixed <= 0) return 1;
  return Math.min(PACING_SCALE.max, Math.max(PACING_SCALE.min, (targetMs - speechMs) / fixed));
}
