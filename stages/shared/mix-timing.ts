/**
 * Pacing of the episode the mix adds around the speech: the intro and outro beds and the silence
 * after each turn. Mix applies it (stages/mix); the length plan (length-plan.ts) counts it, so a
 * script planned to a duration comes out at that duration once mixed.
 */
export const MIX_TIMING = {
  introMs: 4000,
  outroMs: 4000,
  /** Between two turns of the same segment. */
  turnPauseMs: 350,
  /** When the next turn starts a new segment, and after the last turn before the outro. */
  segmentPauseMs: 800,
} as const;
