/**
 * The median fundamental frequency (f0) of speech in a 16-bit PCM WAV: how the tests tell voices
 * apart by ear's main cue. Each 40 ms frame is judged voiced when it is loud enough and clearly
 * periodic (its normalised autocorrelation peaks above VOICED_CORRELATION); its pitch is the
 * first lag whose correlation comes within 10% of the frame's best, which keeps a voice's
 * period from being read as twice its length (an octave too low), the classic autocorrelation
 * mistake. The median over voiced frames shrugs off the odd octave error and unvoiced noise.
 */
import { parseWav, wavData } from '../../stages/shared/adapters/audio/wav';

/** The range searched: deep male speech to high female speech. */
export const MIN_PITCH_HZ = 60;
export const MAX_PITCH_HZ = 500;
const FRAME_MS = 40;
/** Frames quieter than this RMS (of full scale) are silence. */
const SILENCE_RMS = 0.02;
/** Frames whose best normalised autocorrelation is below this are unvoiced (hiss, plosives). */
const VOICED_CORRELATION = 0.6;
/** A lag within this share of the best correlation counts as a peak; the shortest such lag wins. */
const PEAK_SHARE = 0.9;

export interface PitchEstimate {
  /** Median f0 over voiced frames in Hz; 0 when no frame is voiced. */
  medianHz: number;
  voicedFrames: number;
  frames: number;
}

/** Mono samples in -1..1 from a 16-bit PCM WAV (the first channel when there are more). */
export function pcmSamples(wav: Buffer): { samples: Float64Array; sampleRate: number } {
  const info = parseWav(wav, 'pitch estimate');
  if (info.audioFormat !== 1 || info.bitsPerSample !== 16)
    throw new Error(
      `pitch estimate: 16-bit PCM expected, got format ${info.audioFormat}/${info.bitsPerSample}`
    );
  const data = wavData(wav, info);
  const samples = new Float64Array(info.frames);
  for (let i = 0; i < info.frames; i++) samples[i] = data.readInt16LE(i * info.blockAlign) / 32768;
  return { samples, sampleRate: info.sampleRate };
}

/** The pitch of one frame in Hz, or undefined when it is silent or not periodic. */
export function framePitch(
  samples: Float64Array,
  start: number,
  length: number,
  sampleRate: number
): number | undefined {
  let energy = 0;
  for (let i = start; i < start + length; i++) energy += (samples[i] ?? 0) ** 2;
  if (Math.sqrt(energy / length) < SILENCE_RMS) return undefined;
  const minLag = Math.floor(sampleRate / MAX_PITCH_HZ);
  const maxLag = Math.ceil(sampleRate / MIN_PITCH_HZ);
  const correlations: number[] = [];
  let best = 0;
  for (let lag = minLag; lag <= maxLag; lag++) {
    let product = 0;
    let headEnergy = 0;
    let tailEnergy = 0;
    for (let i = start; i < start + length; i++) {
      const a = samples[i] ?? 0;
      const b = samples[i + lag] ?? 0;
      product += a * b;
      headEnergy += a * a;
      tailEnergy += b * b;
    }
    const value = headEnergy > 0 && tailEnergy > 0 ? product / Math.sqrt(headEnergy * tailEnergy) : 0;
    correlations.push(value);
    best = Math.max(best, value);
  }
  if (best < VOICED_CORRELATION) return undefined;
  for (let k = 0; k < correlations.length; k++) {
    const value = correlations[k] ?? 0;
    const isPeak = value >= (correlations[k - 1] ?? -1) && value >= (correlations[k + 1] ?? -1);
    if (isPeak && value >= PEAK_SHARE * best) return sampleRate / (minLag + k);
  }
  return undefined;
}

/** The median pitch of the voiced frames of a 16-bit PCM WAV. */
export function medianPitch(wav: Buffer): PitchEstimate {
  const { samples, sampleRate } = pcmSamples(wav);
  const length = Math.round((sampleRate * FRAME_MS) / 1000);
  const maxLag = Math.ceil(sampleRate / MIN_PITCH_HZ);
  const pitches: number[] = [];
  let frames = 0;
  for (let start = 0; start + length + maxLag <= samples.length; start += length) {
    frames++;
    const pitch = framePitch(samples, start, length, sampleRate);
    if (pitch !== undefined) pitches.push(pitch);
  }
  pitches.sort((a, b) => a - b);
  const middle = pitches.length / 2;
  const medianHz =
    pitches.length === 0
      ? 0
      : pitches.length % 2 === 1
        ? (pitches[Math.floor(middle)] ?? 0)
        : ((pitches[middle - 1] ?? 0) + (pitches[middle] ?? 0)) / 2;
  return { medianHz, voicedFrames: pitches.length, frames };
}
