/**
 * The fixed words of the show notes and chapters in each podcast language: the summary sentence,
 * the headings, the intro and outro chapter titles and how a list of names or titles is joined.
 * Story titles, sources and key points stay as the sources wrote them. A language without an
 * entry is a compile error (`Record<LanguageCode, NotesPhrases>`). English keeps the ISO date and
 * the "Intro"/"Outro" chapter titles the notes have always had; the other languages name their
 * intro and outro chapters as the outline does (adapters/offline/spoken-forms.ts).
 */
import { type LanguageCode, languageOf } from '../shared/languages';

/** What the summary sentence is made of (names and titles already cleaned). */
export interface SummaryParts {
  podcast: string;
  /** YYYY-MM-DD. */
  date: string;
  hostNames: readonly string[];
  storyTitles: readonly string[];
}

export interface NotesPhrases {
  /** The heading of the story list (HTML and Markdown). */
  storiesHeading: string;
  /** The heading of the chapter list (HTML and Markdown). */
  chaptersHeading: string;
  /** The line that starts the story list of the plain-text description. */
  storiesLabel: string;
  /** The chapter title of an uncited first segment. */
  introTitle: string;
  /** The chapter title of an uncited last segment. */
  outroTitle: string;
  /** The chapter title of a segment whose id gives no words. */
  segmentTitle: string;
  /** The episode summary paragraph. */
  summary(parts: SummaryParts): string;
}

/** "A", "A and B", "A, B and C" with the language's `and` (which may depend on the last item). */
function joinWith(
  items: readonly string[],
  and: (next: string) => string,
  last = items.at(-1) ?? ''
): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${and(last)} ${items.at(-1) ?? ''}`;
}

/**
 * Spanish "and": "y", or "e" before an i sound ("Ana e Inés"), but not before a diphthong
 * ("y hielo"); the offline writer says it the same way (adapters/offline/spoken-forms.ts).
 */
function spanishAnd(next: string): string {
  return /^h?[iíIÍ](?![aeiouáéíóú])/u.test(next) ? 'e' : 'y';
}

const words = (list: string): readonly string[] => list.split(' ');

const DE_MONTHS = words('Januar Februar März April Mai Juni Juli August September Oktober November Dezember');
const FR_MONTHS = words(
  'janvier février mars avril mai juin juillet août septembre octobre novembre décembre'
);
const ES_MONTHS = words(
  'enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre'
);

/** A YYYY-MM-DD date written with `format`, or the date as given when it is not one. */
function writtenDate(
  date: string,
  format: (day: number, month: string, year: string) => string,
  months: readonly string[]
): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const month = match ? months[Number(match[2]) - 1] : undefined;
  const day = match ? Number(match[3]) : 0;
  return match && month && day >= 1 && day <= 31 ? format(day, month, match[1] ?? '') : date;
}

const english: NotesPhrases = {
  storiesHeading: 'Stories',
  chaptersHeading: 'Chapters',
  storiesLabel: 'Stories:',
  introTitle: 'Intro',
  outroTitle: 'Outro',
  segmentTitle: 'Segment',
  summary({ podcast, date, hostNames, storyTitles }) {
    const hosts = joinWith(hostNames, () => 'and');
    if (storyTitles.length === 0) return `${hosts} host this ${date} episode of ${podcast}.`;
    const count = storyTitles.length === 1 ? 'one story' : `${storyTitles.length} stories`;
    const titles = joinWith(
      storyTitles.map((t) => `“${t}”`),
      () => 'and'
    );
    const talk = hostNames.length === 1 ? 'talks' : 'talk';
    return `In this ${date} episode of ${podcast}, ${hosts} ${talk} through ${count}: ${titles}.`;
  },
};

const german: NotesPhrases = {
  storiesHeading: 'Themen',
  chaptersHeading: 'Kapitel',
  storiesLabel: 'Themen:',
  introTitle: 'Einleitung',
  outroTitle: 'Zum Schluss',
  segmentTitle: 'Abschnitt',
  summary({ podcast, date, hostNames, storyTitles }) {
    const hosts = joinWith(hostNames, () => 'und');
    const on = writtenDate(date, (d, m, y) => `${d}. ${m} ${y}`, DE_MONTHS);
    const solo = hostNames.length === 1;
    if (storyTitles.length === 0)
      return `${hosts} ${solo ? 'moderiert' : 'moderieren'} diese Folge von ${podcast} vom ${on}.`;
    const count = storyTitles.length === 1 ? 'ein Thema' : `${storyTitles.length} Themen`;
    const titles = joinWith(
      storyTitles.map((t) => `„${t}“`),
      () => 'und'
    );
    const talk = solo ? 'spricht' : 'sprechen';
    return `In dieser Folge von ${podcast} vom ${on} ${talk} ${hosts} über ${count}: ${titles}.`;
  },
};

/** French puts a no-break space inside guillemets and before a colon. */
const NBSP = '\u00a0';

const french: NotesPhrases = {
  storiesHeading: 'Sujets',
  chaptersHeading: 'Chapitres',
  storiesLabel: `Sujets${NBSP}:`,
  introTitle: 'Introduction',
  outroTitle: 'Conclusion',
  segmentTitle: 'Séquence',
  summary({ podcast, date, hostNames, storyTitles }) {
    const hosts = joinWith(hostNames, () => 'et');
    const on = writtenDate(date, (d, m, y) => `${d === 1 ? '1er' : d} ${m} ${y}`, FR_MONTHS);
    const solo = hostNames.length === 1;
    if (storyTitles.length === 0)
      return `${hosts} ${solo ? 'présente' : 'présentent'} cet épisode de ${podcast} du ${on}.`;
    const count = storyTitles.length === 1 ? 'un sujet' : `${storyTitles.length} sujets`;
    const titles = joinWith(
      storyTitles.map((t) => `«${NBSP}${t}${NBSP}»`),
      () => 'et'
    );
    const talk = solo ? 'présente' : 'présentent';
    return `Dans cet épisode de ${podcast} du ${on}, ${hosts} ${talk} ${count}${NBSP}: ${titles}.`;
  },
};

const spanish: NotesPhrases = {
  storiesHeading: 'Noticias',
  chaptersHeading: 'Capítulos',
  storiesLabel: 'Noticias:',
  introTitle: 'Introducción',
  outroTitle: 'Despedida',
  segmentTitle: 'Segmento',
  summary({ podcast, date, hostNames, storyTitles }) {
    const hosts = joinWith(hostNames, spanishAnd);
    const on = writtenDate(date, (d, m, y) => `${d} de ${m} de ${y}`, ES_MONTHS);
    const solo = hostNames.length === 1;
    if (storyTitles.length === 0)
      return `${hosts} ${solo ? 'presenta' : 'presentan'} este episodio de ${podcast} del ${on}.`;
    const count = storyTitles.length === 1 ? 'una noticia' : `${storyTitles.length} noticias`;
    // "y" or "e" by the last title itself, not by its opening quote.
    const titles = joinWith(
      storyTitles.map((t) => `«${t}»`),
      spanishAnd,
      storyTitles.at(-1)
    );
    const talk = solo ? 'repasa' : 'repasan';
    return `En este episodio de ${podcast} del ${on}, ${hosts} ${talk} ${count}: ${titles}.`;
  },
};

export const NOTES_PHRASES: Record<LanguageCode, NotesPhrases> = {
  en: english,
  de: german,
  fr: french,
  es: spanish,
};

/** The phrases of a podcast's language tag ("en-us", "de", "es-mx"). */
export function notesPhrases(languageTag: string): NotesPhrases {
  return NOTES_PHRASES[languageOf(languageTag).code];
}
