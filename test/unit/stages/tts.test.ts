import { runCore } from '../../helpers/run-core';
import { makeSilentWav, parseWav } from '../../../stages/shared/adapters/audio/wav';
import { MespeakSpeech } from '../../../stages/shared/adapters/offline/mespeak-speech';
import { FatalStageError, RetryableStageError } from '../../../stages/shared/errors';
import type { Host } from '../../../stages/shared/config-schema';
import type { ProviderUsage, SpeechSynthesizer, SpokenClip } from '../../../stages/shared/providers';
import { parseOrThrow } from '../../../stages/shared/validation';
import type { TtsManifest } from '../../../stages/tts/schema';
import { ttsStage } from '../../../stages/tts/tts';
import { audioWorld, RUN_ID, shortScript, stageContext, stageInput } from './audio-fixtures';

/** Speech that records what it was asked, reports metered usage, and answers with silence sized to the text. */
class RecordingSpeech implements SpeechSynthesizer {
  readonly name = 'recording';
  readonly calls: { text: string; host: string }[] = [];
  constructor(private readonly fail?: Error) {}

  async speak(
    text: string,
    host: Host,
    options?: { onUsage?: (usage: ProviderUsage) => void }
  ): Promise<SpokenClip> {
    this.calls.push({ text, host: host.id });
    if (this.fail) throw this.fail;
    options?.onUsage?.({ provider: 'polly', model: 'neural', characters: text.length });
    return { wav: makeSilentWav(text.length * 10), sampleRate: 22050, durationMs: text.length * 10 };
  }
}

