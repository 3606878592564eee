/**
 * How the offline speaking rates (stages/shared/speaking-rates.ts) are measured: a fixed sample of
 * turns per language (news sentences with figures and a question, long and short turns, as the
 * offline writer's are) spoken by the real mespeak adapter in a voice slot, one clip per turn;
 * the pace is spoken words (countSpokenWords) per second of speech, and the pause at each
 * sentence is measured apart (it costs a short sentence as much as a long one). `npx tsx scripts/measure-speaking-rates.ts` prints
 * the table; test/unit/adapters/speaking-rates.test.ts holds the table to a fresh measurement.
 */
import type { Host } from '../../stages/shared/config-schema';
import { MespeakSpeech } from '../../stages/shared/adapters/offline/mespeak-speech';
import { SLOT_VOICES } from '../../stages/shared/adapters/offline/mespeak-voices';
import type { LanguageCode } from '../../stages/shared/languages';
import { parseWav } from '../../stages/shared/adapters/audio/wav';
import { countSpokenWords, sentencesOf } from '../../stages/shared/speaking-rates';

export const RATE_SAMPLES: Record<LanguageCode, readonly string[]> = {
  en: [
    'Next up: Halvorsen unveils Tern, a 128-core server processor. According to the Silicon Ledger, the first systems will ship to cloud customers in the second quarter of 2027.',
    'Okay, so what does that mean in practice?',
    'Versions up to 3.8, released in October, remain under the Apache 2.0 license, and the maintainers said 40% of the contributors have already moved to the fork.',
    'Definitely one to keep an eye on.',
  ],
  de: [
    'Weiter geht es: Halvorsen stellt Tern vor, einen Serverprozessor mit 128 Kernen. Laut dem Silicon Ledger gehen die ersten Systeme im zweiten Quartal 2027 an Cloud-Kunden.',
    'Und was heißt das in der Praxis?',
    'Versionen bis 3.8, erschienen im Oktober, bleiben unter der Apache-2.0-Lizenz, und die Entwickler sagen, 40 Prozent der Beitragenden seien schon zum Fork gewechselt.',
    'Das sollten wir im Auge behalten.',
  ],
  fr: [
    'Ensuite : Halvorsen dévoile Tern, un processeur pour serveurs à 128 cœurs. Selon le Silicon Ledger, les premiers systèmes seront livrés aux clients du cloud au deuxième trimestre 2027.',
    "D'accord, et qu'est-ce que ça change en pratique ?",
    "Les versions jusqu'à la 3.8, publiées en octobre, restent sous licence Apache 2.0, et les mainteneurs disent que 40 % des contributeurs sont déjà passés au fork.",
    'Une histoire à suivre de près.',
  ],
  es: [
    'Seguimos: Halvorsen presenta Tern, un procesador para servidores de 128 núcleos. Según el Silicon Ledger, los primeros sistemas llegarán a los clientes de la nube en el segundo trimestre de 2027.',
    '¿Y qué significa eso en la práctica?',
    'Las versiones hasta la 3.8, publicadas en octubre, siguen con la licencia Apache 2.0, y los responsables dicen que el 40 % de los colaboradores ya se pasó al fork.',
    'Una historia para seguir de cerca.',
  ],
};

/** A voice's measured speech: its pace, and the pause it makes at each sentence. */
export interface MeasuredRate {
  /** Spoken words per second of speech. */
  wordsPerSecond: number;
  /** Seconds each sentence adds besides its words (the pause at its end, the clip's edges). */
  sentenceSeconds: number;
}

/** A sample quieter than this (of 16-bit full scale) is silence. */
const SILENCE_LEVEL = 0.01 * 32768;

/** Seconds of silence at the start and end of a 16-bit PCM clip. */
export function edgeSilenceSeconds(wav: Buffer): number {
  const info = parseWav(wav, 'rate sample');
  if (info.bitsPerSample !== 16) throw new Error(`rate sample: ${info.bitsPerSample}-bit audio, not 16`);
  const frames = info.frames;
  const loud = (frame: number) => {
    for (let c = 0; c < info.channels; c++) {
      const at = info.dataOffset + frame * info.blockAlign + c * 2;
      if (Math.abs(wav.readInt16LE(at)) >= SILENCE_LEVEL) return true;
    }
    return false;
  };
  let first = 0;
  while (first < frames && !loud(first)) first++;
  let last = frames - 1;
  while (last > first && !loud(last)) last--;
  return (first + (frames - 1 - last)) / info.sampleRate;
}

/**
 * mespeak's `voiceLanguage` voice in voice slot `slot` (at the default speed) reading the sample
 * of `textLanguage`, one clip per turn. eSpeak pauses at the end of every sentence about as long
 * as the silence at a clip's ends, so each clip's edge silence is taken as its sentences' pause,
 * per sentence; the pace is the spoken words over the seconds left when every sentence's pause is
 * taken out.
 */
export async function measureMespeakRate(
  voiceLanguage: LanguageCode,
  slot: number,
  textLanguage: LanguageCode = voiceLanguage
): Promise<MeasuredRate> {
  const settings = SLOT_VOICES[slot];
  if (!settings) throw new Error(`no voice slot ${slot}`);
  const speech = new MespeakSpeech({ language: voiceLanguage, hosts: [] });
  const host: Host = {
    id: 'rate-sample',
    name: 'Sample',
    role: 'lead',
    voice: { variant: settings.variant, pitch: settings.pitch },
  };
  let words = 0;
  let seconds = 0;
  let sentences = 0;
  let edges = 0;
  const texts = RATE_SAMPLES[textLanguage];
  for (const text of texts) {
    const clip = await speech.speak(text, host);
    edges += edgeSilenceSeconds(clip.wav);
    words += countSpokenWords(text);
    sentences += sentencesOf(text).length;
    seconds += clip.durationMs / 1000;
  }
  const sentenceSeconds = edges / texts.length;
  return { wordsPerSecond: words / (seconds - sentences * sentenceSeconds), sentenceSeconds };
}
