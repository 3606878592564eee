import { runCore } from '../../helpers/run-core';
import { FfmpegMixer } from '../../../stages/shared/adapters/audio/ffmpeg-mixer';
import { makeSilentWav, parseWav } from '../../../stages/shared/adapters/audio/wav';
import { MespeakSpeech } from '../../../stages/shared/adapters/offline/mespeak-speech';
import type { ClipTiming } from '../../../stages/shared/content-types';
import { FatalStageError } from '../../../stages/shared/errors';
import type { AudioMixer, MixClip, MixResult } from '../../../stages/shared/providers';
import { parseOrThrow } from '../../../stages/shared/validation';
import { mixStage, pausesAfter } from '../../../stages/mix/mix';
import { MIX_TIMING } from '../../../stages/mix/schema';
import { PACING_SCALE, fixedMs, pacingAt } from '../../../stages/shared/mix-timing';
import type { TtsManifest } from '../../../stages/tts/schema';
import { ttsStage } from '../../../stages/tts/tts';
import { type AudioWorld, audioWorld, RUN_ID, stageContext, stageInput } from './audio-fixtures';

/** A mixer that does the timeline arithmetic from the WAV headers and records what it was given. */
class ArithmeticMixer implements AudioMixer {
  readonly calls: { clips: MixClip[]; introMs: number; outroMs: number }[] = [];
  constructor(private readonly dropOffsets = false) {}

  async mix(clips: MixClip[], options: { introMs: number; outroMs: number }): Promise<MixResult> {
    this.calls.push({ clips, ...options });
    let cursor = options.introMs;
    const clipStartsMs: number[] = [];
    const clipDurationsMs: number[] = [];
    for (const clip of clips) {
      const durationMs = parseWav(clip.wav).durationMs;
      clipStartsMs.push(cursor);
      clipDurationsMs.push(durationMs);
      cursor += durationMs + clip.pauseAfterMs;
    }
    const durationMs = cursor + options.outroMs;
    return {
      mp3: Buffer.from(`mp3 of ${durationMs} ms`),
      durationMs,
      loudness: { integratedLufs: -16.04, truePeakDbtp: -1.52 },
      clipStartsMs: this.dropOffsets ? clipStartsMs.slice(1) : clipStartsMs,
      clipDurationsMs,
    };
  }
}

/** Stores one silent clip per turn and the tts manifest that lists them. */
async function withSilentClips(world: AudioWorld): Promise<TtsManifest> {
  const script = world.deps.media.json<{ turns: { index: number; speaker: string; segmentId: string }[] }>(
    world.scriptKey
  );
  const clips = [];
  for (const turn of script.turns) {
    const key = `runs/${RUN_ID}/tts/${String(turn.index).padStart(4, '0')}.wav`;
    await world.deps.media.put(key, makeSilentWav(1000 + turn.index * 100), 'audio/wav');
    clips.push({
      turnIndex: turn.index,
      speaker: turn.speaker,
      segmentId: turn.segmentId,
      key,
      durationMs: 1000 + turn.index * 100,
    });
  }
  const tts = { clips, scriptKey: world.scriptKey };
  world.stages.tts = tts;
  return tts;
}

