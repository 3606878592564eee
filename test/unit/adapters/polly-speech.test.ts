import {
  PollyClient,
  SynthesizeSpeechCommand,
  type SynthesizeSpeechCommandInput,
  type SynthesizeSpeechCommandOutput,
} from '@aws-sdk/client-polly';
import { mockClient } from 'aws-sdk-client-mock';
import { FfmpegMixer } from '../../../stages/shared/adapters/audio/ffmpeg-mixer';
import { parseWav } from '../../../stages/shared/adapters/audio/wav';
import { PollySpeech } from '../../../stages/shared/adapters/cloud/polly-speech';
import {
  chunkForPolly,
  MAX_BILLED_CHARS,
  MAX_SSML_CHARS,
  toSsml,
} from '../../../stages/shared/adapters/cloud/ssml';
import type { Host } from '../../../stages/shared/config-schema';
import { FatalStageError, RetryableStageError, ValidationError } from '../../../stages/shared/errors';
import type { ProviderUsage } from '../../../stages/shared/providers';

const polly = mockClient(PollyClient);
afterEach(() => polly.reset());

const ava: Host = { id: 'ava', name: 'Ava', role: 'lead', voice: { pitch: 50, speed: 165 } };
const ben: Host = {
  id: 'ben',
  name: 'Ben',
  role: 'co-host',
  voice: { pitch: 50, speed: 165, pollyVoiceId: 'Stephen' },
};

/** Polly's answer: `ms` of 16 kHz 16-bit mono PCM, every sample `level` (so joined chunks are distinguishable). */
function pcmAnswer(ms: number, characters?: number, level = 100): SynthesizeSpeechCommandOutput {
  const samples = (16000 * ms) / 1000;
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) pcm.writeInt16LE(level, i * 2);
  const stream = { transformToByteArray: async () => new Uint8Array(pcm) };
  return {
    $metadata: {},
    ContentType: 'audio/pcm',
    ...(characters !== undefined ? { RequestCharacters: characters } : {}),
    AudioStream: stream as unknown as SynthesizeSpeechCommandOutput['AudioStream'],
  };
}

const sent = () =>
  polly
    .commandCalls(SynthesizeSpeechCommand)
    .map((call) => call.args[0].input as SynthesizeSpeechCommandInput);
const fast = () => new PollySpeech();

