/**
 * The fixed words of the published MP3's ID3 tag in each podcast language: the description of
 * the attached front cover (APIC) and the genre (TCON). Everything else in the tag is the
 * episode's own text. A language without an entry is a compile error.
 */
import { type LanguageCode, languageOf } from '../shared/languages';

export interface TagPhrases {
  /** The APIC frame's description of the episode cover. */
  coverDescription: string;
  /**
   * The TCON genre. "Podcast" is ID3's own genre name (ID3v1 genre 186), which players match
   * on, and the word every one of these languages uses for it.
   */
  genre: string;
}

export const TAG_PHRASES: Record<LanguageCode, TagPhrases> = {
  en: { coverDescription: 'Cover', genre: 'Podcast' },
  de: { coverDescription: 'Titelbild', genre: 'Podcast' },
  fr: { coverDescription: 'Couverture', genre: 'Podcast' },
  es: { coverDescription: 'Portada', genre: 'Podcast' },
};

/** The tag phrases of a podcast's language tag ("en-us", "fr-ca"). */
export function tagPhrases(languageTag: string): TagPhrases {
  return TAG_PHRASES[languageOf(languageTag).code];
}
