import { runCore } from '../../helpers/run-core';
import { summarizeStage } from '../../../stages/summarize/summarize';
import type { SummarizeManifest } from '../../../stages/summarize/schema';
import type { ScrapeManifest } from '../../../stages/scrape/schema';
import { ExtractiveWriter } from '../../../stages/shared/adapters/offline/extractive-writer';
import type { ScrapedStory, StorySummary } from '../../../stages/shared/content-types';
import { FatalStageError } from '../../../stages/shared/errors';
import type { Writer } from '../../../stages/shared/providers';
import {
  loadExamplePodcast,
  prepareWorld,
  runContentStages,
  runStage,
  stageContext,
  stageInput,
  type ContentWorld,
} from './content-fixtures';

/** The example run up to scrape, with six stories so that four shards get uneven shares. */
async function scrapedWorld(writer?: Writer): Promise<ContentWorld> {
  const world = await prepareWorld({
    podcast: loadExamplePodcast({ maxStories: 6 }),
    ...(writer ? { writer } : {}),
  });
  return runContentStages(world, 'scrape');
}

describe('summarize', () => {
  it('gives each shard the stories i with i % count === index, and merge restores rank order', async () => {
    // Prepare
    const world = await scrapedWorld();
    const storyIds = (world.stages.scrape as ScrapeManifest).stories.map((s) => s.id);
    expect(storyIds).toHaveLength(6);

    // Act
    const parts: SummarizeManifest[] = [];
    for (let index = 0; index < 4; index++)
      parts.push(await runStage(world, summarizeStage, { index, count: 4 }));
    const merged = summarizeStage.merge?.([...parts].reverse());

    // Assess
    expect(parts.map((p) => p.summaries.map((s) => s.rank))).toEqual([[1, 5], [2, 6], [3], [4]]);
    expect(merged?.summaries.map((s) => s.storyId)).toEqual(storyIds);
    expect(merged?.summaries.map((s) => s.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const entry of merged?.summaries ?? [])
      expect(entry.key).toBe(`runs/tech-weekly-2026-11-23/summarize/${entry.storyId}.json`);
  });

  it('summarizes every story when run without a shard, with sentences taken from the scraped text', async () => {
    const world = await scrapedWorld();
    const manifest = await runStage(world, summarizeStage);
    const scrape = world.stages.scrape as ScrapeManifest;
    expect(manifest.summaries.map((s) => s.storyId)).toEqual(scrape.stories.map((s) => s.id));
    for (const [i, entry] of manifest.summaries.entries()) {
      const story = world.deps.media.json<ScrapedStory>(scrape.stories[i]?.key ?? '');
      const summary = world.deps.media.json<StorySummary>(entry.key);
      expect(summary.title).toBe(story.title);
      expect(summary.sourceName).toBe(story.sourceName);
      for (const sentence of summary.sentences) expect(story.text).toContain(sentence);
    }
    expect(world.progress[world.progress.length - 1]).toBe(1);
  });

  it('is deterministic: two runs write byte-identical summaries', async () => {
    const a = await scrapedWorld();
    const b = await scrapedWorld();
    const ma = await runStage(a, summarizeStage);
    const mb = await runStage(b, summarizeStage);
    expect(mb).toEqual(ma);
    for (const entry of ma.summaries) expect(b.deps.media.text(entry.key)).toBe(a.deps.media.text(entry.key));
  });

  it('merges an empty shard (more shards than stories) without trouble', async () => {
    const world = await prepareWorld({ podcast: loadExamplePodcast({ maxStories: 2 }) });
    await runContentStages(world, 'scrape');
    const empty = await runStage(world, summarizeStage, { index: 3, count: 4 });
    expect(empty.summaries).toEqual([]);
  });

  it('fails on a malformed writer answer, naming what is wrong', async () => {
    const offline = new ExtractiveWriter();
    const sloppy: Writer = {
      name: 'sloppy',
      summarize: async (story, ctx) => ({ ...(await offline.summarize(story, ctx)), sentences: [] }),
      outline: offline.outline.bind(offline),
      script: offline.script.bind(offline),
    };
    const world = await scrapedWorld(sloppy);
    const error = await runCore(
      summarizeStage,
      stageInput(world, { index: 0, count: 4 }),
      stageContext(world)
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalStageError);
    expect((error as Error).message).toMatch(
      /^writer "sloppy" returned a malformed summary of story \S+: sentences: the summary has no sentences$/
    );
  });

  it('fails when the writer answers for another story', async () => {
    const offline = new ExtractiveWriter();
    const confused: Writer = {
      name: 'confused',
      summarize: async (story, ctx) => ({
        ...(await offline.summarize(story, ctx)),
        storyId: 'someone-else',
      }),
      outline: offline.outline.bind(offline),
      script: offline.script.bind(offline),
    };
    const world = await scrapedWorld(confused);
    await expect(runCore(summarizeStage, stageInput(world), stageContext(world))).rejects.toThrow(
      /returned a summary for story "someone-else" when asked for/
    );
  });

  it('rejects a shard index outside the shard count', async () => {
    const world = await scrapedWorld();
    await expect(
      runCore(summarizeStage, stageInput(world, { index: 4, count: 4 }), stageContext(world))
    ).rejects.toThrow('shard 4 is out of range for 4 shards');
  });
});
