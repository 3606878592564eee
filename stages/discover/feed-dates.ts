/**
 * An item's dates as a feed gives them (feed-parser.ts): when it was published (RSS `<pubDate>`,
 * else `dc:date`; Atom `<published>`, else `<updated>`) and the dates that may mark a later update
 * (Atom's `<updated>`; in RSS `atom:updated`, `dc:modified`, `dcterms:modified`, or a `dc:date`
 * beside the `<pubDate>`). An item's `updatedAt` is the latest of those after its publication:
 * discover chooses a story an earlier episode covered again only when it was updated after that
 * episode (discover/covered-stories.ts).
 */

/** An item's raw dates: when it was published, and the dates that may mark an update. */
export interface RawDates {
  published: string;
  updates: string[];
}

/** RFC 822 (RSS) and RFC 3339 (Atom) dates; anything unparseable counts as no date. */
export function parseDate(raw: string): string | undefined {
  const value = raw.trim();
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The latest update date that parses and comes after `publishedAt` (any, without one). */
export function latestUpdate(raw: readonly string[], publishedAt: string | undefined): string | undefined {
  const dates = raw.map(parseDate).filter((d): d is string => d !== undefined);
  const latest = dates.sort().at(-1);
  return latest !== undefined && (publishedAt === undefined || latest > publishedAt) ? latest : undefined;
}
