/**
 * Term tools for the offline writer: a stopword list, tokenising into content terms with a light
 * plural folding, term frequencies, and deterministic choice by hash (no randomness anywhere).
 */
import { sha256 } from '../../hashing';

export const STOPWORDS = new Set(
  (
    'a about above after again against all almost also although always am among an and another any anyone anything are ' +
    "aren't around as at away back be became because become been before being below between both but by can can't cannot " +
    "could couldn't did didn't do does doesn't doing don't done down during each either else enough even ever every few for " +
    "from further get gets getting got had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers " +
    "herself him himself his how how's however i i'd i'll i'm i've if in into is isn't it it's its itself just last least " +
    "less let's like likely made make makes many may me might more most much must mustn't my myself need needs neither " +
    'never new next no nor not now of off often on once one only onto or other others otherwise our ours ourselves out ' +
    "over own per perhaps put quite rather really said same say says see seen shall shan't she she'd she'll she's should " +
    "shouldn't since so some something still such than that that's the their theirs them themselves then there there's " +
    "these they they'd they'll they're they've this those though through thus to too toward towards under until up upon us " +
    "use used using very via was wasn't we we'd we'll we're we've well were weren't what what's whatever when when's where " +
    "where's whether which while who who's whom whose why why's will with within without won't would wouldn't yet you " +
    "you'd you'll you're you've your yours yourself yourselves year years week weeks day days time told according also " +
    'two three four five six seven eight nine ten first second third'
  ).split(/\s+/)
);

/** Lower-cased words of a text, apostrophes normalised. */
export function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[’‘]/g, "'")
      .match(/[\p{L}\p{N}]+(?:['.-][\p{L}\p{N}]+)*/gu) ?? []
  ).map((w) => w.replace(/'s$/, ''));
}

/** Folds simple plurals so "chips" and "chip" count as one term. */
export function foldTerm(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (
    word.length > 3 &&
    word.endsWith('s') &&
    !word.endsWith('ss') &&
    !word.endsWith('us') &&
    !word.endsWith('is')
  )
    return word.slice(0, -1);
  return word;
}

/** Content terms: no stopwords, no one- or two-letter words (digits are kept: "128", "5.0"). */
export function contentTerms(text: string): string[] {
  return words(text)
    .filter((w) => !STOPWORDS.has(w) && (w.length > 2 || /\d/.test(w)))
    .map(foldTerm);
}

export function termFrequencies(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts)
    for (const term of contentTerms(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/** A stable non-negative integer for a key. */
export function hashIndex(key: string, modulo: number): number {
  if (modulo <= 0) return 0;
  return parseInt(sha256(key).slice(0, 8), 16) % modulo;
}

/** Picks an item by the hash of `key`; skips items already in `used` when there is an alternative. */
export function pickByHash<T>(items: readonly T[], key: string, used?: Set<T>): T {
  if (items.length === 0) throw new Error(`pickByHash: nothing to pick for "${key}"`);
  const start = hashIndex(key, items.length);
  for (let offset = 0; offset < items.length; offset++) {
    const item = items[(start + offset) % items.length] as T;
    if (!used || !used.has(item)) {
      used?.add(item);
      return item;
    }
  }
  return items[start] as T;
}
