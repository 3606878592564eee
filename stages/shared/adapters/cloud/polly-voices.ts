/**
 * Polly's neural voices by language: four different voices per language (one per voice slot,
 * voice-cast.ts), so each host keeps their voice across episodes and up to four hosts never share
 * one. The slots follow the offline voices' pattern (0 and 2 lower, 1 and 3 higher voices) where
 * a language has enough neural voices of each kind; German has one male neural voice (Daniel),
 * so its slots 2 and 3 are the Austrian and Swiss German voices. A region picks the accent
 * (en-gb, fr-ca, es-mx and the other Spanish-speaking regions of the Americas). A host's
 * `voice.pollyVoiceId` always wins.
 *
 * Every id is a neural voice in Polly's voice list (https://docs.aws.amazon.com/polly/latest/dg/available-voices.html).
 */
import type { Host } from '../../config-schema';
import { LATIN_AMERICAN_SPANISH_REGIONS, type LanguageCode, languageOf } from '../../languages';
import { VOICE_SLOTS, type VoiceCast, voiceSlotOf } from '../../voice-cast';

type SlotVoices = readonly [string, string, string, string];

/** Per language: the voices of the default accent, and of other regions where Polly has them. */
export const POLLY_VOICES: Record<
  LanguageCode,
  { default: SlotVoices; regions: Record<string, SlotVoices> }
> = {
  en: {
    default: ['Matthew', 'Joanna', 'Gregory', 'Ruth'],
    regions: { gb: ['Brian', 'Amy', 'Arthur', 'Emma'], uk: ['Brian', 'Amy', 'Arthur', 'Emma'] },
  },
  de: { default: ['Daniel', 'Vicki', 'Hannah', 'Sabrina'], regions: {} },
  fr: {
    default: ['Remi', 'Lea', 'Liam', 'Gabrielle'],
    regions: { ca: ['Liam', 'Gabrielle', 'Remi', 'Lea'] },
  },
  es: {
    default: ['Sergio', 'Lucia', 'Andres', 'Mia'],
    regions: {
      mx: ['Andres', 'Mia', 'Pedro', 'Lupe'],
      us: ['Pedro', 'Lupe', 'Andres', 'Mia'],
    },
  },
};

/** Regions of Spanish that speak with the Mexican voices (Polly has no other Latin American ones). */
const LATIN_AMERICAN_SPANISH = new Set(LATIN_AMERICAN_SPANISH_REGIONS);

/** The four voices of a language tag, one per slot. */
export function pollyVoicesFor(languageTag: string): SlotVoices {
  const { code, region } = languageOf(languageTag);
  const voices = POLLY_VOICES[code];
  if (region === undefined) return voices.default;
  if (code === 'es' && LATIN_AMERICAN_SPANISH.has(region))
    return POLLY_VOICES.es.regions.mx ?? voices.default;
  return voices.regions[region] ?? voices.default;
}

/** The Polly voice a host speaks with: their `pollyVoiceId`, else their slot's voice in the podcast's language. */
export function pollyVoiceFor(host: Host, cast: VoiceCast): string {
  if (host.voice.pollyVoiceId) return host.voice.pollyVoiceId;
  const voices = pollyVoicesFor(cast.language);
  return voices[voiceSlotOf(host.id, cast) % VOICE_SLOTS] ?? voices[0];
}
