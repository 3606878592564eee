/**
 * The offline speaking-rate table (stages/shared/speaking-rates.ts) against a fresh measurement
 * with the real mespeak adapter (scripts/lib/speaking-rate-sample.ts; the full table is
 * re-measured by `npx tsx scripts/measure-speaking-rates.ts`), and the speed factors at the
 * extremes of voice.speed (`npx tsx scripts/measure-speed-factors.ts`).
 */
import { MespeakSpeech } from '../../../stages/shared/adapters/offline/mespeak-speech';
import { SLOT_VOICES } from '../../../stages/shared/adapters/offline/mespeak-voices';
import type { Host } from '../../../stages/shared/config-schema';
import {
  MEASURED_SPEED,
  MESPEAK_SPEED_FACTORS,
  MESPEAK_WORDS_PER_SECOND,
  countSpokenWords,
  sentencesOf,
  speedFactor,
} from '../../../stages/shared/speaking-rates';
import {
  RATE_SAMPLES,
  edgeSilenceSeconds,
  measureMespeakRate,
} from '../../../scripts/lib/speaking-rate-sample';

/** The female variants add random breath noise: timing varies about 1% between calls. */
const TOLERANCE = 0.03;

describe('offline speaking rates', () => {
  it.each([
    ['en', 0, 'own'],
    ['de', 1, 'own'],
    ['fr', 2, 'own'],
    ['es', 3, 'own'],
  ] as const)(
    '%s slot %i (%s text) is within 3%% of a fresh measurement, and so is its pause per sentence',
    async (language, slot, text) => {
      const measured = await measureMespeakRate(language, slot, text === 'own' ? language : 'en');
      const table = MESPEAK_WORDS_PER_SECOND[language];
      expect(Math.abs(measured.wordsPerSecond / (table[text][slot] ?? 0) - 1)).toBeLessThan(TOLERANCE);
      // The table keeps the language's mean over the slots; each slot is close to it.
      expect(Math.abs(measured.sentenceSeconds - table.sentenceSeconds)).toBeLessThan(0.05);
    },
    30_000
  );

  // Own-language text: how a voice times English words depends on which voices the shared engine
  // has loaded before (docs/reliability.md, Known limits), so a fresh check would depend on order.
  it.each([
    ['fr', 'fr', 260],
    ['es', 'es', 260],
    ['en', 'en', 260],
    ['de', 'de', 80],
  ] as const)(
    'times the %s voice reading %s text at speed %i as it speaks, within 3%% (eSpeak is not proportional to its speed)',
    async (voice, text, speed) => {
      const settings = SLOT_VOICES[0]!;
      const host: Host = {
        id: 'rate-sample',
        name: 'Sample',
        role: 'lead',
        voice: { variant: settings.variant, pitch: settings.pitch, speed },
      };
      const table = MESPEAK_WORDS_PER_SECOND[voice];
      const kind = voice === text ? 'own' : 'en';
      const rate =
        ((table[kind][0] ?? 0) * speed) /
        MEASURED_SPEED /
        speedFactor(MESPEAK_SPEED_FACTORS[voice][kind], speed);
      const speech = new MespeakSpeech({ language: voice, hosts: [] });
      let actual = 0;
      let planned = 0;
      for (const sample of RATE_SAMPLES[text]) {
        actual += (await speech.speak(sample, host)).durationMs / 1000;
        planned += countSpokenWords(sample) / rate + sentencesOf(sample).length * table.sentenceSeconds;
      }

      expect(Math.abs(actual / planned - 1)).toBeLessThan(TOLERANCE);
    },
    30_000
  );

  it('measures the silence at the ends of a clip', () => {
    // 0.1 s of silence, 0.2 s of a loud square wave, 0.3 s of silence, at 8 kHz.
    const rate = 8000;
    const samples = [
      ...Array(800).fill(0),
      ...Array.from({ length: 1600 }, (_, i) => (i % 20 < 10 ? 9000 : -9000)),
      ...Array(2400).fill(0),
    ];
    const data = Buffer.alloc(samples.length * 2);
    samples.forEach((v, i) => data.writeInt16LE(v, i * 2));
    const header = Buffer.alloc(44);
    header.write('RIFF', 0, 'ascii');
    header.writeUInt32LE(36 + data.length, 4);
    header.write('WAVEfmt ', 8, 'ascii');
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(1, 22);
    header.writeUInt32LE(rate, 24);
    header.writeUInt32LE(rate * 2, 28);
    header.writeUInt16LE(2, 32);
    header.writeUInt16LE(16, 34);
    header.write('data', 36, 'ascii');
    header.writeUInt32LE(data.length, 40);

    expect(edgeSilenceSeconds(Buffer.concat([header, data]))).toBeCloseTo(0.4, 3);
  });
});