describe('mix stage', () => {
  it('mixes the spoken turns into episode.mp3 with a timeline of where each turn is (real speech and ffmpeg)', async () => {
    // Prepare
    const world = await audioWorld({ speech: new MespeakSpeech(), mixer: new FfmpegMixer() });
    world.stages.tts = await runCore(ttsStage, stageInput(world), stageContext(world));
    const tts = world.stages.tts as TtsManifest;
    world.progress.length = 0;

    // Act
    const manifest = await runCore(mixStage, stageInput(world), stageContext(world));

    // Assess
    expect(mixStage.outputSchema.parse(manifest)).toEqual(manifest);
    expect(manifest.key).toBe(`runs/${RUN_ID}/mix/episode.mp3`);
    expect(manifest.timelineKey).toBe(`runs/${RUN_ID}/mix/timeline.json`);
    const mp3 = world.deps.media.objects.get(manifest.key);
    expect(mp3?.contentType).toBe('audio/mpeg');
    expect(manifest.bytes).toBe(mp3?.body.length);
    const speechMs = tts.clips.reduce((sum, c) => sum + c.durationMs, 0);
    // Six short turns are far below the 3-minute target: the beds and pauses stretch as far as allowed.
    const pacing = pacingAt(PACING_SCALE.max);
    const pausesMs = 3 * pacing.turnPauseMs + 3 * pacing.segmentPauseMs;
    expect(
      Math.abs(manifest.durationMs - (pacing.introMs + speechMs + pausesMs + pacing.outroMs))
    ).toBeLessThanOrEqual(6);
    // CBR 96 kbps: the size follows from the duration (the manifest's bytes are the untagged file's).
    expect(Math.abs((manifest.bytes * 8) / 96 - manifest.durationMs)).toBeLessThan(150);
    expect(mp3?.body.subarray(0, 3).toString('latin1')).not.toBe('ID3');

    const timeline = world.deps.media.json<ClipTiming[]>(manifest.timelineKey);
    expect(timeline.map((t) => [t.turnIndex, t.speaker, t.segmentId])).toEqual(
      tts.clips.map((c) => [c.turnIndex, c.speaker, c.segmentId])
    );
    expect(timeline[0]?.startMs).toBe(pacing.introMs);
    expect(timeline[2]?.text).toBe('A new database release shipped this week.');
    const gaps = timeline.slice(1).map((t, i) => t.startMs - (timeline[i]?.endMs ?? 0));
    expect(gaps.map((gap) => Math.round(gap / 10) * 10)).toEqual([610, 1400, 610, 1400, 610]);
    expect(world.progress).toEqual([0.25, 0.9]);
  });

  it('pauses briefly between turns and longer at segment changes and before the outro', async () => {
    const mixer = new ArithmeticMixer();
    const world = await audioWorld({ mixer });
    await withSilentClips(world);

    await runCore(mixStage, stageInput(world), stageContext(world));

    // A short script: every pause and bed at the most PACING_SCALE allows (1.75 times MIX_TIMING).
    expect(mixer.calls[0]?.clips.map((c) => c.pauseAfterMs)).toEqual([613, 1400, 613, 1400, 613, 1400]);
    expect(mixer.calls[0]).toMatchObject({ introMs: 7000, outroMs: 7000 });
    expect(pausesAfter([{ segmentId: 'a' }])).toEqual([MIX_TIMING.segmentPauseMs]);
  });

  it('paces the beds and pauses so the episode lands on targetMinutes, within bounds', async () => {
    const mixer = new ArithmeticMixer();
    const world = await audioWorld({ mixer });
    const tts = await withSilentClips(world);
    const turns = tts.clips.map((c) => ({ segmentId: c.segmentId }));
    // Clips that leave the 3-minute target 1.3 times the usual beds and pauses.
    const clipMs = Math.round((180_000 - 1.3 * fixedMs(turns)) / tts.clips.length);
    for (const clip of tts.clips) {
      await world.deps.media.put(clip.key, makeSilentWav(clipMs), 'audio/wav');
      clip.durationMs = clipMs;
    }

    const manifest = await runCore(mixStage, stageInput(world), stageContext(world));

    expect(Math.abs(manifest.durationMs - 180_000)).toBeLessThanOrEqual(10);
    expect(mixer.calls[0]).toMatchObject({ introMs: 5200, outroMs: 5200 });
    // Too much speech for the target: the pacing goes no tighter than PACING_SCALE.min.
    for (const clip of tts.clips) {
      await world.deps.media.put(clip.key, makeSilentWav(40_000), 'audio/wav');
      clip.durationMs = 40_000;
    }
    await runCore(mixStage, stageInput(world), stageContext(world));
    expect(mixer.calls[1]).toMatchObject({ introMs: 2400, outroMs: 2400 });
  });

  it('reads the script tts spoke from its manifest alone, and refuses a tts manifest that names none', async () => {
    const mixer = new ArithmeticMixer();
    const world = await audioWorld({ mixer });
    const tts = await withSilentClips(world);
    world.stages.tts = tts;
    delete world.stages.script;
    delete world.stages.review;

    const manifest = await runCore(mixStage, stageInput(world), stageContext(world));

    expect(world.deps.media.json<ClipTiming[]>(manifest.timelineKey)).toHaveLength(6);
    world.stages.tts = { clips: tts.clips };
    await expect(runCore(mixStage, stageInput(world), stageContext(world))).rejects.toThrow(/scriptKey/);
  });

  it('fails naming the turn when a clip is missing from the manifest or from the store', async () => {
    const world = await audioWorld({ mixer: new ArithmeticMixer() });
    const tts = await withSilentClips(world);

    world.stages.tts = { ...tts, clips: tts.clips.filter((c) => c.turnIndex !== 2) };
    await expect(runCore(mixStage, stageInput(world), stageContext(world))).rejects.toThrow(FatalStageError);
    await expect(runCore(mixStage, stageInput(world), stageContext(world))).rejects.toThrow(
      'turn 2: no tts clip (the tts manifest has 5 clips)'
    );

    world.stages.tts = tts;
    world.deps.media.objects.delete(`runs/${RUN_ID}/tts/0003.wav`);
    await expect(runCore(mixStage, stageInput(world), stageContext(world))).rejects.toThrow(
      `turn 3: clip s3://media-bucket/runs/${RUN_ID}/tts/0003.wav is missing`
    );

    world.stages.tts = { ...tts, clips: [...tts.clips, { ...tts.clips[0]!, turnIndex: 9 }] };
    await expect(runCore(mixStage, stageInput(world), stageContext(world))).rejects.toThrow(
      'tts clip for turn 9 has no turn in the script'
    );
  });

  it('rejects a mixer answer that does not place every clip, and input without tts', async () => {
    const world = await audioWorld({ mixer: new ArithmeticMixer(true) });
    await withSilentClips(world);

    await expect(runCore(mixStage, stageInput(world), stageContext(world))).rejects.toThrow(
      'mixer returned 5 clip offsets for 6 clips'
    );
    delete world.stages.tts;
    expect(() => parseOrThrow(mixStage.inputSchema, stageInput(world), 'input')).toThrow('input.stages.tts');
  });
});
