/**
 * Loudness: read the EBU R128 measurement ffmpeg's ebur128 filter prints, and decide how pass 2
 * reaches the target. loudnorm's two-pass "linear" mode is a fixed gain of (target - measured);
 * when that gain keeps the true peak under the ceiling we apply exactly that gain with `volume`
 * (no 192 kHz resampling, no dynamics). Otherwise loudnorm normalises dynamically, seeded with
 * the measurement.
 */
import { FatalStageError } from '../../errors';

/** Integrated loudness as measured for a mono programme on two speakers (dual-mono, see mix-graph.ts). */
export const LOUDNESS_TARGET = { integratedLufs: -16, truePeakDbtp: -1.5, loudnessRangeLu: 11 } as const;

export interface LoudnessMeasurement {
  integratedLufs: number;
  truePeakDbtp: number;
  loudnessRangeLu: number;
  /** The relative gate of the integrated measurement (loudnorm's measured_thresh). */
  thresholdLufs: number;
}

export type LoudnessPlan =
  { mode: 'gain'; gainDb: number; filter: string } | { mode: 'loudnorm'; filter: string };

/** Below this the mix is silence (EBU R128's absolute gate is -70 LUFS). */
const SILENT_LUFS = -69;

function readNumber(section: string, pattern: RegExp, what: string): number {
  const match = pattern.exec(section);
  if (!match?.[1]) throw new FatalStageError(`loudness measurement: ffmpeg printed no ${what}`);
  return match[1] === '-inf' ? Number.NEGATIVE_INFINITY : Number(match[1]);
}

/** Parses the last "Summary:" block of ebur128's stderr output (peak=true). */
export function parseEbur128Summary(stderr: string): LoudnessMeasurement {
  const start = stderr.lastIndexOf('Summary:');
  if (start < 0) throw new FatalStageError('loudness measurement: ffmpeg printed no ebur128 summary');
  const section = stderr.slice(start);
  const integrated = /Integrated loudness:[\s\S]*?I:\s+(-?[\d.]+|-inf)\s+LUFS/.exec(section);
  const integratedLufs = integrated?.[1] === '-inf' ? Number.NEGATIVE_INFINITY : Number(integrated?.[1]);
  if (!integrated || Number.isNaN(integratedLufs))
    throw new FatalStageError('loudness measurement: ffmpeg printed no integrated loudness');
  return {
    integratedLufs,
    thresholdLufs: readNumber(
      section,
      /Integrated loudness:[\s\S]*?Threshold:\s+(-?[\d.]+|-inf)\s+LUFS/,
      'integrated threshold'
    ),
    loudnessRangeLu: readNumber(section, /LRA:\s+(-?[\d.]+|-inf)\s+LU\b/, 'loudness range'),
    truePeakDbtp: readNumber(section, /True peak:[\s\S]*?Peak:\s+(-?[\d.]+|-inf)\s+dBFS/, 'true peak'),
  };
}

/** How pass 2 brings the measured mix to the target. */
export function planLoudness(measured: LoudnessMeasurement, target = LOUDNESS_TARGET): LoudnessPlan {
  if (!Number.isFinite(measured.integratedLufs) || measured.integratedLufs < SILENT_LUFS) {
    throw new FatalStageError(`the mix is silent (integrated loudness ${measured.integratedLufs} LUFS)`);
  }
  const gainDb = round2(target.integratedLufs - measured.integratedLufs);
  const peakAfterGain = measured.truePeakDbtp + gainDb;
  if (peakAfterGain <= target.truePeakDbtp) {
    return { mode: 'gain', gainDb, filter: `volume=${gainDb.toFixed(2)}dB` };
  }
  const seed = [
    `measured_I=${clampForLoudnorm(measured.integratedLufs, -99, 0)}`,
    `measured_TP=${clampForLoudnorm(measured.truePeakDbtp, -99, 99)}`,
    `measured_LRA=${clampForLoudnorm(measured.loudnessRangeLu, 0, 99)}`,
    `measured_thresh=${clampForLoudnorm(measured.thresholdLufs, -99, 0)}`,
  ].join(':');
  // loudnorm works at 192 kHz internally; resample back for the encoder. dual_mono: the mix is
  // mono and measured as dual-mono (mix-graph.ts), so loudnorm must read it the same way.
  const filter = `loudnorm=I=${target.integratedLufs}:TP=${target.truePeakDbtp}:LRA=${target.loudnessRangeLu}:${seed}:dual_mono=true,aresample=44100`;
  return { mode: 'loudnorm', filter };
}

/** How far the encoded episode may land from the target before pass 2 is redone. */
export const LOUDNESS_TOLERANCE_LU = 0.5;

/**
 * MP3 encoding changes loudness a little (LAME's psychoacoustic model drops masked energy: about
 * -0.4 LU on mespeak speech) and dynamic loudnorm undershoots short programmes. Given what the
 * encoded episode measured, returns the pass-2 filter with a gain correction, or undefined when
 * it is already within tolerance (or the peak ceiling leaves no room to correct upwards).
 */
export function correctedFilter(
  plan: LoudnessPlan,
  encoded: LoudnessMeasurement,
  target = LOUDNESS_TARGET
): string | undefined {
  const errorLu = target.integratedLufs - encoded.integratedLufs;
  if (!Number.isFinite(errorLu) || Math.abs(errorLu) <= LOUDNESS_TOLERANCE_LU) return undefined;
  const headroom = target.truePeakDbtp - encoded.truePeakDbtp;
  const deltaDb = round2(Math.min(errorLu, Math.max(0, headroom)));
  if (Math.abs(deltaDb) < 0.05) return undefined;
  if (plan.mode === 'gain') return `volume=${round2(plan.gainDb + deltaDb).toFixed(2)}dB`;
  return `${plan.filter},volume=${deltaDb.toFixed(2)}dB`;
}

function clampForLoudnorm(value: number, min: number, max: number): string {
  const finite = Number.isFinite(value) ? value : value > 0 ? max : min;
  return Math.min(max, Math.max(min, finite)).toFixed(2);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
