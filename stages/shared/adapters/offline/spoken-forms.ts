/**
 * The small grammar the offline writer needs per language, beyond its phrase banks: how a date,
 * a number of stories and a list of names are said, the outline's intro and outro titles, and
 * how an episode title is made of two story titles. Story text itself is never translated.
 */
import { type LanguageCode, languageOf } from '../../languages';

export interface SpokenForms {
  /** A calendar date (YYYY-MM-DD) as said in the phrase banks' `{date}`. */
  date(date: string): string;
  /** "four stories": the banks' `{count}`. */
  storyCount(n: number): string;
  /** "Ava, Ben and Cleo". */
  joinNames(names: readonly string[]): string;
  introTitle: string;
  outroTitle: string;
  /** The episode title when no story gives one. */
  fallbackTitle: string;
  /** "A and b" for two stories, "A, b and more" for more. */
  titleOfTwo(first: string, second: string): string;
  titleOfMore(first: string, second: string): string;
  /** Leading words of a title that are lower-cased when it follows another ("The" in "A and the B"). */
  articles: RegExp;
}

/** A list of words, written as one string to keep the tables readable. */
const words = (list: string): readonly string[] => list.split(' ');

const EN_NUMBERS = words('no one two three four five six seven eight nine ten eleven twelve');
const EN_MONTHS = words(
  'January February March April May June July August September October November December'
);
const EN_DAYS = words('Sunday Monday Tuesday Wednesday Thursday Friday Saturday');

const DE_NUMBERS = words('keine ein zwei drei vier fünf sechs sieben acht neun zehn elf zwölf');
const DE_MONTHS = words('Januar Februar März April Mai Juni Juli August September Oktober November Dezember');
const DE_DAYS = words('Sonntag Montag Dienstag Mittwoch Donnerstag Freitag Samstag');

const FR_NUMBERS = words('aucun un deux trois quatre cinq six sept huit neuf dix onze douze');
const FR_MONTHS = words(
  'janvier février mars avril mai juin juillet août septembre octobre novembre décembre'
);
const FR_DAYS = words('dimanche lundi mardi mercredi jeudi vendredi samedi');

const ES_NUMBERS = words('ninguna una dos tres cuatro cinco seis siete ocho nueve diez once doce');
const ES_MONTHS = words(
  'enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre'
);
const ES_DAYS = words('domingo lunes martes miércoles jueves viernes sábado');

/** The weekday, month and day of a calendar date (in UTC: it is a date, not an instant). */
function dateParts(date: string): { weekday: number; month: number; day: number } | undefined {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return undefined;
  return { weekday: parsed.getUTCDay(), month: parsed.getUTCMonth(), day: parsed.getUTCDate() };
}

/** A date spoken with `format`, or the date as given when it is not a calendar date. */
function spoken(format: (weekday: number, month: number, day: number) => string) {
  return (date: string) => {
    const parts = dateParts(date);
    return parts ? format(parts.weekday, parts.month, parts.day) : date;
  };
}

/** "A", "A and B", "A, B and C" with the language's `and`. */
function joinWith(and: (next: string) => string) {
  return (names: readonly string[]): string => {
    if (names.length <= 1) return names[0] ?? '';
    const last = names[names.length - 1] ?? '';
    return `${names.slice(0, -1).join(', ')} ${and(last)} ${last}`;
  };
}

function counted(numbers: readonly string[], one: string, many: string) {
  return (n: number) => `${numbers[n] ?? String(n)} ${n === 1 ? one : many}`;
}

const english: SpokenForms = {
  date: spoken((w, m, d) => `${EN_DAYS[w] ?? ''}, ${EN_MONTHS[m] ?? ''} ${d}`),
  storyCount: counted(EN_NUMBERS, 'story', 'stories'),
  joinNames: joinWith(() => 'and'),
  introTitle: 'Introduction',
  outroTitle: 'Wrap-up',
  fallbackTitle: 'This week in review',
  titleOfTwo: (a, b) => `${a} and ${b}`,
  titleOfMore: (a, b) => `${a}, ${b} and more`,
  articles: /^(The|A|An)$/,
};

const german: SpokenForms = {
  // "Montag, der 23. November": eSpeak reads "23." before a month as the ordinal.
  date: spoken((w, m, d) => `${DE_DAYS[w] ?? ''}, der ${d}. ${DE_MONTHS[m] ?? ''}`),
  storyCount: counted(DE_NUMBERS, 'Thema', 'Themen'),
  joinNames: joinWith(() => 'und'),
  introTitle: 'Einleitung',
  outroTitle: 'Zum Schluss',
  fallbackTitle: 'Der Wochenrückblick',
  titleOfTwo: (a, b) => `${a} und ${b}`,
  titleOfMore: (a, b) => `${a}, ${b} und mehr`,
  articles: /^(Der|Die|Das|Ein|Eine)$/,
};

const french: SpokenForms = {
  // "lundi 23 novembre", "mardi premier décembre": the banks put "le" before it.
  date: spoken((w, m, d) => `${FR_DAYS[w] ?? ''} ${d === 1 ? 'premier' : d} ${FR_MONTHS[m] ?? ''}`),
  storyCount: counted(FR_NUMBERS, 'sujet', 'sujets'),
  joinNames: joinWith(() => 'et'),
  introTitle: 'Introduction',
  outroTitle: 'Conclusion',
  fallbackTitle: 'La semaine en bref',
  titleOfTwo: (a, b) => `${a} et ${b}`,
  titleOfMore: (a, b) => `${a}, ${b} et plus encore`,
  articles: /^(Le|La|Les|Un|Une|Des)$/,
};

/** Spanish "and": "y", or "e" before an i sound ("Ana e Inés"), but not before a diphthong ("y hielo"). */
function spanishAnd(next: string): string {
  return /^h?[iíIÍ](?![aeiouáéíóú])/u.test(next) ? 'e' : 'y';
}

const spanish: SpokenForms = {
  date: spoken((w, m, d) => `${ES_DAYS[w] ?? ''}, ${d} de ${ES_MONTHS[m] ?? ''}`),
  storyCount: counted(ES_NUMBERS, 'noticia', 'noticias'),
  joinNames: joinWith(spanishAnd),
  introTitle: 'Introducción',
  outroTitle: 'Despedida',
  fallbackTitle: 'Resumen de la semana',
  titleOfTwo: (a, b) => `${a} ${spanishAnd(b)} ${b}`,
  titleOfMore: (a, b) => `${a}, ${b} y más`,
  articles: /^(El|La|Los|Las|Un|Una)$/,
};

export const SPOKEN_FORMS: Record<LanguageCode, SpokenForms> = {
  en: english,
  de: german,
  fr: french,
  es: spanish,
};

/** The forms of a podcast's language tag. */
export function spokenForms(languageTag: string): SpokenForms {
  return SPOKEN_FORMS[languageOf(languageTag).code];
}
