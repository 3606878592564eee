/**
 * `npx tsx scripts/measure-speed-factors.ts`: measures how the offline voices' pace departs from
 * proportion to `voice.speed` and prints MESPEAK_SPEED_FACTORS for stages/shared/speaking-rates.ts.
 * Per language, for its own text and for English text (the rate samples of
 * scripts/lib/speaking-rate-sample.ts, voice slots 0 and 2), at each of SPEED_POINTS: the seconds
 * of speech the real mespeak adapter takes, its words' part (each sentence's measured pause taken
 * out), against what the rate at 165 scaled in proportion to the speed predicts, normalised to 1 at
 * 165. eSpeak's pace is not proportional: at 260 words a minute the French voice reads English
 * about a tenth faster than proportion says, at 80 some voices slower.
 */
import { MespeakSpeech } from '../stages/shared/adapters/offline/mespeak-speech';
import { SLOT_VOICES } from '../stages/shared/adapters/offline/mespeak-voices';
import type { Host } from '../stages/shared/config-schema';
import { LANGUAGE_CODES, type LanguageCode } from '../stages/shared/languages';
import {
  MEASURED_SPEED,
  MESPEAK_WORDS_PER_SECOND,
  SPEED_POINTS,
  countSpokenWords,
  sentencesOf,
} from '../stages/shared/speaking-rates';
import { RATE_SAMPLES } from './lib/speaking-rate-sample';

/** Seconds the words of `text`'s samples take, spoken by `voice`'s voice at `speed`, over what proportion predicts. */
async function wordTimeRatio(voice: LanguageCode, text: LanguageCode, speed: number): Promise<number> {
  const speech = new MespeakSpeech({ language: voice, hosts: [] });
  const table = MESPEAK_WORDS_PER_SECOND[voice];
  let actual = 0;
  let predicted = 0;
  for (const slot of [0, 2]) {
    const settings = SLOT_VOICES[slot];
    if (!settings) throw new Error(`no voice slot ${slot}`);
    const host: Host = {
      id: 'rate-sample',
      name: 'Sample',
      role: 'lead',
      voice: { variant: settings.variant, pitch: settings.pitch, speed },
    };
    const rate = ((text === voice ? table.own : table.en)[slot] ?? 0) * (speed / MEASURED_SPEED);
    for (const sample of RATE_SAMPLES[text]) {
      const pauses = sentencesOf(sample).length * table.sentenceSeconds;
      actual += (await speech.speak(sample, host)).durationMs / 1000 - pauses;
      predicted += countSpokenWords(sample) / rate;
    }
  }
  return actual / predicted;
}

async function main(): Promise<void> {
  const lines: string[] = [];
  for (const language of LANGUAGE_CODES) {
    const row: Record<'own' | 'en', string[]> = { own: [], en: [] };
    for (const kind of ['own', 'en'] as const) {
      const text = kind === 'own' ? language : 'en';
      const base = await wordTimeRatio(language, text, MEASURED_SPEED);
      for (const speed of SPEED_POINTS)
        row[kind].push(((await wordTimeRatio(language, text, speed)) / base).toFixed(3));
    }
    lines.push(`  ${language}: { own: [${row.own.join(', ')}], en: [${row.en.join(', ')}] },`);
  }
  console.log(`export const MESPEAK_SPEED_FACTORS = {\n${lines.join('\n')}\n};`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
