/**
 * Sentence splitting for English news prose: paragraph-aware, and careful with abbreviations
 * ("Dr.", "e.g.", "U.S."), initials ("J. Smith"), decimals ("3.5"), ellipses and closing quotes.
 */

/** Lower-cased abbreviations (without their final dot) that do not end a sentence. */
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'mt',
  'ft',
  'gen',
  'gov',
  'sen',
  'rep',
  'rev',
  'capt',
  'col',
  'lt',
  'sgt',
  'inc',
  'ltd',
  'co',
  'corp',
  'llc',
  'plc',
  'bros',
  'dept',
  'univ',
  'assn',
  'est',
  'approx',
  'no',
  'nos',
  'vol',
  'fig',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'cf',
  'al',
  'et al',
  'u.s',
  'u.k',
  'u.n',
  'e.u',
  'a.m',
  'p.m',
  'ph.d',
  'b.sc',
  'm.sc',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'mon',
  'tue',
  'tues',
  'wed',
  'thu',
  'thur',
  'thurs',
  'fri',
  'sat',
  'sun',
]);

/** Abbreviations that usually end a sentence when a capitalised word follows ("... in the U.S. The ..."). */
const SENTENCE_FINAL_ABBREVIATIONS = new Set([
  'etc',
  'u.s',
  'u.k',
  'u.n',
  'e.u',
  'a.m',
  'p.m',
  'inc',
  'ltd',
  'corp',
  'llc',
  'plc',
  'jr',
  'sr',
  'al',
]);

/** Titles that are always followed by a name. */
const NAME_TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'st',
  'gen',
  'gov',
  'sen',
  'rep',
  'rev',
  'capt',
  'col',
  'lt',
  'sgt',
]);

/** A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace, then a sentence start. */
const BOUNDARY = /([.!?…]+)(["'”’)\]]*)(\s+)(?=["'“‘([]?[\p{Lu}\p{N}])/gu;

export function splitParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0);
}

/** Splits one paragraph into sentences. */
export function splitParagraphSentences(paragraph: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  BOUNDARY.lastIndex = 0;
  for (let match = BOUNDARY.exec(paragraph); match; match = BOUNDARY.exec(paragraph)) {
    const punctuation = match[1] ?? '';
    const end = match.index + punctuation.length + (match[2]?.length ?? 0);
    if (punctuation === '.' && !endsSentence(paragraph.slice(start, match.index), paragraph.slice(end)))
      continue;
    const sentence = paragraph.slice(start, end).trim();
    if (sentence) sentences.push(sentence);
    start = end + (match[3]?.length ?? 0);
  }
  const rest = paragraph.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

/** All sentences of a text, in order, with the paragraph each came from. */
export function splitSentences(text: string): { text: string; paragraph: number }[] {
  return splitParagraphs(text).flatMap((paragraph, index) =>
    splitParagraphSentences(paragraph).map((s) => ({ text: s, paragraph: index }))
  );
}

/** Decides whether a single "." ends the sentence, given the text before it and the text after. */
function endsSentence(before: string, after: string): boolean {
  const lastToken = /(\S+)$/.exec(before)?.[1] ?? '';
  const word = lastToken.replace(/^["'“‘([]+/, '').toLowerCase();
  if (/^\p{L}$/u.test(word)) return false; // an initial: "J. Smith"
  if (NAME_TITLES.has(word)) return false;
  if (ABBREVIATIONS.has(word)) {
    // "e.g. Postgres" continues; "in the U.S. The next..." ends, unless a name or number follows.
    if (!SENTENCE_FINAL_ABBREVIATIONS.has(word)) return false;
    return /^\s*["'“‘]?(The|A|An|It|This|That|These|Those|In|On|At|But|And|He|She|They|We|I)\b/.test(after);
  }
  if (/^(\p{L}\.)+\p{L}$/u.test(word)) return false; // other dotted initialisms: "p.m", "i.e"
  return true;
}

/** Words of a sentence (letters/digits with inner apostrophes, dots or dashes). */
export function sentenceWords(sentence: string): string[] {
  return sentence.match(/[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu) ?? [];
}

export function wordCount(text: string): number {
  return sentenceWords(text).length;
}
