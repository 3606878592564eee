/**
 * The offline voices: which mespeak (eSpeak) voice speaks a podcast's language, and what each
 * voice slot (voice-cast.ts) sounds like. The four slots differ in variant (the eSpeak voice
 * character: male or female formants) and in pitch, so that up to four hosts are told apart by
 * ear. Median pitch of each slot, measured on a sentence in each language with the estimator in
 * test/helpers/median-pitch.ts (test/unit/adapters/mespeak-voices.test.ts holds them to it):
 *
 * | slot | variant | pitch | en-us | de | fr | es |
 * | --- | --- | --- | --- | --- | --- | --- |
 * | 0 | m3 | 30 | 88 Hz | 90 Hz | 86 Hz | 88 Hz |
 * | 1 | f2 | 50 | 193 Hz | 199 Hz | 188 Hz | 195 Hz |
 * | 2 | m7 | 75 | 133 Hz | 135 Hz | 130 Hz | 133 Hz |
 * | 3 | f3 | 75 | 263 Hz | 269 Hz | 259 Hz | 266 Hz |
 *
 * Neighbours in pitch lie 35-50% apart. The female variants add a little random breath noise, so
 * their clips differ byte for byte from call to call while pitch and timing stay (about 1%). All
 * slots speak at the same rate (speed 165), so a host's speaking rate does not depend on the slot
 * it drew.
 */
import type { Host } from '../../config-schema';
import { ValidationError } from '../../errors';
import { languageOf } from '../../languages';
import { type VoiceCast, voiceSlotOf } from '../../voice-cast';

/** The voice variants mespeak 2.0.2 ships (its built-in `espeak-data/voices/!v` files). */
export const MESPEAK_VARIANTS = [
  'croak',
  'f1',
  'f2',
  'f3',
  'f4',
  'f5',
  'klatt',
  'klatt2',
  'klatt3',
  'm1',
  'm2',
  'm3',
  'm4',
  'm5',
  'm6',
  'm7',
  'whisper',
  'whisperf',
] as const;

/** What each voice slot sounds like when the host's config pins nothing. */
export const SLOT_VOICES: readonly { variant: string; pitch: number }[] = [
  { variant: 'm3', pitch: 30 },
  { variant: 'f2', pitch: 50 },
  { variant: 'm7', pitch: 75 },
  { variant: 'f3', pitch: 75 },
];

/** Words per minute for a host whose config sets none. */
export const DEFAULT_SPEED = 165;

/**
 * The eSpeak voices the adapter loads, by voice id, with their files in the mespeak package
 * (the tts Lambda ships exactly these beside its bundle: infra/constructs/lambda-bundling.ts).
 */
export const MESPEAK_VOICE_FILES = {
  'en/en-us': 'voices/en/en-us.json',
  'en/en': 'voices/en/en.json',
  de: 'voices/de.json',
  fr: 'voices/fr.json',
  es: 'voices/es.json',
  'es-la': 'voices/es-la.json',
} as const;

export type MespeakVoiceId = keyof typeof MESPEAK_VOICE_FILES;

/** A voice file's JSON. Each path is a literal so that bundlers see it. */
export function readVoiceFile(id: MespeakVoiceId): unknown {
  /* eslint-disable @typescript-eslint/no-require-imports */
  switch (id) {
    case 'en/en-us':
      return require('mespeak/voices/en/en-us.json');
    case 'en/en':
      return require('mespeak/voices/en/en.json');
    case 'de':
      return require('mespeak/voices/de.json');
    case 'fr':
      return require('mespeak/voices/fr.json');
    case 'es':
      return require('mespeak/voices/es.json');
    case 'es-la':
      return require('mespeak/voices/es-la.json');
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * The eSpeak voice for a language tag: British English for en-gb/en-uk (American otherwise),
 * Latin American Spanish for Spanish with a region other than Spain's.
 */
export function mespeakVoiceId(languageTag: string): MespeakVoiceId {
  const { code, region } = languageOf(languageTag);
  switch (code) {
    case 'en':
      return region === 'gb' || region === 'uk' ? 'en/en' : 'en/en-us';
    case 'es':
      return region !== undefined && region !== 'es' ? 'es-la' : 'es';
    case 'de':
    case 'fr':
      return code;
  }
}

export interface VoiceSettings {
  /** The eSpeak voice (the language). */
  voice: MespeakVoiceId;
  pitch: number;
  speed: number;
  variant: string;
}

/** The eSpeak settings for a host: what their config pins, the rest from their voice slot. */
export function voiceFor(host: Host, cast: VoiceCast): VoiceSettings {
  const slot = SLOT_VOICES[voiceSlotOf(host.id, cast)] ?? SLOT_VOICES[0];
  const variant = host.voice.variant ?? slot?.variant ?? 'm3';
  if (!(MESPEAK_VARIANTS as readonly string[]).includes(variant)) {
    throw new ValidationError(
      `hosts.${host.id}.voice.variant: unknown mespeak variant "${variant}" (known: ${MESPEAK_VARIANTS.join(', ')})`,
      `hosts.${host.id}.voice.variant`
    );
  }
  return {
    voice: mespeakVoiceId(cast.language),
    pitch: host.voice.pitch ?? slot?.pitch ?? 50,
    speed: host.voice.speed ?? DEFAULT_SPEED,
    variant,
  };
}
