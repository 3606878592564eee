/**
 * PollySpeech: the cloud SpeechSynthesizer, on Amazon Polly's SynthesizeSpeech with the neural
 * engine. Each turn is sent as SSML (text escaped, pauses as <break>), in chunks under Polly's
 * per-request limits at sentence boundaries; the chunks' raw PCM (16-bit signed little-endian,
 * mono, 16 kHz: Polly's highest PCM rate for neural voices) is joined into one WAV. The mixer
 * resamples clips to the episode's 44.1 kHz. Characters Polly billed are reported as usage.
 * Throttling is retried by the SDK inside each request (one budget, sdk-clients.ts); what outlives
 * it becomes a RetryableStageError for the plan's retry policy. `options.signal` aborts the calls.
 *
 * One synthesizer per podcast (its VoiceCast). Voices: `host.voice.pollyVoiceId`, else the neural
 * voice of the host's slot in the podcast's language (polly-voices.ts). IAM:
 * `polly:SynthesizeSpeech` (Polly has no resource-level permissions for it; see provider-access.ts).
 */
import type { SynthesizeSpeechCommandInput, SynthesizeSpeechCommandOutput } from '@aws-sdk/client-polly';
import type { Host } from '../../config-schema';
import { FatalStageError, ValidationError } from '../../errors';
import type { ProviderUsage, SpeechSynthesizer, SpokenClip } from '../../providers';
import { framesToMs, pcmToWav } from '../audio/wav';
import type { VoiceCast } from '../../voice-cast';
import { pollyVoiceFor } from './polly-voices';
import { describeProviderError, retryableIfTransient } from './provider-errors';
import { pollyClient, loadPollySdk } from './sdk-clients';
import { billedLength, chunkForPolly, toSsml } from './ssml';

/** Polly's PCM output rates are 8000 and 16000 Hz; neural voices are sampled at up to 16 kHz. */
export const POLLY_PCM_SAMPLE_RATE = 16000;
const PCM_FORMAT = { sampleRate: POLLY_PCM_SAMPLE_RATE, channels: 1, bitsPerSample: 16 } as const;
export const POLLY_ENGINE = 'neural';

export interface SynthesizeClient {
  send(
    command: InstanceType<ReturnType<typeof loadPollySdk>['SynthesizeSpeechCommand']>,
    options?: { abortSignal?: AbortSignal }
  ): Promise<SynthesizeSpeechCommandOutput>;
}

export interface PollySpeechOptions {
  /** @default the process's lazily created PollyClient (its SDK retry settings: sdk-clients.ts) */
  client?: SynthesizeClient;
  /** The podcast's language and hosts. @default American English, each host placed alone */
  cast?: VoiceCast;
}

/** Errors that mean the podcast's voice settings cannot work with this engine. */
const VOICE_ERRORS = new Set([
  'EngineNotSupportedException',
  'LanguageNotSupportedException',
  'InvalidSampleRateException',
]);

export class PollySpeech implements SpeechSynthesizer {
  readonly name = 'polly';

  constructor(private readonly options: PollySpeechOptions = {}) {}

