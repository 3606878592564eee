/**
 * AudioMixer on ffmpeg. Two passes in a private temp dir (always removed):
 *   1. intro bed + clips (each padded with its pause) + outro bed -> concat (mono) -> gentle
 *      compression and peak limiting -> premix.wav, measured with ebur128 in the same run;
 *   2. premix.wav -> gain (or loudnorm) to -16 LUFS (dual-mono) / -1.5 dBTP -> MP3 CBR 96 kbps,
 *      44.1 kHz mono (EPISODE_MP3),
 *      then the MP3 itself is measured and, if it missed the target by more than 0.5 LU, re-encoded
 *      once with the gain corrected.
 * Very long episodes are first joined in batches so no ffmpeg run opens too many files at once.
 * Durations and clip offsets are exact: the plan is in samples and the premix's length is checked.
 */
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FatalStageError } from '../../errors';
import type { Logger } from '../../ports';
import type { AudioMixer, MixClip, MixResult } from '../../providers';
import { locateFfmpeg } from './ffmpeg-binary';
import { runFfmpeg } from './ffmpeg-process';
import {
  correctedFilter,
  type LoudnessMeasurement,
  type LoudnessPlan,
  parseEbur128Summary,
  planLoudness,
} from './loudness';
import {
  buildBatchGraph,
  buildPremixGraph,
  chunk,
  LOUDNESS_METER,
  OUTPUT_SAMPLE_RATE,
  planTimeline,
  type TrackPart,
} from './mix-graph';
import { describeFormat, framesToMs, parseWav } from './wav';

export interface FfmpegMixerOptions {
  /** An ffmpeg binary to use instead of the bundled one (the composition root's FFMPEG_PATH). */
  ffmpegPath?: string;
  /** Parent of the per-mix temp dir (default: the OS temp dir). */
  workDir?: string;
  /** Limit for each ffmpeg run (default 10 minutes). */
  timeoutMs?: number;
  /** Clips per ffmpeg run before batching kicks in (default 200). */
  maxInputsPerRun?: number;
  logger?: Logger;
}

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
const DEFAULT_MAX_INPUTS = 200;
/**
 * The episode MP3: mono, because the mix is mono (mix-graph.ts), at a bitrate for mono speech.
 * Apple's audio requirements (https://podcasters.apple.com/support/893-audio-requirements, the
 * MP3 rows) give for mono MP3 a 32 kbps minimum and 96-128 kbps recommended at 44.1/48 kHz, and
 * for stereo a 64 kbps minimum and 128-256 kbps recommended: 96 kbps is the bottom of the mono
 * recommendation, and 25% smaller than the 128 kbps identical-channel stereo it replaces. CBR, so
 * the size follows from the duration. (Changing it changes every new episode's bytes.)
 */
export const EPISODE_MP3 = { bitrateKbps: 96, sampleRate: OUTPUT_SAMPLE_RATE, channels: 1 } as const;
const MP3_ARGS = [
  ...['-c:a', 'libmp3lame', '-b:a', `${EPISODE_MP3.bitrateKbps}k`],
  ...['-ar', String(EPISODE_MP3.sampleRate), '-ac', String(EPISODE_MP3.channels)],
];
const MP3_CLEAN_ARGS = [
  '-map_metadata',
  '-1',
  '-id3v2_version',
  '0',
  '-fflags',
  '+bitexact',
  '-flags:a',
  '+bitexact',
];

/** What bounds each ffmpeg run of a mix. */
type RunLimits = { timeoutMs: number; signal?: AbortSignal };

export class FfmpegMixer implements AudioMixer {
  constructor(private readonly options: FfmpegMixerOptions = {}) {}

