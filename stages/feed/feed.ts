/**
 * feed: regenerate the podcast's RSS 2.0 feed from every published episode record and write it to
 * the RSS bucket. The document depends only on the records, the config and the build time
 * (`lastBuildDate`), so rerunning the stage (or running it in the other orchestration mode)
 * writes the same items. The channel image is the show's own cover (showCoverKey, written by the
 * artwork stage); an item's image is its episode's cover, and its link the episode's notes page.
 * Every URL of an item comes from its episode record (the version folder publish wrote, or the
 * fixed keys of an older record), never from the episode id. The feed is written with a 60 s
 * Cache-Control: it changes in place, unlike the episode files.
 */
import { artifactKeys } from '../shared/artifact-keys';
import { FEED_CACHE_CONTROL } from '../shared/cache-control';
import { RetryableStageError } from '../shared/errors';
import type { EpisodeRecord } from '../shared/ports';
import { publicUrls, showCoverKey } from '../shared/public-urls';
import { loadRunPodcast } from '../shared/run-context';
import { defineStage } from '../shared/stage';
import { type FeedEpisode, renderRssDocument } from './rss-document';
import { feedInputSchema, feedOutputSchema } from './schema';

export const FEED_CONTENT_TYPE = 'application/rss+xml';

export const feedStage = defineStage({
  id: 'feed',
  inputSchema: feedInputSchema,
  outputSchema: feedOutputSchema,
  async run(input, ctx) {
    const { deps, logger } = ctx;
    const { podcastId, stages } = input;
    const podcast = await loadRunPodcast(stages.prepare, deps);
    const urls = publicUrls(podcast);

    const episodes = await deps.episodes.listByPodcast(podcastId);
    const published = stages.publish;
    if (!episodes.some((e) => e.episodeId === published.episodeId && e.guid === published.guid)) {
      // The record was written by publish; a listing that misses it is a stale read, not a lost episode.
      throw new RetryableStageError(
        `episode ${published.episodeId} of podcast "${podcastId}" is not listed yet; the feed would miss it`
      );
    }

    // Without the show cover (artwork never ran for this title or artwork), no image URL that
    // would serve nothing is published.
    const hasCover = await deps.media.exists(showCoverKey(podcast));
    const coverUrl = hasCover ? urls.podcastCover() : undefined;

    const key = artifactKeys.feed(podcastId);
    const url = urls.feed();
    const xml = renderRssDocument({
      podcast,
      episodes: episodes.map(feedEpisode),
      feedUrl: url,
      siteUrl: urls.baseUrl,
      builtAt: deps.clock.now(),
      ...(coverUrl ? { coverUrl } : {}),
    });
    await deps.feeds.put(key, xml, FEED_CONTENT_TYPE, { cacheControl: FEED_CACHE_CONTROL });
    logger.info('feed written', { podcastId, key, episodes: episodes.length, bytes: Buffer.byteLength(xml) });
    return { key, url, episodes: episodes.length };
  },
});

/** A URL's folder (everything up to its last `/`), for comparing where two files live. */
function folderOf(url: string): string {
  return url.slice(0, url.lastIndexOf('/') + 1);
}

/**
 * An episode as the feed lists it, from its record alone. Its item image is its own cover only (a
 * `cover.png|jpg` beside its MP3, in the same version folder): a record made without artwork
 * points at a show cover (maybe an earlier one, or the old first-episode copy), and the channel
 * image stands for it instead. Its link is its notes page (`notesUrl`); a record from before
 * versioned keys has none, and its page, published with its chapters and transcript when the
 * notes stage ran, is `notes.html` beside its MP3.
 */
export function feedEpisode(record: EpisodeRecord): FeedEpisode {
  const folder = folderOf(record.media.url);
  const ownCover = ['cover.png', 'cover.jpg'].some((file) => record.imageUrl === `${folder}${file}`);
  const hasNotesPage = record.chaptersUrl !== undefined || record.transcriptUrl !== undefined;
  const link = record.notesUrl ?? (hasNotesPage ? `${folder}notes.html` : undefined);
  return {
    ...record,
    imageUrl: ownCover ? record.imageUrl : '',
    ...(link ? { link } : {}),
  };
}
