/**
 * The podcast's RSS 2.0 document with the iTunes, Podcasting 2.0, Atom and content namespaces.
 * A pure function of the podcast config, its episodes and the build time: the same input always
 * renders to the same bytes, and only `lastBuildDate` (the build time, RFC 2822) follows the clock;
 * the channel's `pubDate` is the newest episode's.
 */
import type { PodcastConfig } from '../shared/config-schema';
import { FatalStageError } from '../shared/errors';
import type { EpisodeRecord } from '../shared/ports';
import { podcastGuid } from './podcast-guid';
import { cdata, el, serializeXmlDocument, textEl, type XmlElement } from './xml-writer';

export const NAMESPACES = {
  itunes: 'http://www.itunes.com/dtds/podcast-1.0.dtd',
  podcast: 'https://podcastindex.org/namespace/1.0',
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
} as const;

export const CHAPTERS_TYPE = 'application/json+chapters';
export const TRANSCRIPT_TYPE = 'text/vtt';
export const GENERATOR = 'podcast-platform';

/** An episode as the feed lists it: its record, and the page its item links to. */
export type FeedEpisode = EpisodeRecord & {
  /** The item's `<link>`: the episode's show notes page, when it has one. */
  link?: string;
};

export interface RssDocumentInput {
  podcast: PodcastConfig;
  /** Any order: the document lists them newest first. */
  episodes: readonly FeedEpisode[];
  /** The public URL of the feed itself (atom:link rel=self, and the seed of podcast:guid). */
  feedUrl: string;
  /** The podcast's site (channel link). */
  siteUrl: string;
  /** The show's own cover (channel image), when it exists. */
  coverUrl?: string;
  /** When the feed is built: its lastBuildDate. */
  builtAt: Date;
}

/** The Podcast Taxonomy roles (https://podcasttaxonomy.com) of the config's host roles. */
const PERSON_ROLES = { lead: 'host', 'co-host': 'co-host' } as const;

function parseInstant(iso: string, what: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new FatalStageError(`${what}: "${iso}" is not a valid timestamp`);
  return date;
}

/** RFC 2822 date-time in GMT, e.g. `Mon, 23 Nov 2026 00:00:00 GMT`. */
export function formatRfc2822(iso: string, what = 'date'): string {
  return parseInstant(iso, what).toUTCString();
}

/** `HH:MM:SS` for itunes:duration. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}

/** Newest first; the episode id breaks ties so the order never depends on the repository's. */
export function sortEpisodesNewestFirst<E extends EpisodeRecord>(episodes: readonly E[]): E[] {
  return [...episodes].sort(
    (a, b) => b.publishedAt.localeCompare(a.publishedAt) || b.episodeId.localeCompare(a.episodeId)
  );
}

function itemElement(episode: FeedEpisode): XmlElement {
  const what = `episode ${episode.episodeId} publishedAt`;
  return el(
    'item',
    {},
    textEl('title', episode.title),
    episode.link ? textEl('link', episode.link) : undefined,
    textEl('guid', episode.guid, { isPermaLink: 'false' }),
    textEl('pubDate', formatRfc2822(episode.publishedAt, what)),
    textEl('description', episode.description),
    episode.notesHtml.trim() ? el('content:encoded', {}, cdata(episode.notesHtml)) : undefined,
    el('enclosure', { url: episode.media.url, length: episode.media.bytes, type: episode.media.type }),
    textEl('itunes:title', episode.title),
    textEl('itunes:duration', formatDuration(episode.durationSeconds)),
    episode.imageUrl ? el('itunes:image', { href: episode.imageUrl }) : undefined,
    episode.episodeNumber !== undefined ? textEl('itunes:episode', episode.episodeNumber) : undefined,
    textEl('itunes:episodeType', 'full'),
    episode.transcriptUrl
      ? el('podcast:transcript', { url: episode.transcriptUrl, type: TRANSCRIPT_TYPE })
      : undefined,
    episode.chaptersUrl
      ? el('podcast:chapters', { url: episode.chaptersUrl, type: CHAPTERS_TYPE })
      : undefined
  );
}

/** `<itunes:category>`, with the subcategory nested in it when the config names one. */
function categoryElement(podcast: PodcastConfig): XmlElement {
  return el(
    'itunes:category',
    { text: podcast.category },
    podcast.subcategory ? el('itunes:category', { text: podcast.subcategory }) : undefined
  );
}

/**
 * `<itunes:owner>` (name and email), only with an email to give: directories write to it to
 * verify who owns the feed.
 */
function ownerElement(podcast: PodcastConfig): XmlElement | undefined {
  if (!podcast.ownerEmail) return undefined;
  return el(
    'itunes:owner',
    {},
    textEl('itunes:name', podcast.author),
    textEl('itunes:email', podcast.ownerEmail)
  );
}

function channelElement(input: RssDocumentInput, episodes: readonly FeedEpisode[]): XmlElement {
  const { podcast, feedUrl, siteUrl, coverUrl } = input;
  const newest = episodes[0];
  const year = newest ? parseInstant(newest.publishedAt, 'publishedAt').getUTCFullYear() : undefined;
  return el(
    'channel',
    {},
    textEl('title', podcast.title),
    textEl('link', siteUrl),
    textEl('description', podcast.description),
    textEl('language', podcast.language),
    year !== undefined ? textEl('copyright', `© ${year} ${podcast.author}`) : undefined,
    el('atom:link', { href: feedUrl, rel: 'self', type: 'application/rss+xml' }),
    newest
      ? textEl('pubDate', formatRfc2822(newest.publishedAt, `episode ${newest.episodeId} publishedAt`))
      : undefined,
    textEl('lastBuildDate', formatRfc2822(input.builtAt.toISOString(), 'the build time')),
    textEl('generator', GENERATOR),
    coverUrl
      ? el('image', {}, textEl('url', coverUrl), textEl('title', podcast.title), textEl('link', siteUrl))
      : undefined,
    textEl('itunes:author', podcast.author),
    ownerElement(podcast),
    coverUrl ? el('itunes:image', { href: coverUrl }) : undefined,
    categoryElement(podcast),
    textEl('itunes:explicit', podcast.explicit ? 'true' : 'false'),
    textEl('itunes:type', 'episodic'),
    textEl('podcast:guid', podcastGuid(feedUrl)),
    // Locked: no other platform may import the feed; the owner email (when set) verifies a move.
    textEl('podcast:locked', 'yes', { owner: podcast.ownerEmail }),
    ...podcast.hosts.map((host) =>
      textEl('podcast:person', host.name, { role: PERSON_ROLES[host.role], group: 'cast' })
    ),
    ...episodes.map(itemElement)
  );
}

/** Renders the feed document (UTF-8 XML text). */
export function renderRssDocument(input: RssDocumentInput): string {
  const episodes = sortEpisodesNewestFirst(input.episodes);
  const rss = el(
    'rss',
    {
      version: '2.0',
      'xmlns:itunes': NAMESPACES.itunes,
      'xmlns:podcast': NAMESPACES.podcast,
      'xmlns:atom': NAMESPACES.atom,
      'xmlns:content': NAMESPACES.content,
    },
    channelElement(input, episodes)
  );
  return serializeXmlDocument(rss);
}
