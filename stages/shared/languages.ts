/**
 * The languages a podcast can be made in. Every provider handles each of them: the offline
 * writer has its phrasing (adapters/offline/phrases-*.ts), mespeak ships a voice for it, Polly
 * has neural voices for it and Bedrock is prompted in it; so the config schema accepts exactly
 * these and nothing a provider would fail on halfway through a run.
 *
 * A config's `language` is an ISO 639-1 code with an optional region ("en-us", "de", "es-mx"):
 * the code picks the phrasing and the voices, the region an accent where a provider has one
 * (British English, Latin American Spanish, Canadian French), and the whole tag is the feed's
 * `<language>`.
 */

/** The supported codes, with their English names (for prompts and messages). */
export const LANGUAGES = {
  en: { name: 'English' },
  de: { name: 'German' },
  fr: { name: 'French' },
  es: { name: 'Spanish' },
} as const;

export type LanguageCode = keyof typeof LANGUAGES;

export const LANGUAGE_CODES = Object.keys(LANGUAGES) as LanguageCode[];

/** What a config's `language` may look like before its code is checked: `xx` or `xx-YY`. */
export const LANGUAGE_TAG = /^[a-z]{2}(-[A-Za-z]{2})?$/;

export interface Language {
  code: LanguageCode;
  /** The region in lower case ("us", "gb", "mx"), when the tag names one. */
  region?: string;
  /** The tag as configured ("en-us"). */
  tag: string;
}

export function isLanguageCode(code: string): code is LanguageCode {
  return Object.hasOwn(LANGUAGES, code);
}

/** The language of a tag, or undefined when no provider speaks it (or the tag is malformed). */
export function parseLanguage(tag: string): Language | undefined {
  if (!LANGUAGE_TAG.test(tag)) return undefined;
  const [code = '', region] = tag.split('-');
  if (!isLanguageCode(code)) return undefined;
  return region ? { code, region: region.toLowerCase(), tag } : { code, tag };
}

/**
 * The language of a tag the schema accepted. A tag it could not have accepted is a programming
 * error (a config that skipped the schema), so this throws rather than guessing English.
 */
export function languageOf(tag: string): Language {
  const language = parseLanguage(tag);
  if (!language) throw new Error(`language "${tag}" is not supported (${supportedLanguagesText()})`);
  return language;
}

/** "en (English), de (German), ..." for messages. */
export function supportedLanguagesText(): string {
  return `supported: ${LANGUAGE_CODES.map((code) => `${code} (${LANGUAGES[code].name})`).join(', ')}, each with an optional region such as en-us, en-gb, de-at or es-mx`;
}
