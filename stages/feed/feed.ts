/**
 * feed: regenerate the podcast's RSS 2.0 feed from every published episode record and write it to
 * the RSS bucket. The document depends only on the records and the config, so rerunning the stage
 * (or running it in the other orchestration mode) writes the same bytes.
 */
import { artifactKeys } from '../shared/artifact-keys';
import { RetryableStageError } from '../shared/errors';
import { podcastCoverKey, publicUrls } from '../shared/public-urls';
import { loadRunPodcast } from '../shared/run-context';
import { defineStage } from '../shared/stage';
import { renderRssDocument } from './rss-document';
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

    // Without a podcast-level cover (artwork never ran), no image URL that would serve nothing is published.
    const hasCover = await deps.media.exists(podcastCoverKey(podcastId));
    const coverUrl = hasCover ? urls.podcastCover() : undefined;
    const items = episodes.map((e) =>
      hasCover || e.imageUrl !== urls.podcastCover() ? e : { ...e, imageUrl: '' }
    );

    const key = artifactKeys.feed(podcastId);
    const url = urls.feed();
    const xml = renderRssDocument({
      podcast,
      episodes: items,
      feedUrl: url,
      siteUrl: urls.baseUrl,
      ...(coverUrl ? { coverUrl } : {}),
    });
    await deps.feeds.put(key, xml, FEED_CONTENT_TYPE);
    logger.info('feed written', { podcastId, key, episodes: episodes.length, bytes: Buffer.byteLength(xml) });
    return { key, url, episodes: episodes.length };
  },
});
