/**
 * discover: read every source feed of the podcast, drop items dated after the episode, dedupe,
 * rank by recency, topic relevance and source weight, and keep the top `maxStories`.
 * Writes StoryCandidate[] (best first) to runs/<runId>/discover/stories.json.
 */
import { artifactKeys, putJson } from '../shared/artifact-keys';
import type { Source } from '../shared/config-schema';
import { FatalStageError, RetryableStageError } from '../shared/errors';
import type { Fetcher } from '../shared/providers';
import { loadRunPodcast, prepareManifest } from '../shared/run-context';
import type { StageContext, StageInput, StageModule } from '../shared/stage';
import { type ParsedFeed, parseFeed } from './feed-parser';
import { type DiscoverManifest, discoverInputSchema, discoverOutputSchema } from './schema';
import { type SourcedItem, rankStories } from './story-ranking';

export const discoverStage: StageModule<DiscoverManifest> = {
  id: 'discover',
  inputSchema: discoverInputSchema,
  outputSchema: discoverOutputSchema,

  async run(input: StageInput, ctx: StageContext): Promise<DiscoverManifest> {
    const { episode } = prepareManifest(input);
    const podcast = await loadRunPodcast(input, ctx.deps);
    const fetcher = ctx.deps.providers.fetcher;

    // Feeds are read concurrently; results keep the config's source order.
    let done = 0;
    const feeds = await Promise.all(
      podcast.sources.map(async (source) => {
        const feed = await readFeed(fetcher, source);
        ctx.logger.info('feed read', { sourceId: source.id, kind: feed.kind, items: feed.items.length });
        await ctx.progress(++done / (podcast.sources.length + 1));
        return { source, feed };
      })
    );
    const items: SourcedItem[] = feeds.flatMap(({ source, feed }) => feed.items.map((item) => ({ source, item })));

    const { ranked, future, duplicates } = rankStories(items, episode.date, podcast.topics);
    if (ranked.length === 0) {
      throw new FatalStageError(
        `no stories for ${podcast.podcastId} on ${episode.date}: ${items.length} item(s) read from ${podcast.sources.length} feed(s)` +
          (items.length === 0 ? ', none with a title and a link' : `, ${future} dated after ${episode.date}, ${duplicates} duplicate(s)`)
      );
    }
    const picked = ranked.slice(0, podcast.maxStories);
    const storiesKey = artifactKeys.stageFile(input.runId, 'discover', 'stories.json');
    await putJson(ctx.deps.media, storiesKey, picked);
    ctx.logger.info('stories discovered', { read: items.length, future, duplicates, candidates: ranked.length, picked: picked.length });
    return { storiesKey, storyIds: picked.map((s) => s.id), candidates: ranked.length };
  },
};

/** Fetches and parses one source feed; any failure but a transient one names the source and URL. */
async function readFeed(fetcher: Fetcher, source: Source): Promise<ParsedFeed> {
  let body: string;
  try {
    body = (await fetcher.fetch(source.feedUrl)).body.toString('utf8');
  } catch (error) {
    if (error instanceof RetryableStageError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new FatalStageError(`source "${source.id}" (${source.feedUrl}): cannot read the feed: ${reason}`, { cause: error });
  }
  try {
    return parseFeed(body, source.feedUrl);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FatalStageError(`source "${source.id}" (${source.feedUrl}): cannot parse the feed: ${reason}`, { cause: error });
  }
}