describe('PollySpeech', () => {
  it('asks for neural PCM at 16 kHz as SSML, with the host voice, and returns a WAV of that audio', async () => {
    // Prepare
    polly.on(SynthesizeSpeechCommand).resolves(pcmAnswer(1500, 41));
    const usage: ProviderUsage[] = [];

    // Act
    const clip = await fast().speak('Rust & C++ <3 each other... really.', ben, {
      onUsage: (u) => usage.push(u),
    });

    // Assess
    expect(sent()).toEqual([
      {
        Engine: 'neural',
        VoiceId: 'Stephen',
        OutputFormat: 'pcm',
        SampleRate: '16000',
        TextType: 'ssml',
        Text: '<speak>Rust &amp; C++ &lt;3 each other<break time="450ms"/>really.</speak>',
      },
    ]);
    const info = parseWav(clip.wav);
    expect(info).toMatchObject({
      audioFormat: 1,
      sampleRate: 16000,
      channels: 1,
      bitsPerSample: 16,
      durationMs: 1500,
    });
    expect(clip).toMatchObject({ sampleRate: 16000, durationMs: 1500 });
    expect(usage).toEqual([{ provider: 'polly', model: 'neural', characters: 41 }]);
  });

  it("gives hosts without a Polly voice their slot's neural voice in the podcast's language", async () => {
    // Prepare: a German panel of four, none with a pollyVoiceId.
    polly.on(SynthesizeSpeechCommand).resolves(pcmAnswer(100));
    const panel: Host[] = ['ava', 'ben', 'cleo', 'dan'].map((id) => ({ ...ava, id, voice: {} }));
    const german = new PollySpeech({ cast: { language: 'de-de', hosts: panel } });

    // Act
    for (const host of panel) await german.speak('Hallo zusammen.', host);
    await fast().speak('Hello there.', ava);

    // Assess: four different German neural voices; English (the default cast) for the plain synthesizer.
    expect(sent().map((input) => input.VoiceId)).toEqual(['Vicki', 'Hannah', 'Sabrina', 'Daniel', 'Joanna']);
  });

  it('splits a long turn at sentence boundaries under Polly limits and joins the audio in order', async () => {
    // Prepare: ~7,800 characters in 120 sentences; each request answers 1 s of audio.
    const sentences = Array.from(
      { length: 120 },
      (_, i) => `Sentence number ${i + 1} talks about kernels, chips & "schedulers" at length.`
    );
    const text = sentences.join(' ');
    let calls = 0;
    polly
      .on(SynthesizeSpeechCommand)
      .callsFake((input: SynthesizeSpeechCommandInput) =>
        pcmAnswer(1000, (input.Text ?? '').length - 15, ++calls)
      );
    const usage: ProviderUsage[] = [];

    // Act
    const clip = await fast().speak(text, ava, { onUsage: (u) => usage.push(u) });

    // Assess
    const requests = sent().map((input) => input.Text ?? '');
    expect(requests.length).toBe(3);
    for (const ssml of requests) {
      expect(ssml.length).toBeLessThanOrEqual(MAX_SSML_CHARS);
      expect(ssml).toMatch(/^<speak>Sentence number \d+ .*at length\.<\/speak>$/);
    }
    const spoken = requests
      .map((ssml) =>
        ssml
          .slice(7, -8)
          .replace(/&amp;/g, '&')
          .replace(/&quot;/g, '"')
      )
      .join(' ');
    expect(spoken).toBe(text);
    expect(clip.durationMs).toBe(3000);
    const info = parseWav(clip.wav);
    const levels = [0, 16000, 32000].map((frame) => clip.wav.readInt16LE(info.dataOffset + frame * 2));
    expect(levels).toEqual([1, 2, 3]);
    expect(usage[0]?.characters).toBe(requests.reduce((sum, ssml) => sum + ssml.length - 15, 0));
  });

  // aws-sdk-client-mock replaces `send`, so the SDK's retry middleware does not run here: one
  // `send` is one request (provider-retry-budget.test.ts counts the SDK's calls on real clients).
  it('makes one send per chunk and turns a throttle the SDK gave up on into a RetryableStageError naming the voice', async () => {
    const throttle = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400, attempts: 3 },
    });
    polly.on(SynthesizeSpeechCommand).rejects(throttle);
    const error = await fast()
      .speak('One.', ava)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableStageError);
    expect((error as Error).message).toBe(
      'polly neural voice Joanna (chunk 1 of 1): still failing after 3 attempts (ThrottlingException: Rate exceeded)'
    );
    expect(sent()).toHaveLength(1);
  });

  it('hands the caller abort signal to the SDK on every chunk', async () => {
    polly.on(SynthesizeSpeechCommand).resolves(pcmAnswer(100));
    const signal = new AbortController().signal;
    const text = Array.from(
      { length: 120 },
      (_, i) => `Sentence number ${i + 1} talks about kernels, chips & "schedulers" at length.`
    ).join(' ');
    await fast().speak(text, ava, { signal });
    const signals = polly
      .commandCalls(SynthesizeSpeechCommand)
      .map((call) => ((call.args as unknown[])[1] as { abortSignal?: AbortSignal }).abortSignal);
    expect(signals.length).toBeGreaterThan(1);
    expect(signals.every((s) => s === signal)).toBe(true);
  });

  it('turns access denied into a FatalStageError that names the permission', async () => {
    polly.on(SynthesizeSpeechCommand).rejects(
      Object.assign(new Error('not authorized'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      })
    );
    const error = await fast()
      .speak('One.', ava)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalStageError);
    expect((error as Error).message).toBe(
      'polly: access denied (AccessDeniedException: not authorized); the role needs polly:SynthesizeSpeech'
    );
    expect(sent()).toHaveLength(1);
  });

  it('names the host voice setting when the voice cannot speak neural', async () => {
    polly.on(SynthesizeSpeechCommand).rejects(
      Object.assign(new Error('This voice does not support the selected engine: neural'), {
        name: 'EngineNotSupportedException',
      })
    );
    const error = await fast()
      .speak('Hello.', ben)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'hosts.ben.voice.pollyVoiceId' });
    expect((error as Error).message).toMatch(
      /^hosts\.ben\.voice\.pollyVoiceId: Polly voice "Stephen" cannot speak with the neural engine/
    );
  });

  it('refuses an empty turn and audio that is not PCM', async () => {
    await expect(fast().speak('   ', ava)).rejects.toBeInstanceOf(FatalStageError);
    polly.on(SynthesizeSpeechCommand).resolves({ ...pcmAnswer(100), ContentType: 'audio/mpeg' });
    await expect(fast().speak('Hi.', ava)).rejects.toThrow(
      'polly returned audio/mpeg for voice Joanna when asked for audio/pcm'
    );
  });
});

