/**
 * `npx tsx scripts/measure-speaking-rates.ts`: measures the offline voices' speaking rates
 * (scripts/lib/speaking-rate-sample.ts) and prints them as MESPEAK_WORDS_PER_SECOND for
 * stages/shared/speaking-rates.ts: per language, per voice slot, for text in the language itself
 * and for English text (sources in English read by the language's voice), and the pause at each
 * sentence (the mean over the slots of the language's own text).
 */
import { LANGUAGE_CODES } from '../stages/shared/languages';
import { VOICE_SLOTS } from '../stages/shared/voice-cast';
import { measureMespeakRate } from './lib/speaking-rate-sample';

async function main(): Promise<void> {
  const lines: string[] = [];
  for (const language of LANGUAGE_CODES) {
    const own: string[] = [];
    const english: string[] = [];
    const pauses: number[] = [];
    for (let slot = 0; slot < VOICE_SLOTS; slot++) {
      const measured = await measureMespeakRate(language, slot);
      own.push(measured.wordsPerSecond.toFixed(3));
      pauses.push(measured.sentenceSeconds);
      english.push((await measureMespeakRate(language, slot, 'en')).wordsPerSecond.toFixed(3));
    }
    const sentenceSeconds = pauses.reduce((sum, c) => sum + c, 0) / pauses.length;
    lines.push(
      `  ${language}: { own: [${own.join(', ')}], en: [${english.join(', ')}], sentenceSeconds: ${sentenceSeconds.toFixed(3)} },`
    );
  }
  console.log(`export const MESPEAK_WORDS_PER_SECOND = {\n${lines.join('\n')}\n};`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
