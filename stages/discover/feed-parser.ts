/**
 * Feed parsing: RSS 2.0 and Atom 1.0 into plain feed items (titles and snippets as plain text,
 * links resolved against the feed URL, dates parsed when they parse). CDATA and HTML in
 * descriptions are tolerated; a document that is neither feed kind is an error for the caller.
 *
 * A local feed (a `file:` feed of a config loaded with --podcast) may give an item a snapshot: a
 * copy of the page shipped next to the feed, read instead of the item's link, which stays the
 * story's canonical http(s) URL (the one the show notes publish):
 *
 *     <rss xmlns:local="urn:podcast-platform:local-snapshot"> ... <item>
 *       <link>https://news.example.org/2026/11/22/story</link>
 *       <local:snapshot href="../articles/story.html"/>
 *
 * The element is honoured only in a `file:` feed, and only as a `file:` path (the fetch policy
 * still confines the read to the config's folder); anywhere else it is ignored.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { collapseWhitespace, htmlToText } from '../scrape/html-text';
import { latestUpdate, parseDate, type RawDates } from './feed-dates';
import { asArray, asNode, attr, head, type Node, text, truncate } from './feed-values';

/** The namespace of the `snapshot` element (see the file comment). */
export const SNAPSHOT_NAMESPACE = 'urn:podcast-platform:local-snapshot';

export interface FeedItem {
  title: string;
  /** Absolute URL of the item's page. */
  url: string;
  /** A local copy of the page (a `file:` URL) to read instead of `url`: local feeds only. */
  snapshotUrl?: string;
  /** ISO timestamp, when the item carried a date that parses. */
  publishedAt?: string;
  /** ISO timestamp of an update later than `publishedAt` the feed marks (feed-dates.ts). */
  updatedAt?: string;
  /** Plain-text description, at most SNIPPET_MAX_CHARS. */
  snippet: string;
}

export interface ParsedFeed {
  kind: 'rss' | 'atom';
  title: string;
  items: FeedItem[];
}

export class FeedFormatError extends Error {
  override readonly name = 'FeedFormatError';
}

const SNIPPET_MAX_CHARS = 400;
/**
 * Items read per feed (feeds list the newest first; real ones carry tens). Bounds the work one
 * hostile feed can cause within the 5 MiB a fetch may return.
 */
export const MAX_FEED_ITEMS = 500;
/**
 * Raw characters of a title or description turned into text. The snippet needs only the start,
 * and HTML-to-text costs time quadratic in the length on hostile markup (thousands of unclosed
 * `<!--` or `<a `), so a long description is cut first (at a tag boundary).
 */
const RAW_TITLE_MAX_CHARS = 1024;
const RAW_DESCRIPTION_MAX_CHARS = 4096;
/**
 * Longest item link taken (real article links are far shorter). A link travels into events, the
 * stage manifests and the run record, which have size limits of their own.
 */
export const MAX_LINK_CHARS = 2048;
/** Longest parser message quoted in a FeedFormatError (it may quote the feed's own tag names). */
const PARSER_MESSAGE_MAX_CHARS = 200;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'item' || name === 'entry' || name === 'link',
});

export function parseFeed(xml: string, feedUrl: string): ParsedFeed {
  const validation = XMLValidator.validate(xml);
  if (validation !== true)
    throw new FeedFormatError(
      `malformed XML (${shorten(validation.err.msg)} at line ${validation.err.line})`
    );
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (error) {
    throw new FeedFormatError(
      `malformed XML (${shorten(error instanceof Error ? error.message : String(error))})`
    );
  }
  const rss = asNode(doc.rss);
  if (rss) {
    const channel = asNode(rss.channel);
    if (!channel) throw new FeedFormatError('RSS document has no <channel>');
    const context = { feedUrl, snapshotTag: snapshotTag(feedUrl, rss, channel) };
    return {
      kind: 'rss',
      title: text(channel.title),
      items: firstItems(channel.item).flatMap((item) => rssItem(item, context)),
    };
  }
  const feed = asNode(doc.feed);
  if (feed) {
    const context = { feedUrl, snapshotTag: snapshotTag(feedUrl, feed) };
    return {
      kind: 'atom',
      title: text(feed.title),
      items: firstItems(feed.entry).flatMap((entry) => atomEntry(entry, context)),
    };
  }
  throw new FeedFormatError('neither an RSS 2.0 <rss> nor an Atom <feed> document');
}

interface ItemContext {
  feedUrl: string;
  /** The snapshot element's qualified name in this feed (`<prefix>:snapshot`), when it is honoured. */
  snapshotTag: string | undefined;
}

/**
 * `<prefix>:snapshot` for the prefix the document (root or channel) binds to SNAPSHOT_NAMESPACE;
 * undefined unless the feed itself is a local `file:` feed.
 */
