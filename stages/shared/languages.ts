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

/**
 * Spanish-speaking regions of the Americas (and `la`, Latin America as eSpeak names it): they speak
 * with the Latin American voices (polly-voices.ts, mespeak-voices.ts).
 */
export const LATIN_AMERICAN_SPANISH_REGIONS: readonly string[] =
  'ar bo cl co cr cu do ec gt hn la ni pa pe pr py sv uy ve'.split(' ');

/**
 * The supported codes, with their English names (for prompts and messages) and the regions a tag
 * may name: where the language is spoken as a first or official language, so the feed's
 * `<language>` is a real locale. A region picks an accent where a provider has one (en-gb/en-uk:
 * British voices; de-at, de-ch: Polly's Austrian and Swiss voices are in every German cast anyway;
 * fr-ca: Canadian French; es-mx, es-us and the Latin American regions: Latin American Spanish);
 * the others speak with the language's default voices.
 */
export const LANGUAGES = {
  en: { name: 'English', regions: ['us', 'gb', 'uk', 'au', 'ca', 'ie', 'in', 'nz', 'za'] },
  de: { name: 'German', regions: ['de', 'at', 'ch', 'be', 'li', 'lu'] },
  fr: { name: 'French', regions: ['fr', 'ca', 'be', 'ch', 'lu', 'mc'] },
  es: { name: 'Spanish', regions: ['es', 'mx', 'us', ...LATIN_AMERICAN_SPANISH_REGIONS] },
} as const satisfies Record<string, { name: string; regions: readonly string[] }>;

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
  return LANGUAGE_TAG.test(tag) && !languageProblem(tag) ? splitTag(tag) : undefined;
}

function splitTag(tag: string): Language {
  const [code = '', region] = tag.split('-');
  return (region ? { code, region: region.toLowerCase(), tag } : { code, tag }) as Language;
}

/** The regions a language's tags may name, as tags ("en-us, en-gb, ..."), for messages. */
export function regionTagsText(code: LanguageCode): string {
  return LANGUAGES[code].regions.map((region) => `${code}-${region}`).join(', ');
}

/**
 * Why a well-formed tag (LANGUAGE_TAG) cannot be a podcast's language, or undefined when it can:
 * its code no provider speaks, or a region the language is not spoken in (`en-zz`, `de-XX`).
 */
export function languageProblem(tag: string): string | undefined {
  const { code, region } = splitTag(tag);
  if (!isLanguageCode(code))
    return `"${tag}" is not a language the podcast's providers can speak and write; ${supportedLanguagesText()}`;
  if (region === undefined || (LANGUAGES[code].regions as readonly string[]).includes(region))
    return undefined;
  return `"${tag}": "${region}" is not a region ${LANGUAGES[code].name} is spoken in that the podcast supports; use ${code} or one of ${regionTagsText(code)}`;
}

/**
 * Why a tag that is not of LANGUAGE_TAG's form is refused, naming the fix: a language code in
 * capitals (`EN-GB`: write `en-gb`), a numeric UN M49 region (`es-419`: a country instead), or
 * anything else.
 */
export function malformedTagProblem(tag: string): string {
  const shaped = /^([A-Za-z]{2})(?:-([A-Za-z]{2}|\d{3}))?$/.exec(tag);
  const code = shaped?.[1]?.toLowerCase() ?? '';
  if (shaped && /^\d{3}$/.test(shaped[2] ?? ''))
    return isLanguageCode(code)
      ? `"${tag}": numeric regions are not supported; use ${code} or one of ${regionTagsText(code)}`
      : `"${tag}" is not a language the podcast's providers can speak and write; ${supportedLanguagesText()}`;
  if (shaped) return `"${tag}": write the language code in lower case ("${tag.toLowerCase()}")`;
  return `"${tag}": language must be an ISO 639-1 code with an optional region, e.g. en-us or de`;
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
