import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureExecutable, locateFfmpeg } from '../../../stages/shared/adapters/audio/ffmpeg-binary';
import { EPISODE_MP3, FfmpegMixer } from '../../../stages/shared/adapters/audio/ffmpeg-mixer';
import { lastMeaningfulLine, runFfmpeg } from '../../../stages/shared/adapters/audio/ffmpeg-process';
import {
  correctedFilter,
  parseEbur128Summary,
  planLoudness,
} from '../../../stages/shared/adapters/audio/loudness';
import { planTimeline } from '../../../stages/shared/adapters/audio/mix-graph';
import { makeSilentWav, parseWav } from '../../../stages/shared/adapters/audio/wav';
import { MespeakSpeech } from '../../../stages/shared/adapters/offline/mespeak-speech';
import { hostSchema } from '../../../stages/shared/config-schema';
import { FatalStageError, RetryableStageError } from '../../../stages/shared/errors';
import { ffprobePath, probe } from '../../helpers/ffprobe';

const speech = new MespeakSpeech();
const AVA = hostSchema.parse({
  id: 'ava',
  name: 'Ava',
  role: 'lead',
  voice: { pitch: 60, speed: 170, variant: 'f2' },
});
const BEN = hostSchema.parse({
  id: 'ben',
  name: 'Ben',
  role: 'co-host',
  voice: { pitch: 35, speed: 160, variant: 'm3' },
});

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'mixer-test-'));
});
afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs the bundled ffmpeg directly (independently of the code under test). */
function ffmpeg(args: string[]): { stderr: string; stdout: Buffer } {
  const result = spawnSync(locateFfmpeg().path, ['-hide_banner', '-nostdin', ...args], {
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr.toString()}`);
  return { stderr: result.stderr.toString(), stdout: result.stdout };
}

/** The first MPEG audio frame header after any ID3v2 tag. */
function firstFrameHeader(mp3: Buffer): {
  version: number;
  layer: number;
  bitrateKbps: number;
  sampleRate: number;
  mono: boolean;
} {
  let offset = 0;
  if (mp3.toString('latin1', 0, 3) === 'ID3') {
    const size = ((mp3[6] ?? 0) << 21) | ((mp3[7] ?? 0) << 14) | ((mp3[8] ?? 0) << 7) | (mp3[9] ?? 0);
    offset = 10 + size;
  }
  while (offset + 4 <= mp3.length && !(mp3[offset] === 0xff && ((mp3[offset + 1] ?? 0) & 0xe0) === 0xe0))
    offset++;
  const header = mp3.readUInt32BE(offset);
  const version = (header >>> 19) & 0x3;
  const layer = (header >>> 17) & 0x3;
  const bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
  return {
    version,
    layer,
    bitrateKbps: bitrates[(header >>> 12) & 0xf] ?? -1,
    sampleRate: [44100, 48000, 32000][(header >>> 10) & 0x3] ?? -1,
    // Channel mode 3 is single channel.
    mono: ((header >>> 6) & 0x3) === 3,
  };
}

/** Decoded length of an MP3 in ms (as a player sees it: encoder delay and padding removed). */
function decodedDurationMs(file: string): number {
  const { stdout } = ffmpeg(['-i', file, '-f', 'wav', '-c:a', 'pcm_s16le', '-']);
  return parseWav(stdout, 'decoded mp3', stdout.length).durationMs;
}

/** loudnorm's measurement of a file; `dualMono` reads a mono file as played on two speakers. */
function integratedLoudness(file: string, dualMono: boolean): { input_i: string; input_tp: string } {
  const { stderr } = ffmpeg([
    '-i',
    file,
    '-af',
    `loudnorm=I=-16:TP=-1.5:LRA=11:dual_mono=${dualMono}:print_format=json`,
    '-f',
    'null',
    '-',
  ]);
  return JSON.parse(stderr.slice(stderr.lastIndexOf('{'), stderr.lastIndexOf('}') + 1)) as {
    input_i: string;
    input_tp: string;
  };
}

describe('FfmpegMixer (real ffmpeg)', () => {
  it('mixes two clips with pauses and beds into a -16 LUFS mono MP3 (MPEG-1 Layer III, 96 kbps, 44.1 kHz)', async () => {
    // Prepare
    const a = await speech.speak('Welcome to the show, this is the first clip.', AVA);
    const b = await speech.speak('And this is the second clip, read by the other host.', BEN);
    const workDir = join(scratch, 'work');
    mkdirSync(workDir);

    // Act
    const result = await new FfmpegMixer({ workDir }).mix(
      [
        { wav: a.wav, pauseAfterMs: 350 },
        { wav: b.wav, pauseAfterMs: 800 },
      ],
      { introMs: 2000, outroMs: 2000 }
    );

    // Assess
    const file = join(scratch, 'episode.mp3');
    writeFileSync(file, result.mp3);
    expect(firstFrameHeader(result.mp3)).toEqual({
      version: 3,
      layer: 1,
      bitrateKbps: 96,
      sampleRate: 44100,
      mono: true,
    });
    expect(EPISODE_MP3).toEqual({ bitrateKbps: 96, sampleRate: 44100, channels: 1 });
    expect(result.mp3.subarray(0, 3).toString('latin1')).not.toBe('ID3'); // publish writes the tag
    const [stream] = probe(file).streams;
    expect(stream).toMatchObject({
      codec_name: 'mp3',
      channels: 1,
      channel_layout: 'mono',
      sample_rate: '44100',
    });
    expect(stream?.bit_rate).toBe('96000');
    // CBR: the size follows from the duration (plus the Xing/LAME frame).
    expect(Math.abs((result.mp3.length * 8) / 96 - result.durationMs)).toBeLessThan(150);
    const expectedMs = 2000 + a.durationMs + 350 + b.durationMs + 800 + 2000;
    expect(Math.abs(result.durationMs - expectedMs)).toBeLessThanOrEqual(2);
    expect(Math.abs(decodedDurationMs(file) - result.durationMs)).toBeLessThanOrEqual(50);
    expect(result.clipStartsMs).toEqual([2000, 2000 + result.clipDurationsMs[0]! + 350]);
    expect(Math.abs(result.clipDurationsMs[0]! - a.durationMs)).toBeLessThanOrEqual(1);
    expect(Math.abs(result.clipDurationsMs[1]! - b.durationMs)).toBeLessThanOrEqual(1);
    // -16 LUFS as heard on two speakers (dual-mono); a plain mono reading is 3 LU lower.
    const loudness = integratedLoudness(file, true);
    expect(Math.abs(Number(loudness.input_i) + 16)).toBeLessThanOrEqual(1.5);
    expect(Number(loudness.input_tp)).toBeLessThanOrEqual(-1);
    const plain = integratedLoudness(file, false);
    expect(Number(loudness.input_i) - Number(plain.input_i)).toBeCloseTo(3, 0);
    expect(readdirSync(workDir)).toEqual([]);
  });

  it('joins many clips in batches with the same timeline, including clips at other sample rates', async () => {
    const spoken = await speech.speak('One more short clip.', BEN);
    const clips = [
      { wav: spoken.wav, pauseAfterMs: 350 },
      { wav: makeSilentWav(500, { sampleRate: 16000 }), pauseAfterMs: 350 },
      { wav: spoken.wav, pauseAfterMs: 800 },
    ];

    const result = await new FfmpegMixer({ maxInputsPerRun: 2, workDir: scratch }).mix(clips, {
      introMs: 1000,
      outroMs: 1000,
    });

    const plan = planTimeline(
      clips.map((c) => ({ ...parseWav(c.wav), pauseAfterMs: c.pauseAfterMs })),
      1000,
      1000
    );
    expect(result.clipStartsMs).toEqual(plan.clipStartsMs);
    expect(result.durationMs).toBe(plan.durationMs);
    const file = join(scratch, 'batched.mp3');
    writeFileSync(file, result.mp3);
    expect(Math.abs(decodedDurationMs(file) - plan.durationMs)).toBeLessThanOrEqual(50);
    expect(readdirSync(scratch)).toEqual(['batched.mp3']);
  });

  it('refuses bad input before running ffmpeg, naming the clip or the binary', async () => {
    const mixer = new FfmpegMixer({ workDir: scratch });
    const missing = join(scratch, 'no-such-ffmpeg');

    await expect(mixer.mix([], { introMs: 0, outroMs: 0 })).rejects.toThrow('mix: there are no clips to mix');
    await expect(
      mixer.mix(
        [
          { wav: makeSilentWav(10), pauseAfterMs: 0 },
          { wav: Buffer.from('nope'), pauseAfterMs: 0 },
        ],
        { introMs: 0, outroMs: 0 }
      )
    ).rejects.toThrow('clip 1: not a usable WAV file');
    await expect(
      new FfmpegMixer({ ffmpegPath: missing }).mix([{ wav: makeSilentWav(10), pauseAfterMs: 0 }], {
        introMs: 0,
        outroMs: 0,
      })
    ).rejects.toThrow(`ffmpeg not found at ${missing}`);
    expect(readdirSync(scratch)).toEqual([]);
  });
});

describe('ffmpeg process and binary', () => {
  function script(name: string, body: string): string {
    const path = join(scratch, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  it('turns a non-zero exit into a FatalStageError with the last stderr line', async () => {
    const failing = script(
      'fail.sh',
      'echo "Input #0, wav" >&2\necho "premix.graph: Invalid argument" >&2\nexit 1'
    );

    const run = runFfmpeg(failing, ['-i', 'x'], { timeoutMs: 5000, step: 'mix pass 1' });

    await expect(run).rejects.toThrow(FatalStageError);
    await expect(runFfmpeg(failing, [], { timeoutMs: 5000, step: 'mix pass 1' })).rejects.toThrow(
      'mix pass 1: ffmpeg exited with code 1: premix.graph: Invalid argument'
    );
  });

  it('kills ffmpeg at the timeout with a RetryableStageError', async () => {
    const slow = script('slow.sh', 'sleep 5');

    const started = Date.now();

    await expect(runFfmpeg(slow, [], { timeoutMs: 200, step: 'mix pass 2' })).rejects.toThrow(
      RetryableStageError
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives a non-executable binary its execute bit back', () => {
    const binary = join(scratch, 'ffmpeg');
    writeFileSync(binary, '#!/bin/sh\nexit 0\n');
    chmodSync(binary, 0o644);

    const location = ensureExecutable(binary, scratch);

    expect(location).toEqual({ path: binary, source: 'bundled' });
    expect(statSync(binary).mode & 0o111).not.toBe(0);
  });

  it('finds the devDependency ffprobe and makes it executable', () => {
    const result = spawnSync(ffprobePath(), ['-version'], { encoding: 'utf8' });

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ffprobe version/);
  });

  it('finds the bundled static ffmpeg for this platform', () => {
    expect(locateFfmpeg().path).toMatch(/@ffmpeg-installer/);
    expect(lastMeaningfulLine('a\n\nb: bad thing\nConversion failed!\n')).toBe('b: bad thing');
  });
});

describe('loudness and timeline planning', () => {
  const SUMMARY = `[Parsed_ebur128_3 @ 0x1] Summary:

  Integrated loudness:
    I:         -18.5 LUFS
    Threshold: -28.8 LUFS

  Loudness range:
    LRA:         2.9 LU
    Threshold: -39.1 LUFS
    LRA low:   -20.4 LUFS
    LRA high:  -17.4 LUFS

  True peak:
    Peak:       -6.0 dBFS
`;

  it('parses the ebur128 summary', () => {
    expect(parseEbur128Summary(`t: 1.2 M: -20 S: -21 I: -19.0 LUFS\n${SUMMARY}`)).toEqual({
      integratedLufs: -18.5,
      thresholdLufs: -28.8,
      loudnessRangeLu: 2.9,
      truePeakDbtp: -6,
    });
    expect(() => parseEbur128Summary('no summary here')).toThrow('ffmpeg printed no ebur128 summary');
  });

  it('applies a plain gain when the peak allows it, else loudnorm seeded with the measurement', () => {
    const measured = parseEbur128Summary(SUMMARY);

    expect(planLoudness(measured)).toEqual({ mode: 'gain', gainDb: 2.5, filter: 'volume=2.50dB' });
    const quiet = planLoudness({ ...measured, integratedLufs: -30 });
    expect(quiet.mode).toBe('loudnorm');
    expect(quiet.filter).toBe(
      'loudnorm=I=-16:TP=-1.5:LRA=11:measured_I=-30.00:measured_TP=-6.00:measured_LRA=2.90:measured_thresh=-28.80:dual_mono=true,aresample=44100'
    );
    expect(() => planLoudness({ ...measured, integratedLufs: Number.NEGATIVE_INFINITY })).toThrow(
      'the mix is silent'
    );
  });

  it('corrects the encoded level once when it misses the target by more than the tolerance', () => {
    const plan = planLoudness(parseEbur128Summary(SUMMARY));

    expect(
      correctedFilter(plan, {
        integratedLufs: -16.3,
        truePeakDbtp: -4,
        loudnessRangeLu: 3,
        thresholdLufs: -26,
      })
    ).toBeUndefined();
    expect(
      correctedFilter(plan, {
        integratedLufs: -16.8,
        truePeakDbtp: -4,
        loudnessRangeLu: 3,
        thresholdLufs: -26,
      })
    ).toBe('volume=3.30dB');
    expect(
      correctedFilter(plan, {
        integratedLufs: -17,
        truePeakDbtp: -1.8,
        loudnessRangeLu: 3,
        thresholdLufs: -26,
      })
    ).toBe('volume=2.80dB');
  });

  it('plans clip offsets in output samples, resampling other rates', () => {
    const plan = planTimeline(
      [
        { frames: 22050, sampleRate: 22050, pauseAfterMs: 350 },
        { frames: 16000, sampleRate: 16000, pauseAfterMs: 800 },
      ],
      4000,
      4000
    );

    expect(plan.clips).toEqual([
      { frames: 44100, padFrames: 15435 },
      { frames: 44100, padFrames: 35280 },
    ]);
    expect(plan.clipStartsMs).toEqual([4000, 5350]);
    expect(plan.durationMs).toBe(4000 + 1000 + 350 + 1000 + 800 + 4000);
  });
});
