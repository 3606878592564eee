/**
 * summarize (fan-out): one StorySummary per scraped story, written by the podcast's writer. Shard
 * k of n takes the stories i with i % n === k (all of them when there is no shard); merge
 * (mergeSummaries, merge.ts) puts the shards' entries back in rank order.
 */
import { artifactKeys, getJson, putJson } from '../shared/artifact-keys';
import type { StorySummary } from '../shared/content-types';
import { FatalStageError } from '../shared/errors';
import { loadRunPodcast } from '../shared/run-context';
import { defineStage } from '../shared/stage';
import { parseOrThrow } from '../shared/validation';
import { scrapedStorySchema } from '../scrape/schema';
import { mergeSummaries } from './merge';
import {
  type SummarizeManifest,
  storySummarySchema,
  summarizeInputSchema,
  summarizeOutputSchema,
} from './schema';
import { UsageCollector, callWriter, parseWriterAnswer } from './writer-calls';

export const summarizeStage = defineStage({
  id: 'summarize',
  inputSchema: summarizeInputSchema,
  outputSchema: summarizeOutputSchema,
  merge: mergeSummaries,

  async run(input, ctx) {
    const { stages, shard } = input;
    if (shard && shard.index >= shard.count)
      throw new FatalStageError(`shard ${shard.index} is out of range for ${shard.count} shards`);
    const { episode } = stages.prepare;
    const podcast = await loadRunPodcast(stages.prepare, ctx.deps);
    const writer = ctx.deps.providers.writerFor(podcast);
    const usage = new UsageCollector();
    const writerCtx = {
      ...usage.writerContext(podcast, episode.date, ctx.signal),
      storiesFound: stages.scrape.stories.length,
    };

    const mine = stages.scrape.stories
      .map((story, i) => ({ story, rank: i + 1 }))
      .filter((_, i) => !shard || i % shard.count === shard.index);
    const summaries: SummarizeManifest['summaries'] = [];
    for (const [done, { story, rank }] of mine.entries()) {
      const scraped = parseOrThrow(
        scrapedStorySchema,
        await getJson<unknown>(ctx.deps.media, story.key),
        `scraped story ${story.id}`
      );
      const answer = await callWriter(writer, `summary of story ${story.id}`, () =>
        writer.summarize(scraped, writerCtx)
      );
      const summary: StorySummary = parseWriterAnswer(
        storySummarySchema,
        answer,
        writer,
        `summary of story ${story.id}`
      );
      if (summary.storyId !== story.id) {
        throw new FatalStageError(
          `writer "${writer.name}" returned a summary for story "${summary.storyId}" when asked for "${story.id}"`
        );
      }
      const key = artifactKeys.stageFile(input.runId, 'summarize', `${story.id}.json`);
      await putJson(ctx.deps.media, key, summary);
      summaries.push({ storyId: story.id, key, rank });
      ctx.logger.info('story summarized', {
        storyId: story.id,
        sentences: summary.sentences.length,
        words: summary.wordCount,
      });
      await ctx.progress((done + 1) / mine.length);
    }
    await usage.record(ctx, shard ? `summarize/${shard.index}` : 'summarize');
    return { summaries };
  },
});
