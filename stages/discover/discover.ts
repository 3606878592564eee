/**
 * discover: read every source feed of the podcast, drop items dated after the episode, dedupe,
 * rank by recency, topic relevance and source weight, leave out the stories earlier episodes
 * covered (unless updated since: covered-stories.ts), and keep the top `maxStories`. A feed that
 * cannot be read (after a few quick tries) or parsed is skipped with a `source.skipped` event while
 * the others deliver; the stage fails only when no feed could be read. When every candidate was
 * covered, the manifest's `skipRun` ends the run `skipped` (nothing is published). Writes
 * StoryCandidate[] (best first) to runs/<runId>/discover/stories.json.
 */
import { artifactKeys, putJson } from '../shared/artifact-keys';
import { minimumStories, type Source } from '../shared/config-schema';
import { FatalStageError, RetryableStageError } from '../shared/errors';
import type { Fetcher } from '../shared/providers';
import { fetchSource, recordSkipped, type SourceOutcome } from '../shared/source-fetch';
import { loadRunPodcast } from '../shared/run-context';
import { defineStage } from '../shared/stage';
import { leaveOutCovered, nothingNewReason, tooFewNewReason } from './covered-stories';
import { type ParsedFeed, parseFeed } from './feed-parser';
import { discoverInputSchema, discoverOutputSchema } from './schema';
import { type SourcedItem, rankStories } from './story-ranking';

export const discoverStage = defineStage({
  id: 'discover',
  inputSchema: discoverInputSchema,
  outputSchema: discoverOutputSchema,

  async run(input, ctx) {
    const { prepare } = input.stages;
    const { episode } = prepare;
    const podcast = await loadRunPodcast(prepare, ctx.deps);
    const fetcher = ctx.deps.providers.fetcher;

    // Feeds are read concurrently; results keep the config's source order. A feed that cannot be
    // read or parsed is skipped with a reason while the others deliver.
    let done = 0;
    const outcomes = await Promise.all(
      podcast.sources.map(async (source) => {
        const outcome = await readFeed(fetcher, source, ctx.signal);
        if (outcome.ok)
          ctx.logger.info('feed read', {
            sourceId: source.id,
            kind: outcome.value.kind,
            items: outcome.value.items.length,
          });
        else {
          ctx.logger.warn('source skipped', { sourceId: source.id, reason: outcome.reason });
          await recordSkipped(ctx, 'discover', 'source.skipped', source.id, {
            feedUrl: source.feedUrl,
            reason: outcome.reason,
          });
        }
        await ctx.progress(++done / (podcast.sources.length + 1));
        return { source, outcome };
      })
    );
    const skippedSources = outcomes.flatMap(({ source, outcome }) =>
      outcome.ok ? [] : [{ id: source.id, reason: outcome.reason, transient: outcome.transient }]
    );
    if (skippedSources.length === podcast.sources.length) {
      const reasons = skippedSources.map((s) => `source "${s.id}": ${s.reason}`).join('; ');
      const message = `no source feed could be read (${podcast.sources.length} tried): ${reasons}`;
      // When every failure was transient a later attempt may succeed; otherwise it will not.
      throw skippedSources.every((s) => s.transient)
        ? new RetryableStageError(message)
        : new FatalStageError(message);
    }
    const items: SourcedItem[] = outcomes.flatMap(({ source, outcome }) =>
      outcome.ok ? outcome.value.items.map((item) => ({ source, item })) : []
    );

    const { ranked, future, duplicates } = rankStories(items, episode.date, podcast.topics);
    if (ranked.length === 0) {
      throw new FatalStageError(
        `no stories for ${podcast.podcastId} on ${episode.date}: ${items.length} item(s) read from ${podcast.sources.length} feed(s)` +
          (items.length === 0
            ? ', none with a title and a link'
            : `, ${future} dated after ${episode.date}, ${duplicates} duplicate(s)`)
      );
    }
    // Story memory: the podcast's episodes before this one (not this date's own record, so a
    // rerun of this run decides as the first attempt did).
    const earlier = await ctx.deps.episodes.listCoverage(podcast.podcastId, episode.episodeId);
    const { fresh, covered } = leaveOutCovered(ranked, earlier, episode.date);
    const picked = fresh.slice(0, podcast.maxStories);
    const storiesKey = artifactKeys.stageFile(input.runId, 'discover', 'stories.json');
    await putJson(ctx.deps.media, storiesKey, picked);
    ctx.logger.info('stories discovered', {
      read: items.length,
      future,
      duplicates,
      candidates: ranked.length,
      covered: covered.length,
      picked: picked.length,
    });
    const manifest = {
      storiesKey,
      storyIds: picked.map((s) => s.id),
      candidates: ranked.length,
      skippedSources: skippedSources.map(({ id, reason }) => ({ id, reason })),
      covered: covered.length,
    };
    const minStories = minimumStories(podcast);
    // Fewer new stories than an episode needs because earlier episodes covered the rest: skipped.
    if (picked.length >= minStories || (picked.length > 0 && covered.length === 0)) return manifest;
    const reason =
      picked.length === 0 ? nothingNewReason(covered) : tooFewNewReason(picked.length, minStories, covered);
    ctx.logger.info('nothing new to publish', { reason });
    return { ...manifest, skipRun: { reason } };
  },
});

/** Fetches and parses one source feed; a failure names the source and URL. */
async function readFeed(
  fetcher: Fetcher,
  source: Source,
  signal: AbortSignal
): Promise<SourceOutcome<ParsedFeed>> {
  const fetched = await fetchSource(fetcher, source.feedUrl, { kind: 'feed', signal });
  if (!fetched.ok) return { ...fetched, reason: `cannot read the feed ${source.feedUrl}: ${fetched.reason}` };
  try {
    return { ok: true, value: parseFeed(fetched.value.body.toString('utf8'), fetched.value.url) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `cannot parse the feed ${source.feedUrl}: ${reason}`, transient: false };
  }
}
