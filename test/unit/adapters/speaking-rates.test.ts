/**
 * The offline speaking-rate table (stages/shared/speaking-rates.ts) against a fresh measurement
 * with the real mespeak adapter (scripts/lib/speaking-rate-sample.ts; the full table is
 * re-measured by `npx tsx scripts/measure-speaking-rates.ts`).
 */
import { MESPEAK_WORDS_PER_SECOND } from '../../../stages/shared/speaking-rates';
import { measureMespeakRate } from '../../../scripts/lib/speaking-rate-sample';

/** The female variants add random breath noise: timing varies about 1% between calls. */
const TOLERANCE = 0.03;

describe('offline speaking rates', () => {
  it.each([
    ['en', 0, 'own'],
    ['de', 1, 'own'],
    ['fr', 2, 'own'],
    ['es', 3, 'own'],
  ] as const)(
    '%s slot %i (%s text) is within 3%% of a fresh measurement',
    async (language, slot, text) => {
      const measured = await measureMespeakRate(language, slot, text === 'own' ? language : 'en');
      const table = MESPEAK_WORDS_PER_SECOND[language][text][slot] ?? 0;
      expect(Math.abs(measured / table - 1)).toBeLessThan(TOLERANCE);
    },
    30_000
  );
});