  async speak(
    text: string,
    host: Host,
    options: { onUsage?: (usage: ProviderUsage) => void; signal?: AbortSignal } = {}
  ): Promise<SpokenClip> {
    const voiceId = pollyVoiceFor(host, this.options.cast ?? { language: 'en-us', hosts: [] });
    const chunks = chunkForPolly(text);
    if (chunks.length === 0)
      throw new FatalStageError(`polly: host ${host.id} has nothing to say (the turn's text is empty)`);
    const pcm: Buffer[] = [];
    let characters = 0;
    for (const [i, chunk] of chunks.entries()) {
      const response = await this.synthesize(
        chunk,
        voiceId,
        host,
        `chunk ${i + 1} of ${chunks.length}`,
        options.signal
      );
      if (response.ContentType && !response.ContentType.startsWith('audio/pcm')) {
        throw new FatalStageError(
          `polly returned ${response.ContentType} for voice ${voiceId} when asked for audio/pcm`
        );
      }
      characters += response.RequestCharacters ?? billedLength(chunk);
      pcm.push(await audioBytes(response, voiceId));
    }
    options.onUsage?.({ provider: 'polly', model: POLLY_ENGINE, characters });
    const data = Buffer.concat(pcm);
    // 16-bit frames: an odd trailing byte (never expected) is dropped rather than misaligning the audio.
    const frames = Math.floor(data.length / 2);
    if (frames === 0)
      throw new FatalStageError(`polly returned no audio for host ${host.id} (voice ${voiceId})`);
    return {
      wav: pcmToWav(PCM_FORMAT, data.subarray(0, frames * 2)),
      sampleRate: POLLY_PCM_SAMPLE_RATE,
      durationMs: framesToMs(frames, POLLY_PCM_SAMPLE_RATE),
    };
  }

  private async synthesize(
    chunk: string,
    voiceId: string,
    host: Host,
    what: string,
    signal: AbortSignal | undefined
  ): Promise<SynthesizeSpeechCommandOutput> {
    const sdk = loadPollySdk();
    const client = this.options.client ?? pollyClient();
    const input: SynthesizeSpeechCommandInput = {
      Engine: POLLY_ENGINE,
      VoiceId: voiceId as SynthesizeSpeechCommandInput['VoiceId'],
      OutputFormat: 'pcm',
      SampleRate: String(POLLY_PCM_SAMPLE_RATE),
      TextType: 'ssml',
      Text: toSsml(chunk),
    };
    try {
      return await client.send(new sdk.SynthesizeSpeechCommand(input), signal ? { abortSignal: signal } : {});
    } catch (error) {
      const name =
        typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
      const field = `hosts.${host.id}.voice.pollyVoiceId`;
      if (typeof name === 'string' && VOICE_ERRORS.has(name)) {
        throw new ValidationError(
          `${field}: Polly voice "${voiceId}" cannot speak with the ${POLLY_ENGINE} engine at ${POLLY_PCM_SAMPLE_RATE} Hz (${describeProviderError(error)})`,
          field,
          { cause: error }
        );
      }
      if (name === 'InvalidParameterValueException' || name === 'ValidationException') {
        throw new ValidationError(
          `${field}: Polly rejected voice "${voiceId}" (${describeProviderError(error)})`,
          field,
          { cause: error }
        );
      }
      if (
        name === 'InvalidSsmlException' ||
        name === 'TextLengthExceededException' ||
        name === 'SsmlMarksNotSupportedForTextTypeException'
      ) {
        throw new FatalStageError(
          `polly rejected the SSML of ${what} for host ${host.id} (${describeProviderError(error)})`,
          { cause: error }
        );
      }
      if (name === 'AccessDeniedException') {
        throw new FatalStageError(
          `polly: access denied (${describeProviderError(error)}); the role needs polly:SynthesizeSpeech`,
          { cause: error }
        );
      }
      throw retryableIfTransient(`polly ${POLLY_ENGINE} voice ${voiceId} (${what})`, error);
    }
  }
}

/** The response's audio bytes (the SDK's stream mixin, or raw bytes). */
async function audioBytes(response: SynthesizeSpeechCommandOutput, voiceId: string): Promise<Buffer> {
  const stream = response.AudioStream as unknown;
  if (stream instanceof Uint8Array) return Buffer.from(stream);
  if (stream && typeof (stream as { transformToByteArray?: unknown }).transformToByteArray === 'function') {
    return Buffer.from(
      await (stream as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()
    );
  }
  if (stream && typeof (stream as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    const parts: Buffer[] = [];
    for await (const part of stream as AsyncIterable<Uint8Array>) parts.push(Buffer.from(part));
    return Buffer.concat(parts);
  }
  throw new FatalStageError(`polly returned no audio stream for voice ${voiceId}`);
}