  async mix(
    clips: MixClip[],
    options: { introMs: number; outroMs: number; workDir?: string; signal?: AbortSignal }
  ): Promise<MixResult> {
    if (clips.length === 0) throw new FatalStageError('mix: there are no clips to mix');
    const facts = clips.map((clip, i) => {
      const info = parseWav(clip.wav, `clip ${i}`);
      return {
        frames: info.frames,
        sampleRate: info.sampleRate,
        pauseAfterMs: clip.pauseAfterMs,
        format: describeFormat(info),
      };
    });
    const timeline = planTimeline(facts, options.introMs, options.outroMs);
    const ffmpeg = locateFfmpeg(this.options.ffmpegPath).path;
    const parent = options.workDir ?? this.options.workDir ?? tmpdir();
    const dir = await mkdtemp(join(parent, 'podcast-mix-'));
    // Every ffmpeg run gets the timeout and the unit's signal (an abort kills it at once).
    const limits: RunLimits = {
      timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const started = Date.now();
    try {
      const clipFiles = await Promise.all(
        clips.map(async (clip, i) => {
          const file = join(dir, `clip-${String(i).padStart(5, '0')}.wav`);
          await writeFile(file, clip.wav);
          return file;
        })
      );
      let parts: { file: string; part: TrackPart }[] = clipFiles.map((file, i) => {
        const planned = timeline.clips[i];
        return {
          file,
          part: { totalFrames: Math.max(1, (planned?.frames ?? 0) + (planned?.padFrames ?? 0)) },
        };
      });
      const maxInputs = Math.max(2, this.options.maxInputsPerRun ?? DEFAULT_MAX_INPUTS);
      if (parts.length > maxInputs) parts = await this.joinInBatches(ffmpeg, dir, parts, maxInputs, limits);

      // Pass 1: the premix and its loudness measurement.
      const premix = join(dir, 'premix.wav');
      const graphFile = join(dir, 'premix.graph');
      await writeFile(
        graphFile,
        buildPremixGraph(
          parts.map((p) => p.part),
          timeline.introFrames,
          timeline.outroFrames
        )
      );
      const pass1Args = [
        ...parts.flatMap((p) => ['-i', p.file]),
        ...['-filter_complex_script', graphFile],
        ...['-map', '[premix]', '-c:a', 'pcm_s16le', premix],
        ...['-map', '[metered]', '-f', 'null', '-'],
      ];
      const pass1 = await runFfmpeg(ffmpeg, pass1Args, { ...limits, step: 'mix pass 1 (premix)' });
      const measured = parseEbur128Summary(pass1.stderr);
      const premixFrames = await wavFramesOnDisk(premix);
      if (Math.abs(premixFrames - timeline.totalFrames) > OUTPUT_SAMPLE_RATE / 100) {
        throw new FatalStageError(
          `mix: the premix has ${premixFrames} frames, the plan ${timeline.totalFrames}`
        );
      }

      // Pass 2: loudness and encoding, checked on the encoded file and corrected once if needed.
      const plan: LoudnessPlan = planLoudness(measured);
      const output = join(dir, 'episode.mp3');
      let pass2Ms = await this.encode(ffmpeg, premix, plan.filter, output, limits);
      let encoded = await this.measure(ffmpeg, output, limits);
      const correction = correctedFilter(plan, encoded);
      if (correction) {
        pass2Ms += await this.encode(ffmpeg, premix, correction, output, limits);
        encoded = await this.measure(ffmpeg, output, limits);
      }
      const mp3 = await readFile(output);
      if (mp3.length === 0) throw new FatalStageError('mix: ffmpeg wrote an empty MP3');
      this.options.logger?.info('mix finished', {
        clips: clips.length,
        durationMs: framesToMs(premixFrames, OUTPUT_SAMPLE_RATE),
        premixLufs: measured.integratedLufs,
        episodeLufs: encoded.integratedLufs,
        episodeTruePeak: encoded.truePeakDbtp,
        loudness: plan.mode,
        corrected: correction !== undefined,
        pass1Ms: pass1.elapsedMs,
        pass2Ms,
        totalMs: Date.now() - started,
        formats: [...new Set(facts.map((f) => f.format))],
      });
      return {
        mp3,
        durationMs: framesToMs(premixFrames, OUTPUT_SAMPLE_RATE),
        loudness: { integratedLufs: encoded.integratedLufs, truePeakDbtp: encoded.truePeakDbtp },
        clipStartsMs: timeline.clipStartsMs,
        clipDurationsMs: timeline.clipDurationsMs,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Applies the loudness filter to the premix and encodes the MP3; returns the elapsed ms. */
  private async encode(
    ffmpeg: string,
    premix: string,
    filter: string,
    output: string,
    limits: RunLimits
  ): Promise<number> {
    // No tags (publishing owns metadata) and bit-exact output, so equal input gives equal bytes.
    const args = ['-i', premix, '-af', filter, ...MP3_ARGS, ...MP3_CLEAN_ARGS, output];
    return (await runFfmpeg(ffmpeg, args, { ...limits, step: 'mix pass 2 (loudness and MP3)' })).elapsedMs;
  }

  /** EBU R128 loudness (dual-mono, as pass 1 measures) and true peak of an audio file. */
  private async measure(ffmpeg: string, file: string, limits: RunLimits): Promise<LoudnessMeasurement> {
    const args = ['-i', file, '-af', LOUDNESS_METER, '-f', 'null', '-'];
    return parseEbur128Summary(
      (await runFfmpeg(ffmpeg, args, { ...limits, step: 'mix loudness check' })).stderr
    );
  }

  /** Joins consecutive clips (with their pauses) into intermediate tracks of exact length. */
  private async joinInBatches(
    ffmpeg: string,
    dir: string,
    parts: { file: string; part: TrackPart }[],
    size: number,
    limits: RunLimits
  ): Promise<{ file: string; part: TrackPart }[]> {
    const batches = chunk(parts, size);
    const joined: { file: string; part: TrackPart }[] = [];
    for (const [b, batch] of batches.entries()) {
      const graphFile = join(dir, `batch-${b}.graph`);
      const file = join(dir, `batch-${b}.wav`);
      await writeFile(graphFile, buildBatchGraph(batch.map((p) => p.part)));
      const args = [
        ...batch.flatMap((p) => ['-i', p.file]),
        '-filter_complex_script',
        graphFile,
        '-map',
        '[batch]',
        '-c:a',
        'pcm_s16le',
        file,
      ];
      await runFfmpeg(ffmpeg, args, { ...limits, step: `mix batch ${b + 1} of ${batches.length}` });
      joined.push({ file, part: { totalFrames: batch.reduce((sum, p) => sum + p.part.totalFrames, 0) } });
    }
    return joined;
  }
}

/** Frames of a WAV on disk, from its header and size (without reading the whole file). */
async function wavFramesOnDisk(file: string): Promise<number> {
  const { size } = await stat(file);
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    await handle.read(head, 0, head.length, 0);
    return parseWav(head, 'premix', size).frames;
  } finally {
    await handle.close();
  }
}
