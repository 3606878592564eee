/**
 * How fast each host speaks, in spoken words per second of audio, per speech provider, language
 * and voice: what the length plan (length-plan.ts) turns a target duration into words with.
 * Spoken words (countSpokenWords) are words as a voice says them: each part of a hyphenated word,
 * and a number as many words as it has digits ("128-core" is four, "3.8" three), since the story
 * sentences are dense with figures and a voice takes as long over "2027" as over four words.
 *
 * Offline (mespeak): MEASURED, per language and voice slot, at the default speed (165), for text
 * in the language itself and for English text (the story sentences stay in their source's
 * language, and English sources are common). Re-measure with
 * `npx tsx scripts/measure-speaking-rates.ts` (scripts/lib/speaking-rate-sample.ts says how);
 * test/unit/adapters/speaking-rates.test.ts fails when a fresh measurement drifts from the table.
 * A host's own `voice.speed` (eSpeak's words per minute) scales their rate in proportion, corrected
 * by the measured MESPEAK_SPEED_FACTORS (eSpeak is not quite proportional at the extremes).
 *
 * Polly (neural voices): an ESTIMATE per language, not measured here (no AWS in the test
 * toolchain): Polly's neural voices read news at about 150-160 words per minute in English,
 * 130-140 in German, 150-160 in French and Spanish (by word count; German words are longer).
 */
import type { Host, PodcastConfig } from './config-schema';
import { type LanguageCode, languageOf } from './languages';
import { castOf, voiceSlotOf } from './voice-cast';

type SlotRates = readonly [number, number, number, number];

/**
 * Measured 2026-11-27 with mespeak 2.0.2 (scripts/measure-speaking-rates.ts): spoken words per
 * second of speech per voice slot, and the pause eSpeak makes at each sentence (its end, and the
 * silence at the ends of a clip: a short turn costs it as much as a long one).
 */
export const MESPEAK_WORDS_PER_SECOND: Record<
  LanguageCode,
  { own: SlotRates; en: SlotRates; sentenceSeconds: number }
> = {
  en: { own: [2.934, 2.947, 2.949, 2.962], en: [2.934, 2.947, 2.949, 2.962], sentenceSeconds: 0.349 },
  de: { own: [2.525, 2.538, 2.541, 2.55], en: [2.534, 2.542, 2.55, 2.554], sentenceSeconds: 0.337 },
  fr: { own: [3.359, 3.36, 3.39, 3.363], en: [3.542, 3.551, 3.577, 3.569], sentenceSeconds: 0.333 },
  es: { own: [2.627, 2.631, 2.643, 2.631], en: [2.665, 2.672, 2.68, 2.677], sentenceSeconds: 0.329 },
};

/** The eSpeak speed the table was measured at (mespeak-voices.ts DEFAULT_SPEED). */
export const MEASURED_SPEED = 165;

/** The speeds MESPEAK_SPEED_FACTORS is measured at (the schema's 80-260, and between). */
export const SPEED_POINTS = [80, 120, 165, 210, 260] as const;

type SpeedFactors = readonly [number, number, number, number, number];

/**
 * MEASURED 2026-11-27 with mespeak 2.0.2 (scripts/measure-speed-factors.ts): eSpeak's pace is not proportional to its speed. At
 * each of SPEED_POINTS, the time a voice's words take over what the rate at 165 scaled in
 * proportion predicts (1 at 165), for text in the language and for English text; between the
 * points a host's speed is interpolated. A host at speed 260 reading English in the French voice
 * is about a tenth faster than proportion says.
 */
export const MESPEAK_SPEED_FACTORS: Record<LanguageCode, { own: SpeedFactors; en: SpeedFactors }> = {
  en: { own: [0.996, 1.033, 1, 0.973, 0.952], en: [0.996, 1.033, 1, 0.973, 0.952] },
  de: { own: [0.95, 1.006, 1, 0.985, 0.985], en: [0.975, 1.021, 1, 0.969, 0.949] },
  fr: { own: [1.02, 1.044, 1, 0.968, 0.937], en: [1.068, 1.067, 1, 0.929, 0.881] },
  es: { own: [1.003, 1.03, 1, 0.974, 0.94], en: [0.999, 1.029, 1, 0.974, 0.945] },
};

