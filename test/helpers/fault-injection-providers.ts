/**
 * Quick stand-ins for the heavy offline providers (mespeak speech, the ffmpeg mixer, the 1400 px
 * PNG renderer), for reliability tests whose point is orchestration: they are deterministic, take
 * microseconds, and return what the real ones return in shape (WAV clips as long as the words
 * take to say at the plan's measured rate, a mix with the real clip offsets, a flat 1400 px PNG). The fetcher and the offline
 * writer stay real, so the script is the one the real pipeline writes.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { makeSilentWav, wavDurationMs } from '../../stages/shared/adapters/audio/wav';
import { createProviders } from '../../stages/shared/adapters/create-providers';
import {
  MEASURED_SPEED,
  MESPEAK_WORDS_PER_SECOND,
  countSpokenWords,
  sentencesOf,
} from '../../stages/shared/speaking-rates';
import { EXAMPLE_FETCH_POLICY } from '../fixtures/example-fetch-policy';
import type {
  ArtworkRenderer,
  AudioMixer,
  ProviderSet,
  SpeechSynthesizer,
} from '../../stages/shared/providers';

/**
 * Silence as long as the text would take an English offline voice to say, at the host's speed:
 * the measured rate and sentence pause the length plan uses (speaking-rates.ts), so an episode
 * comes out as long as the plan says and passes publish's length check.
 */
export const quickSpeech: SpeechSynthesizer = {
  name: 'test-silence',
  async speak(text, host) {
    const table = MESPEAK_WORDS_PER_SECOND.en;
    const rate = ((table.own[0] ?? 3) * (host.voice.speed ?? MEASURED_SPEED)) / MEASURED_SPEED;
    const seconds = countSpokenWords(text) / rate + sentencesOf(text).length * table.sentenceSeconds;
    const durationMs = Math.max(200, Math.round(seconds * 1000));
    return { wav: makeSilentWav(durationMs), sampleRate: 22050, durationMs };
  },
};

/** Lays the clips end to end after the intro, as the real mixer reports them; the "MP3" names its input. */
/** What the stand-in mixers declare: on Apple's target. */
export const STAND_IN_LOUDNESS = { integratedLufs: -16, truePeakDbtp: -2 } as const;

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
    // A stand-in: it declares the loudness the real mixer measures on its MP3 (on target).
    return { mp3, durationMs: at + outroMs, clipStartsMs, clipDurationsMs, loudness: STAND_IN_LOUDNESS };
  },
};

/** CRC-32 (ISO 3309, as PNG chunks use it). */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** Apple's smallest cover size: what the artwork stage accepts. */
const QUICK_COVER_SIZE = 1400;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The header and image data of a 1400 px one-colour palette PNG (1 bit a pixel), made once. */
const QUICK_COVER_PARTS = (() => {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(QUICK_COVER_SIZE, 0);
  header.writeUInt32BE(QUICK_COVER_SIZE, 4);
  header[8] = 1; // bit depth
  header[9] = 3; // colour type: palette (RGB entries, no alpha)
  const row = 1 + Math.ceil(QUICK_COVER_SIZE / 8); // filter byte (None) + the row's bits, all index 0
  return {
    ihdr: pngChunk('IHDR', header),
    idat: pngChunk('IDAT', deflateSync(Buffer.alloc(row * QUICK_COVER_SIZE))),
    iend: pngChunk('IEND', Buffer.alloc(0)),
  };
})();

/**
 * A 1400 px PNG in one RGB shade: a valid cover by Apple's rules, made in microseconds (only the
 * 3-byte palette differs from one shade to the next), so a stage drawing it takes no time.
 */
export function flatCoverPng(shade: number): Buffer {
  const { ihdr, idat, iend } = QUICK_COVER_PARTS;
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr,
    pngChunk('PLTE', Buffer.from([shade, shade, shade])),
    idat,
    iend,
  ]);
}

/**
 * A PNG of the given size and colour type with no pixels: enough for the cover checks, which read
 * only the headers (2: RGB, 6: RGB with alpha), and made at once.
 */
export function headerOnlyPng(width: number, height: number, colourType: 2 | 3 | 6): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = colourType;
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A flat cover whose shade comes from the seed (the offline renderer draws in pure JS). */
export const quickArtwork: ArtworkRenderer = {
  async render({ seed }) {
    const shade = createHash('sha256').update(seed).digest()[0] ?? 128;
    return { body: flatCoverPng(shade), contentType: 'image/png' };
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