function snapshotTag(feedUrl: string, ...scopes: Node[]): string | undefined {
  if (!feedUrl.startsWith('file:')) return undefined;
  for (const scope of scopes) {
    for (const [key, value] of Object.entries(scope)) {
      const prefix = /^@_xmlns:(.+)$/.exec(key)?.[1];
      if (prefix && value === SNAPSHOT_NAMESPACE) return `${prefix}:snapshot`;
    }
  }
  return undefined;
}

/** The item's snapshot as a `file:` URL next to the local feed, when it has a usable one. */
function snapshotOf(node: Node, context: ItemContext): string | undefined {
  if (!context.snapshotTag) return undefined;
  const href = attr(asArray(node[context.snapshotTag])[0], 'href');
  if (!href || href.length > MAX_LINK_CHARS) return undefined;
  try {
    const url = new URL(href, context.feedUrl);
    return url.protocol === 'file:' && url.host === '' && url.href.length <= MAX_LINK_CHARS
      ? url.href
      : undefined;
  } catch {
    return undefined;
  }
}

function rssItem(raw: unknown, context: ItemContext): FeedItem[] {
  const item = asNode(raw);
  if (!item) return [];
  const guid = asNode(item.guid);
  const guidText = text(item.guid);
  const permalink =
    guid?.['@_isPermaLink'] !== 'false' && /^(https?|file):|^\.{0,2}\//.test(guidText) ? guidText : '';
  const link =
    asArray(item.link)
      .map(text)
      .find((l) => l.length > 0) ?? permalink;
  const description = text(item.description) || text(item['content:encoded']);
  const pubDate = text(item.pubDate);
  const updates = [item['atom:updated'], item['dc:modified'], item['dcterms:modified']].map(text);
  return build(
    text(item.title),
    link,
    {
      published: pubDate || text(item['dc:date']),
      updates: pubDate ? [...updates, text(item['dc:date'])] : updates,
    },
    description,
    context.feedUrl,
    snapshotOf(item, context)
  );
}

function atomEntry(raw: unknown, context: ItemContext): FeedItem[] {
  const entry = asNode(raw);
  if (!entry) return [];
  const links = asArray(entry.link).map((l) => ({
    href: attr(l, 'href'),
    rel: attr(l, 'rel') || 'alternate',
    type: attr(l, 'type'),
  }));
  const link =
    links.find((l) => l.rel === 'alternate' && (!l.type || l.type.includes('html')))?.href ??
    links.find((l) => l.rel === 'alternate')?.href ??
    '';
  const description = text(entry.summary) || text(entry.content);
  return build(
    text(entry.title),
    link,
    { published: text(entry.published) || text(entry.updated), updates: [text(entry.updated)] },
    description,
    context.feedUrl,
    snapshotOf(entry, context)
  );
}

function firstItems(value: unknown): unknown[] {
  return asArray(value).slice(0, MAX_FEED_ITEMS);
}

function build(
  rawTitle: string,
  link: string,
  dates: RawDates,
  rawDescription: string,
  feedUrl: string,
  snapshotUrl: string | undefined
): FeedItem[] {
  const title = collapseWhitespace(htmlToText(head(rawTitle, RAW_TITLE_MAX_CHARS)));
  const description = head(rawDescription, RAW_DESCRIPTION_MAX_CHARS);
  const url = resolveLink(link, feedUrl);
  if (!title || !url) return [];
  const publishedAt = parseDate(dates.published);
  const updatedAt = latestUpdate(dates.updates, publishedAt);
  return [
    {
      title,
      url,
      ...(snapshotUrl ? { snapshotUrl } : {}),
      snippet: truncate(collapseWhitespace(htmlToText(description)), SNIPPET_MAX_CHARS),
      ...(publishedAt ? { publishedAt } : {}),
      ...(updatedAt ? { updatedAt } : {}),
    },
  ];
}

/**
 * Resolves a (possibly relative) item link against the feed URL; undefined when it cannot or must
 * not. A link in fetched content is http(s) only: it never resolves to `file:`, except inside a
 * local `file:` feed (the embedded mode's own config), where the fetch policy still confines it
 * to the config's folder.
 */
export function resolveLink(link: string, feedUrl: string): string | undefined {
  const trimmed = link.trim();
  if (!trimmed || trimmed.length > MAX_LINK_CHARS) return undefined;
  try {
    const url = new URL(trimmed, feedUrl);
    if (url.href.length > MAX_LINK_CHARS) return undefined;
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    return url.protocol === 'file:' && new URL(feedUrl).protocol === 'file:' && url.host === ''
      ? url.href
      : undefined;
  } catch {
    return undefined;
  }
}

/** A parser message of bounded length (it may quote an arbitrarily long name from the feed). */
function shorten(message: string): string {
  return message.length <= PARSER_MESSAGE_MAX_CHARS
    ? message
    : `${message.slice(0, PARSER_MESSAGE_MAX_CHARS)}…`;
}
