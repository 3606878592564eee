/**
 * feed: regenerate the podcast's RSS 2.0 feed from every published episode record and write it to
 * the RSS bucket. The document depends only on the records, the config and the build time
 * (`lastBuildDate`), so rerunning the stage (or running it in the other orchestration mode)
 * writes the same items. The channel image is the show's own cover (showCoverKey, written by the
 * artwork stage); an item's image is its episode's cover, and its link the episode's notes page.
 */
import { artifactKeys } from '../shared/artifact-keys';
import { RetryableStageError } from '../shared/errors';
import type { EpisodeRecord } from '../shared/ports';
import { type PublicUrls, publicUrls, showCoverKey } from '../shared/public-urls';
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
      episodes: episodes.map((e) => feedEpisode(e, urls)),
      feedUrl: url,
      siteUrl: urls.baseUrl,
      builtAt: deps.clock.now(),
      ...(coverUrl ? { coverUrl } : {}),
    });
    await deps.feeds.put(key, xml, FEED_CONTENT_TYPE);
    logger.info('feed written', { podcastId, key, episodes: episodes.length, bytes: Buffer.byteLength(xml) });
    return { key, url, episodes: episodes.length };
  },
});

/**
 * An episode as the feed lists it. Its item image is its own cover only: a record made without
 * artwork points at a show cover (maybe an earlier one, or the old first-episode copy), and the
 * channel image stands for it instead. Its link is its notes page, published with its chapters
 * and transcript when the notes stage ran.
 */
export function feedEpisode(record: EpisodeRecord, urls: PublicUrls): FeedEpisode {
  const ownCovers = ['cover.png', 'cover.jpg'].map((file) => urls.episodeFile(record.episodeId, file));
  const hasNotesPage = record.chaptersUrl !== undefined || record.transcriptUrl !== undefined;
  return {
    ...record,
    imageUrl: ownCovers.includes(record.imageUrl) ? record.imageUrl : '',
    ...(hasNotesPage ? { link: urls.episodeNotes(record.episodeId) } : {}),
  };
}