/** The factor for `speed`, interpolated between SPEED_POINTS (held at the ends). */
export function speedFactor(factors: SpeedFactors, speed: number): number {
  const points: readonly number[] = SPEED_POINTS;
  const at = Math.min(Math.max(speed, points[0] ?? speed), points[points.length - 1] ?? speed);
  for (let i = 1; i < points.length; i++) {
    const low = points[i - 1] ?? 0;
    const high = points[i] ?? 0;
    if (at <= high) {
      const t = high === low ? 0 : (at - low) / (high - low);
      return (factors[i - 1] ?? 1) * (1 - t) + (factors[i] ?? 1) * t;
    }
  }
  return factors[factors.length - 1] ?? 1;
}

/** Estimated pause of a Polly neural voice at each sentence (its clips start and stop close to the speech). */
export const POLLY_SENTENCE_SECONDS = 0.25;

/** Estimated words per second of Polly's neural voices (see above). */
export const POLLY_WORDS_PER_SECOND: Record<LanguageCode, number> = {
  en: 2.6,
  de: 2.25,
  fr: 2.6,
  es: 2.6,
};

const TOKEN = /[\p{L}\p{N}]+(?:['’.,-][\p{L}\p{N}]+)*/gu;

/** A turn's sentences, as a voice pauses at them. */
export function sentencesOf(text: string): string[] {
  return text.split(/(?<=[.!?]["'”’»)]?)\s+/u).filter((sentence) => sentence.length > 0);
}

/** Words as a voice says them (see above). */
export function countSpokenWords(text: string): number {
  let count = 0;
  for (const token of text.match(TOKEN) ?? []) {
    for (const part of token.split('-')) {
      const digits = part.match(/\p{N}/gu)?.length ?? 0;
      if (digits === 0) count += 1;
      else count += digits + (part.match(/[.,]\p{N}/gu)?.length ?? 0) + (/\p{L}/u.test(part) ? 1 : 0);
    }
  }
  return count;
}

/** A host's rate for text in the podcast's language and for English text. */
export interface HostRate {
  own: number;
  en: number;
  /** Seconds each sentence adds besides its words (the pause at its end, the clip's edges). */
  sentenceSeconds: number;
}

/** Every host's speaking rate, by host id. */
export function hostRates(
  podcast: Pick<PodcastConfig, 'language' | 'hosts' | 'providers'>
): Map<string, HostRate> {
  const { code } = languageOf(podcast.language);
  const cast = castOf(podcast);
  return new Map(
    podcast.hosts.map((host): [string, HostRate] => {
      if (podcast.providers.speech === 'polly') {
        const rate = POLLY_WORDS_PER_SECOND[code];
        return [host.id, { own: rate, en: rate, sentenceSeconds: POLLY_SENTENCE_SECONDS }];
      }
      const slot = voiceSlotOf(host.id, cast);
      const speed = speedOf(host);
      const scale = speed / MEASURED_SPEED;
      const table = MESPEAK_WORDS_PER_SECOND[code];
      const factors = MESPEAK_SPEED_FACTORS[code];
      return [
        host.id,
        {
          own: ((table.own[slot] ?? 0) * scale) / speedFactor(factors.own, speed),
          en: ((table.en[slot] ?? 0) * scale) / speedFactor(factors.en, speed),
          sentenceSeconds: table.sentenceSeconds,
        },
      ];
    })
  );
}

function speedOf(host: Host): number {
  return host.voice.speed ?? MEASURED_SPEED;
}

const STOPWORDS: Record<LanguageCode, ReadonlySet<string>> = {
  en: new Set([
    'the',
    'and',
    'of',
    'to',
    'is',
    'in',
    'that',
    'it',
    'for',
    'with',
    'was',
    'on',
    'are',
    'this',
  ]),
  de: new Set(['der', 'die', 'das', 'und', 'ist', 'nicht', 'mit', 'den', 'ein', 'eine', 'zu', 'sich', 'auf']),
  fr: new Set(['le', 'la', 'les', 'et', 'est', 'des', 'une', 'du', 'que', 'pour', 'dans', 'qui', 'pas']),
  es: new Set(['el', 'los', 'las', 'y', 'es', 'del', 'una', 'que', 'para', 'por', 'con', 'se', 'lo']),
};

/**
 * Whether a sentence reads as English rather than `language` (by common words): decides which of
 * a host's two rates it is spoken at.
 */
export function isEnglishText(sentence: string, language: LanguageCode): boolean {
  if (language === 'en') return true;
  const words = sentence.toLowerCase().match(/\p{L}+/gu) ?? [];
  const hits = (code: LanguageCode) => words.filter((w) => STOPWORDS[code].has(w)).length;
  return hits('en') > hits(language);
}