describe('tts stage', () => {
  it('speaks every turn with its host voice and stores one WAV per turn', async () => {
    // Prepare
    const world = await audioWorld({ speech: new MespeakSpeech() });

    // Act
    const manifest = await runCore(ttsStage, stageInput(world), stageContext(world));

    // Assess
    expect(ttsStage.outputSchema.parse(manifest)).toEqual(manifest);
    expect(manifest.scriptKey).toBe(world.scriptKey);
    expect(manifest.clips.map((c) => [c.turnIndex, c.speaker, c.segmentId, c.key])).toEqual([
      [0, 'ava', 'intro', `runs/${RUN_ID}/tts/0000.wav`],
      [1, 'ben', 'intro', `runs/${RUN_ID}/tts/0001.wav`],
      [2, 'ava', 'story-1', `runs/${RUN_ID}/tts/0002.wav`],
      [3, 'ben', 'story-1', `runs/${RUN_ID}/tts/0003.wav`],
      [4, 'ava', 'outro', `runs/${RUN_ID}/tts/0004.wav`],
      [5, 'ben', 'outro', `runs/${RUN_ID}/tts/0005.wav`],
    ]);
    for (const clip of manifest.clips) {
      const stored = world.deps.media.objects.get(clip.key);
      expect(stored?.contentType).toBe('audio/wav');
      expect(parseWav(stored?.body ?? Buffer.alloc(0)).durationMs).toBe(clip.durationMs);
      expect(clip.durationMs).toBeGreaterThan(500);
    }
    // The two hosts' renditions of similar lines differ (different voices).
    const [a, b] = [
      world.deps.media.objects.get(manifest.clips[0]!.key)!.body,
      world.deps.media.objects.get(manifest.clips[1]!.key)!.body,
    ];
    expect(a.equals(b)).toBe(false);
    expect(world.progress[world.progress.length - 1]).toBe(1);
    // Offline speech reports no usage, so nothing is recorded on the run.
    expect((await world.deps.runs.get(RUN_ID))?.usage).toBeUndefined();
  });

  it('splits turns across shards by position and merges them back in turn order', async () => {
    const speech = new RecordingSpeech();
    const world = await audioWorld({ speech });

    const parts: TtsManifest[] = [];
    for (let index = 0; index < 4; index++)
      parts.push(await runCore(ttsStage, stageInput(world, { index, count: 4 }), stageContext(world)));
    const merged = ttsStage.merge?.([...parts].reverse());

    expect(parts.map((p) => p.clips.map((c) => c.turnIndex))).toEqual([[0, 4], [1, 5], [2], [3]]);
    expect(merged?.clips.map((c) => c.turnIndex)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(merged?.scriptKey).toBe(world.scriptKey);
    expect(ttsStage.merge?.([parts[0]!, parts[0]!, parts[1]!])?.clips.map((c) => c.turnIndex)).toEqual([
      0, 1, 4, 5,
    ]);
    expect(speech.calls).toHaveLength(6);
    expect(() => ttsStage.merge?.([parts[0]!, { ...parts[1]!, scriptKey: 'other.json' }])).toThrow(
      'tts shards were spoken from different scripts'
    );
  });

  it('reads the reviewed script when review ran, and records metered usage per shard', async () => {
    const speech = new RecordingSpeech();
    const world = await audioWorld({ speech, reviewed: true });

    const manifest = await runCore(ttsStage, stageInput(world, { index: 1, count: 4 }), stageContext(world));

    expect(manifest.scriptKey).toBe(`runs/${RUN_ID}/review/script.json`);
    const run = await world.deps.runs.get(RUN_ID);
    expect(run?.usage?.['tts/1']).toEqual({
      speech: {
        'polly/neural': { calls: 2, characters: speech.calls.reduce((n, c) => n + c.text.length, 0) },
      },
    });
  });

  it('resolves a speaker given by name, and fails on a speaker who is not a host, naming the turn', async () => {
    const script = shortScript();
    script.turns[1] = { ...script.turns[1]!, speaker: 'Ben' };
    const byName = await audioWorld({ speech: new RecordingSpeech(), script });
    script.turns[3] = { ...script.turns[3]!, speaker: 'carol' };
    const unknown = await audioWorld({ speech: new RecordingSpeech(), script });

    const manifest = await runCore(
      ttsStage,
      stageInput(byName, { index: 1, count: 4 }),
      stageContext(byName)
    );
    const failure = runCore(ttsStage, stageInput(unknown, { index: 0, count: 4 }), stageContext(unknown));

    expect(manifest.clips.map((c) => c.speaker)).toEqual(['ben', 'ben']);
    await expect(failure).rejects.toThrow(FatalStageError);
    await expect(runCore(ttsStage, stageInput(unknown), stageContext(unknown))).rejects.toThrow(
      'turn 3: speaker "carol" is not a host of tech-weekly (ava, ben)'
    );
  });

  it('keeps provider errors retryable unless they are pipeline errors', async () => {
    const flaky = await audioWorld({ speech: new RecordingSpeech(new Error('socket hang up')) });
    const broken = await audioWorld({ speech: new RecordingSpeech(new FatalStageError('voice retired')) });

    await expect(runCore(ttsStage, stageInput(flaky), stageContext(flaky))).rejects.toThrow(
      RetryableStageError
    );
    await expect(runCore(ttsStage, stageInput(flaky), stageContext(flaky))).rejects.toThrow(
      'speech "recording" failed on turn 0: socket hang up'
    );
    await expect(runCore(ttsStage, stageInput(broken), stageContext(broken))).rejects.toThrow(
      'voice retired'
    );
  });

  it('rejects a clip that is not WAV audio', async () => {
    const mp3Speech: SpeechSynthesizer = {
      name: 'mp3-only',
      speak: async () => ({ wav: Buffer.alloc(2048, 0xff), sampleRate: 22050, durationMs: 900 }),
    };
    const world = await audioWorld({ speech: mp3Speech });

    await expect(runCore(ttsStage, stageInput(world), stageContext(world))).rejects.toThrow(
      'speech "mp3-only" returned audio for turn 0 that is not a WAV file'
    );
  });

  it('rejects a missing script manifest, a malformed script and an out-of-range shard', async () => {
    const world = await audioWorld({ speech: new RecordingSpeech() });
    const noScript = { ...stageInput(world), stages: { prepare: world.stages.prepare } };
    await world.deps.media.put(
      world.scriptKey,
      JSON.stringify({ episodeTitle: 'x', turns: [], wordCount: 0 }),
      'application/json'
    );

    // The input schema (which the lifecycle parses once, before the core) names the missing manifest.
    expect(() => parseOrThrow(ttsStage.inputSchema, noScript, 'input')).toThrow('input.stages.script');
    await expect(runCore(ttsStage, stageInput(world), stageContext(world))).rejects.toThrow(
      `script s3://media-bucket/${world.scriptKey} is malformed: script.turns: the script has no turns`
    );
    await expect(
      runCore(ttsStage, stageInput(world, { index: 4, count: 4 }), stageContext(world))
    ).rejects.toThrow('shard 4 is out of range for 4 shards');
  });
});
