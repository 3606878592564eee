/**
 * Ranking and dedupe of feed items: recency against the episode date (exponential decay, items
 * dated after the episode excluded), relevance to the podcast's topics, and the source's weight.
 * Duplicates (same normalised URL, or near-identical titles) become one story: the best score of
 * the copies, credited to the copy published first.
 */
import type { Source } from '../shared/config-schema';
import type { StoryCandidate } from '../shared/content-types';
import { sha256 } from '../shared/hashing';
import type { FeedItem } from './feed-parser';

export const RECENCY_HALF_LIFE_DAYS = 3;
/** Recency given to an item without a (parseable) date: as if it were about a week old. */
export const UNDATED_RECENCY = 0.2;
/** Titles whose word sets overlap this much (Jaccard) are the same story. */
export const TITLE_SIMILARITY = 0.8;
const RECENCY_WEIGHT = 0.6;
const RELEVANCE_WEIGHT = 0.4;
const DAY_MS = 86_400_000;

const TRACKING_PARAMS = /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref_src|_hsenc|_hsmi)$/i;

/** One URL per page: no fragment, no tracking parameters, no trailing slash, sorted query, lower-case host. */
export function normaliseUrl(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  const kept = [...parsed.searchParams.entries()]
    .filter(([key]) => !TRACKING_PARAMS.test(key))
    .sort(([a], [b]) => a.localeCompare(b));
  parsed.search = new URLSearchParams(kept).toString();
  if (parsed.pathname.length > 1) parsed.pathname = parsed.pathname.replace(/\/+$/, '');
  parsed.hostname = parsed.hostname.toLowerCase();
  return parsed.href;
}

/**
 * What a story's id is made from: its normalised URL, except for a local feed's own files, whose
 * path relative to the feed (`file:../articles/a.html`) is used, so a podcast folder that moves
 * (another checkout, another machine) keeps its story ids (and the writer its phrasing).
 */
export function identityUrl(normalisedUrl: string, feedUrl: string): string {
  if (!normalisedUrl.startsWith('file:') || !feedUrl.startsWith('file:')) return normalisedUrl;
  const from = new URL('.', feedUrl).pathname.split('/').filter(Boolean);
  const to = new URL(normalisedUrl).pathname.split('/').filter(Boolean);
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return `file:${[...from.slice(common).map(() => '..'), ...to.slice(common)].join('/')}`;
}

/** A story id that stays the same across runs: the source id plus a short hash of its normalised URL. */
export function storyId(sourceId: string, normalisedUrl: string): string {
  return `${sourceId}-${sha256(normalisedUrl).slice(0, 10)}`;
}

/** Title words for near-duplicate detection (case, punctuation and quote style ignored). */
export function titleWords(title: string): Set<string> {
  return new Set(
    title
      .toLowerCase()
      .replace(/[’‘]/g, "'")
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

export function titleSimilarity(a: string, b: string): number {
  const wa = titleWords(a);
  const wb = titleWords(b);
  if (wa.size === 0 || wb.size === 0) return 0;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared / (wa.size + wb.size - shared);
}

/** 1 at the end of the episode day, halving every RECENCY_HALF_LIFE_DAYS; undefined for items dated after that day. */
export function recencyScore(publishedAt: string | undefined, episodeDate: string): number | undefined {
  if (!publishedAt) return UNDATED_RECENCY;
  const endOfEpisodeDay = Date.parse(`${episodeDate}T23:59:59.999Z`);
  const published = Date.parse(publishedAt);
  if (published > endOfEpisodeDay) return undefined;
  const ageDays = (endOfEpisodeDay - published) / DAY_MS;
  return Math.pow(0.5, ageDays / RECENCY_HALF_LIFE_DAYS);
}

/** Share of topic hits in the title (counted twice) and the snippet; 0.5 when the podcast names no topics. */
export function relevanceScore(title: string, snippet: string, topics: readonly string[]): number {
  if (topics.length === 0) return 0.5;
  const titleText = ` ${[...titleWords(title)].join(' ')} `;
  const snippetText = ` ${[...titleWords(snippet)].join(' ')} `;
  let hits = 0;
  for (const topic of topics) {
    const phrase = ` ${[...titleWords(topic)].join(' ')} `;
    if (phrase.trim().length === 0) continue;
    if (titleText.includes(phrase)) hits += 2;
    else if (snippetText.includes(phrase)) hits += 1;
  }
  return Math.min(1, hits / 3);
}

export interface SourcedItem {
  source: Source;
  item: FeedItem;
}

export interface RankResult {
  ranked: StoryCandidate[];
  /** Items dated after the episode date. */
  future: number;
  /** Items dropped as duplicates of a better-scoring copy. */
  duplicates: number;
}

export function rankStories(
  items: readonly SourcedItem[],
  episodeDate: string,
  topics: readonly string[]
): RankResult {
  const scored: StoryCandidate[] = [];
  let future = 0;
  for (const { source, item } of items) {
    const recency = recencyScore(item.publishedAt, episodeDate);
    if (recency === undefined) {
      future++;
      continue;
    }
    const relevance = relevanceScore(item.title, item.snippet, topics);
    const score = source.weight * (RECENCY_WEIGHT * recency + RELEVANCE_WEIGHT * relevance);
    const url = normaliseUrl(item.url);
    scored.push({
      id: storyId(source.id, identityUrl(url, source.feedUrl)),
      sourceId: source.id,
      sourceName: source.name,
      title: item.title,
      url,
      ...(item.snapshotUrl ? { snapshotUrl: item.snapshotUrl } : {}),
      ...(item.publishedAt ? { publishedAt: item.publishedAt } : {}),
      ...(item.updatedAt ? { updatedAt: item.updatedAt } : {}),
      snippet: item.snippet,
      score: Math.round(score * 1e4) / 1e4,
    });
  }
  scored.sort(compareCandidates);

  // Group copies of the same story (best-scoring first); the group keeps its best score but is
  // told by the copy published first, so the story is credited to its original source. Any
  // copy's update marks the story updated (the latest one counts).
  const groups: StoryCandidate[][] = [];
  for (const candidate of scored) {
    const group = groups.find((g) =>
      g.some((k) => k.url === candidate.url || titleSimilarity(k.title, candidate.title) >= TITLE_SIMILARITY)
    );
    if (group) group.push(candidate);
    else groups.push([candidate]);
  }
  const ranked = groups.map((group) => {
    const best = group[0] as StoryCandidate;
    const original = [...group].sort(compareOriginal)[0] ?? best;
    const updatedAt = group
      .map((copy) => copy.updatedAt)
      .filter((d): d is string => d !== undefined)
      .sort()
      .at(-1);
    return { ...original, ...(updatedAt ? { updatedAt } : {}), score: best.score };
  });
  ranked.sort(compareCandidates);
  return { ranked, future, duplicates: scored.length - ranked.length };
}

/** The earliest dated copy first (undated ones last); then the better score, then the id. */
function compareOriginal(a: StoryCandidate, b: StoryCandidate): number {
  if (a.publishedAt && b.publishedAt && a.publishedAt !== b.publishedAt)
    return a.publishedAt.localeCompare(b.publishedAt);
  if (Boolean(a.publishedAt) !== Boolean(b.publishedAt)) return a.publishedAt ? -1 : 1;
  return b.score - a.score || a.id.localeCompare(b.id);
}

/** Best score first; ties by newer date, then by id, so the order never depends on feed order. */
export function compareCandidates(a: StoryCandidate, b: StoryCandidate): number {
  return (
    b.score - a.score || (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || a.id.localeCompare(b.id)
  );
}
