/**
 * The mix as numbers and an ffmpeg filter graph. The timeline is planned in samples at the output
 * rate, and the graph forces every part to exactly its planned length (pad, then trim), so the
 * clip offsets we report are the offsets in the audio, not an estimate.
 *
 * Output format: 44.1 kHz mono. Every voice is mono speech and the beds are mono, so the mix has
 * no stereo image to keep: one channel is the whole signal, and the encoder's bits all go to it.
 * Loudness is measured as dual-mono (EBU R128 / ITU-R BS.1770 for a mono programme played on two
 * speakers or headphones), so -16 LUFS means what it meant for the identical-channel stereo file
 * this replaced (a plain mono reading of the same file is -19 LUFS, the mono figure in guides).
 */
import { framesToMs, msToFrames } from './wav';

export const OUTPUT_SAMPLE_RATE = 44100;

/** Gentle speech mastering before the loudness pass: even out levels, then cap sample peaks. */
const DYNAMICS =
  'acompressor=threshold=0.125:ratio=3:attack=5:release=150:makeup=2,alimiter=limit=0.5:attack=2:release=50:level=disabled';

export interface PlannedClip {
  /** Speech frames at the output rate. */
  frames: number;
  /** Silence after the clip, in frames at the output rate. */
  padFrames: number;
}

export interface MixTimeline {
  introFrames: number;
  outroFrames: number;
  clips: PlannedClip[];
  clipStartsMs: number[];
  clipDurationsMs: number[];
  totalFrames: number;
  durationMs: number;
}

/** Input clip facts the plan needs (from each WAV's header). */
export interface ClipFacts {
  frames: number;
  sampleRate: number;
  pauseAfterMs: number;
}

export function planTimeline(clips: readonly ClipFacts[], introMs: number, outroMs: number): MixTimeline {
  const introFrames = msToFrames(Math.max(0, introMs), OUTPUT_SAMPLE_RATE);
  const outroFrames = msToFrames(Math.max(0, outroMs), OUTPUT_SAMPLE_RATE);
  const planned: PlannedClip[] = [];
  const clipStartsMs: number[] = [];
  const clipDurationsMs: number[] = [];
  let cursor = introFrames;
  for (const clip of clips) {
    const frames = Math.round((clip.frames * OUTPUT_SAMPLE_RATE) / clip.sampleRate);
    const padFrames = msToFrames(Math.max(0, clip.pauseAfterMs), OUTPUT_SAMPLE_RATE);
    planned.push({ frames, padFrames });
    clipStartsMs.push(framesToMs(cursor, OUTPUT_SAMPLE_RATE));
    clipDurationsMs.push(framesToMs(frames, OUTPUT_SAMPLE_RATE));
    cursor += frames + padFrames;
  }
  const totalFrames = cursor + outroFrames;
  return {
    introFrames,
    outroFrames,
    clips: planned,
    clipStartsMs,
    clipDurationsMs,
    totalFrames,
    durationMs: framesToMs(totalFrames, OUTPUT_SAMPLE_RATE),
  };
}

/** One ffmpeg input of the speech track and the exact number of frames it must occupy. */
export interface TrackPart {
  /** Frames at the output rate this input becomes (speech plus the silence after it). */
  totalFrames: number;
}

const MONO_FLOAT = `aformat=sample_fmts=fltp:sample_rates=${OUTPUT_SAMPLE_RATE}:channel_layouts=mono`;

/** ebur128 (48 kHz only) measuring the mono mix as dual-mono, with true peak. */
export const LOUDNESS_METER = 'aresample=48000,ebur128=peak=true:dualmono=true:framelog=verbose';

/** Pads then trims a stream to exactly `frames` samples, with fresh timestamps. */
function exactLength(frames: number): string {
  return `apad=whole_len=${frames},atrim=end_sample=${frames},asetpts=N/SR/TB`;
}

/** Resample input `inputIndex` to the output format and give it exactly `frames` samples. */
function partChain(inputIndex: number, frames: number, label: string): string {
  return `[${inputIndex}:a]aresample=${OUTPUT_SAMPLE_RATE},${MONO_FLOAT},${exactLength(frames)}[${label}]`;
}

/**
 * The intro/outro bed: a soft chord of sine tones (with a slow shimmer on the top note), faded in
 * and out, well below the speech. The intro moves I -> IV colour (A major), the outro resolves
 * on D major, so the two ends are audibly different.
 */
export function bedSource(kind: 'intro' | 'outro', frames: number): string {
  const seconds = frames / OUTPUT_SAMPLE_RATE;
  const notes = kind === 'intro' ? [220, 277.18, 329.63, 440] : [146.83, 220, 293.66, 369.99];
  const weights = [0.05, 0.04, 0.035, 0.025];
  const tones = notes.map((hz, i) => `${weights[i] ?? 0.02}*sin(2*PI*${hz}*t)`);
  const shimmer = `(0.75+0.25*sin(2*PI*0.5*t))`;
  const expr = `${tones.slice(0, -1).join('+')}+${tones[tones.length - 1] ?? '0'}*${shimmer}`;
  const fadeIn = Math.min(0.8, seconds / 4);
  const fadeOut = Math.min(1.5, seconds / 2);
  return [
    `aevalsrc='${expr}':sample_rate=${OUTPUT_SAMPLE_RATE}:channel_layout=mono:duration=${seconds.toFixed(6)}`,
    `afade=t=in:st=0:d=${fadeIn.toFixed(3)}`,
    `afade=t=out:st=${Math.max(0, seconds - fadeOut).toFixed(3)}:d=${fadeOut.toFixed(3)}`,
    MONO_FLOAT,
    exactLength(frames),
  ].join(',');
}

/**
 * Pass 1: intro bed, every part in order, outro bed -> concatenated (mono), levelled.
 * Output labels: [premix] (to a WAV) and [metered] (after ebur128, to the null muxer).
 */
export function buildPremixGraph(
  parts: readonly TrackPart[],
  introFrames: number,
  outroFrames: number
): string {
  const lines: string[] = [];
  const labels: string[] = [];
  if (introFrames > 0) {
    lines.push(`${bedSource('intro', introFrames)}[intro]`);
    labels.push('[intro]');
  }
  parts.forEach((part, i) => {
    lines.push(partChain(i, part.totalFrames, `p${i}`));
    labels.push(`[p${i}]`);
  });
  if (outroFrames > 0) {
    lines.push(`${bedSource('outro', outroFrames)}[outro]`);
    labels.push('[outro]');
  }
  // Pin the premix format: ebur128 accepts only 48 kHz, and without the pin format negotiation
  // may resample the whole chain (premix included) to 48 kHz for it.
  lines.push(
    `${labels.join('')}concat=n=${labels.length}:v=0:a=1,${DYNAMICS},${MONO_FLOAT},asplit=2[premix][meter]`
  );
  lines.push(`[meter]${LOUDNESS_METER}[metered]`);
  return `${lines.join(';\n')}\n`;
}

/** A batch of clips (with their pauses) joined into one intermediate mono track. */
export function buildBatchGraph(parts: readonly TrackPart[]): string {
  const lines = parts.map((part, i) => partChain(i, part.totalFrames, `p${i}`));
  const labels = parts.map((_, i) => `[p${i}]`).join('');
  lines.push(`${labels}concat=n=${parts.length}:v=0:a=1[batch]`);
  return `${lines.join(';\n')}\n`;
}

/** Splits `items` into consecutive groups of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}