describe('Polly clips in the mix', () => {
  it('are resampled by the mixer into the 44.1 kHz episode with their length intact', async () => {
    // Prepare: 1.2 s of a 220 Hz tone as Polly's 16 kHz PCM.
    const samples = 16000 * 1.2;
    const pcm = Buffer.alloc(samples * 2);
    for (let i = 0; i < samples; i++)
      pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / 16000)), i * 2);
    polly.on(SynthesizeSpeechCommand).resolves({
      $metadata: {},
      ContentType: 'audio/pcm',
      AudioStream: {
        transformToByteArray: async () => new Uint8Array(pcm),
      } as unknown as SynthesizeSpeechCommandOutput['AudioStream'],
    });
    const clip = await fast().speak('A tone.', ava);

    // Act
    const mixed = await new FfmpegMixer().mix([{ wav: clip.wav, pauseAfterMs: 300 }], {
      introMs: 0,
      outroMs: 0,
    });

    // Assess
    expect(clip.durationMs).toBe(1200);
    expect(mixed.clipDurationsMs).toEqual([1200]);
    expect(Math.abs(mixed.durationMs - 1500)).toBeLessThan(100);
    expect(mixed.mp3.length).toBeGreaterThan(10_000);
  });
});

describe('SSML chunking', () => {
  it('keeps every chunk under both limits, even for a sentence or a word longer than a request', () => {
    // Prepare: a 7,000-character sentence of words, then a 4,000-character "word".
    const longSentence = `${Array.from({ length: 1000 }, () => 'words').join(' ')} end.`;
    const monster = 'x'.repeat(4000);

    // Act
    const chunks = chunkForPolly(`Short opener. ${longSentence} ${monster}`);

    // Assess
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(MAX_BILLED_CHARS);
      expect(toSsml(chunk).length).toBeLessThanOrEqual(MAX_SSML_CHARS);
    }
    expect(chunks[0]).toBe('Short opener.');
    expect(chunks.join('').replace(/\s/g, '')).toBe(
      `Short opener. ${longSentence} ${monster}`.replace(/\s/g, '')
    );
  });

  it('escapes markup and turns written pauses into breaks', () => {
    expect(toSsml('A "quote" & an <tag> - then\u2014more\u2026 done')).toBe(
      '<speak>A &quot;quote&quot; &amp; an &lt;tag&gt;<break time="250ms"/>then<break time="250ms"/>more<break time="450ms"/>done</speak>'
    );
  });

  it('counts escaping against the 6,000-character SSML limit', () => {
    const chunks = chunkForPolly(Array.from({ length: 400 }, () => '& & & & &.').join(' '));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(toSsml(chunk).length).toBeLessThanOrEqual(MAX_SSML_CHARS);
  });
});
