/**
 * The offline speaking-rate table (stages/shared/speaking-rates.ts) against a fresh measurement
 * with the real mespeak adapter (scripts/lib/speaking-rate-sample.ts; the full table is
 * re-measured by `npx tsx scripts/measure-speaking-rates.ts`).
 */
import { MESPEAK_WORDS_PER_SECOND } from '../../../stages/shared/speaking-rates';
import { edgeSilenceSeconds, measureMespeakRate } from '../../../scripts/lib/speaking-rate-sample';

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
