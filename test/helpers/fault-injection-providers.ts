/**
 * Quick stand-ins for the heavy offline providers (mespeak speech, the ffmpeg mixer, the 1400 px
 * PNG renderer), for reliability tests whose point is orchestration: they are deterministic, take
 * microseconds, and return what the real ones return in shape (WAV clips as long as the words
 * take to say, a mix with the real clip offsets, a square PNG). The fetcher and the offline
 * writer stay real, so the script is the one the real pipeline writes.
 */
import { createHash } from 'node:crypto';
import { makeSilentWav, wavDurationMs } from '../../stages/shared/adapters/audio/wav';
import { createProviders } from '../../stages/shared/adapters/create-providers';
import { EXAMPLE_FETCH_POLICY } from '../fixtures/example-fetch-policy';
import type {
  ArtworkRenderer,
  AudioMixer,
  ProviderSet,
  SpeechSynthesizer,
} from '../../stages/shared/providers';

/** About four words a second, as the offline voices speak. */
export const QUICK_MS_PER_WORD = 250;

/** Silence as long as the text would take to say. */
export const quickSpeech: SpeechSynthesizer = {
  name: 'test-silence',
  async speak(text) {
    const durationMs = Math.max(200, text.split(/\s+/).filter(Boolean).length * QUICK_MS_PER_WORD);
    return { wav: makeSilentWav(durationMs), sampleRate: 22050, durationMs };
  },
};

/** Lays the clips end to end after the intro, as the real mixer reports them; the "MP3" names its input. */
export const quickMixer: AudioMixer = {
  async mix(clips, { introMs, outroMs }) {
    const clipStartsMs: number[] = [];
    const clipDurationsMs: number[] = [];
    const digest = createHash('sha256');
    let at = introMs;
    for (const clip of clips) {
      const duration = wavDurationMs(clip.wav);
      clipStartsMs.push(at);
      clipDurationsMs.push(duration);
      digest.update(clip.wav);
      at += duration + clip.pauseAfterMs;
    }
    const mp3 = Buffer.from(`ID3 test mix of ${clips.length} clips ${digest.digest('hex')}`);
    return { mp3, durationMs: at + outroMs, clipStartsMs, clipDurationsMs };
  },
};

interface PngModule {
  PNG: {
    new (options: { width: number; height: number }): { data: Buffer };
    sync: { write(png: { data: Buffer }): Buffer };
  };
}
// pngjs ships no types; this is the part used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as PngModule;

/** A small square PNG whose colour comes from the seed (the offline renderer draws 1400 px in pure JS). */
export const quickArtwork: ArtworkRenderer = {
  async render({ seed }) {
    const image = new PNG({ width: 16, height: 16 });
    const shade = createHash('sha256').update(seed).digest()[0] ?? 128;
    image.data.fill(shade);
    return { body: PNG.sync.write(image), contentType: 'image/png' };
  },
};

/** The real fetcher and writer with the quick speech, mixer and artwork. */
export function quickProviders(
  real: ProviderSet = createProviders({ fetchPolicy: EXAMPLE_FETCH_POLICY })
): ProviderSet {
  return {
    fetcher: real.fetcher,
    writerFor: (podcast) => real.writerFor(podcast),
    speechFor: () => quickSpeech,
    mixer: quickMixer,
    artwork: quickArtwork,
  };
}
