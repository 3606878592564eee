/**
 * Story memory: what an episode record keeps of the stories it covered, so that discover does not
 * choose them again for a later episode of the same podcast. A story is known by its canonical
 * link (discover's normalised URL) and by its normalised title; either one matching is the same
 * story (compared by storyLinkKey and storyTitleKey, which fold http/https, `www.`, compatibility
 * forms and look-alike letters). What is kept is bounded (at most MAX_COVERED_STORIES stories, links of at most
 * MAX_COVERED_LINK_CHARS, titles of at most MAX_NORMALISED_TITLE_CHARS), so a record stays small, and it is
 * checked as it is read back: a record written before stories were kept covers none, a malformed
 * one is an error naming the record and the field (nothing stored is rewritten or dropped).
 */
import * as z from 'zod';
import { FatalStageError } from './errors';
import { foldLookAlikes } from './look-alike-letters';
import type { CoveredStory, EpisodeCoverage } from './ports';

/** The most stories one record keeps: the config's largest `maxStories`. */
export const MAX_COVERED_STORIES = 20;
/** The longest link kept: the feed parser's MAX_LINK_CHARS (it takes no longer link). */
export const MAX_COVERED_LINK_CHARS = 2048;
/** Titles are compared on their first this many normalised characters. */
export const MAX_NORMALISED_TITLE_CHARS = 300;

/**
 * A title for comparison: Unicode-normalised (NFKD: fullwidth and other compatibility forms become
 * their plain letters) with its diacritics dropped, lower-cased, every run of punctuation, symbols
 * and whitespace folded into one space, trimmed, and cut to MAX_NORMALISED_TITLE_CHARS.
 * `Café: the “Zürich” deal!`, `ＣＡＦÉ the Zurich deal` and `cafe the zurich deal` are one title.
 */
export function normaliseTitle(title: string): string {
  const folded = title
    .normalize('NFKD')
    .replace(/[\p{M}\p{Cf}]+/gu, '') // marks, and format characters such as a soft hyphen
    .toLowerCase()
    .replace(/[’‘']/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  let cut = folded.slice(0, MAX_NORMALISED_TITLE_CHARS);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1); // never half a surrogate pair
  return cut.trim();
}

/**
 * What two titles are compared on: the normalised title (normalised again, so a title stored by
 * an earlier version compares as a new one would) with look-alike letters folded to Latin
 * (look-alike-letters.ts). Records keep the normalised title itself, in its own script.
 */
export function storyTitleKey(title: string): string {
  return foldLookAlikes(normaliseTitle(title));
}

/**
 * What two links are compared on (the stored link is kept as written): discover's normalised URL
 * (normaliseUrl: no fragment or tracking parameters, sorted query, lower-case host) with http
 * taken as https, a leading `www.` dropped from the host, and letters written in compatibility
 * forms in the path and query (fullwidth `ａ`, ligatures; percent-encoded UTF-8) folded by NFKC.
 * The path's case and structure and the query stay significant: a fullwidth `／` stays `%2F`, not
 * a separator. A link that is not a URL is compared as written.
 */
export function storyLinkKey(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return url;
  const host = parsed.host.replace(/^www\./, '').replace(/\.(?=:|$)/, ''); // `example.com.` is example.com
  return `https://${host}${foldEncoded(parsed.pathname)}${foldEncoded(parsed.search)}`;
}

/** Characters that keep their percent-encoding: reserved ones (RFC 3986) and `%` itself. */
const RESERVED = /[:/?#[\]@!$&'()*+,;=%\s]/;

/** One non-ASCII character in compatibility form folded (NFKC), re-encoded if it became a reserved one. */
function foldCharacter(ch: string): string {
  const folded = ch.normalize('NFKC');
  return [...folded].map((c) => (RESERVED.test(c) || c > '\x7F' ? encodeURIComponent(c) : c)).join('');
}

/**
 * A path or query as links are compared: percent-encoded bytes that are not reserved characters
 * decoded (`%7E` is `~`, `%C3%A9` is `é`), combining marks composed with their letter (NFC: `e` +
 * `%CC%81` is `é`), compatibility forms folded (NFKC: fullwidth `ａ` is `a`, but a fullwidth `／`
 * stays `%2F`, never a separator), non-ASCII encoded again. Bytes that are not UTF-8 stay as written.
 */
function foldEncoded(part: string): string {
  const decoded = part.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return [...decodeURIComponent(run)].map((c) => (RESERVED.test(c) ? encodeURIComponent(c) : c)).join('');
    } catch {
      return run;
    }
  });
  return decoded.normalize('NFC').replace(/[^\p{ASCII}]/gu, foldCharacter);
}

/** What a record keeps of one story (discover's candidate: its normalised URL and its title). */
export function coveredStory(story: { url: string; title: string }): CoveredStory {
  return { url: story.url, title: normaliseTitle(story.title) };
}

export const coveredStorySchema = z.object({
  url: z.string().min(1).max(MAX_COVERED_LINK_CHARS),
  title: z.string().max(MAX_NORMALISED_TITLE_CHARS),
});

export const coveredStoriesSchema = z.array(coveredStorySchema).max(MAX_COVERED_STORIES);

/**
 * The stories of a record being written, bounded: the first MAX_COVERED_STORIES, one per link, a
 * link too long to keep left out (the feed parser takes none that long; kept here as a guard).
 */
export function boundedStories(stories: readonly CoveredStory[]): CoveredStory[] {
  const seen = new Set<string>();
  const kept: CoveredStory[] = [];
  for (const story of stories) {
    if (kept.length >= MAX_COVERED_STORIES) break;
    if (seen.has(story.url) || story.url.length > MAX_COVERED_LINK_CHARS) continue;
    seen.add(story.url);
    kept.push({ url: story.url, title: normaliseTitle(story.title) });
  }
  return kept;
}

/**
 * An episodes-table item (or its projection) as EpisodeCoverage. `stories` absent: an older
 * record, which covers none. Anything else that does not fit is a FatalStageError naming the
 * podcast, the episode and the field: a hand-edited record is reported, never silently ignored.
 */
export function episodeCoverageOf(item: Record<string, unknown>, podcastId: string): EpisodeCoverage {
  const episodeId = typeof item.episodeId === 'string' ? item.episodeId : '';
  const where = `episode record ${episodeId || '(no episodeId)'} of podcast "${podcastId}"`;
  if (!episodeId) throw new FatalStageError(`${where}: episodeId is missing`);
  if (typeof item.publishedAt !== 'string' || Number.isNaN(Date.parse(item.publishedAt)))
    throw new FatalStageError(`${where}: publishedAt is not a date`);
  if (item.stories === undefined) return { episodeId, publishedAt: item.publishedAt, stories: [] };
  const parsed = coveredStoriesSchema.safeParse(item.stories);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['stories', ...(issue?.path ?? [])].join('.');
    throw new FatalStageError(`${where}: ${path}: ${issue?.message ?? 'invalid'}`);
  }
  return { episodeId, publishedAt: item.publishedAt, stories: parsed.data };
}
