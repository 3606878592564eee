/**
 * Shared set-up for the content-stage tests (discover .. review): the shipped tech-weekly example
 * with its relative feed paths made absolute, a prepare manifest stored the way prepare stores
 * it, a StageContext that records progress, and a runner for the content stages in order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { discoverStage } from '../../../stages/discover/discover';
import { outlineStage } from '../../../stages/outline/outline';
import type { PrepareManifest } from '../../../stages/prepare/schema';
import { reviewStage } from '../../../stages/review/review';
import { scrapeStage } from '../../../stages/scrape/scrape';
import { scriptStage } from '../../../stages/script/script';
import { putJson } from '../../../stages/shared/artifact-keys';
import { extractMainText } from '../../../stages/scrape/extract-text';
import type { ScrapedStory } from '../../../stages/shared/content-types';
import { type PodcastConfig, podcastConfigSchema } from '../../../stages/shared/config-schema';
import { ExtractiveWriter } from '../../../stages/shared/adapters/offline/extractive-writer';
import type { Fetcher, ProviderSet, Writer } from '../../../stages/shared/providers';
import type { z } from 'zod';
import type { AnyStageModule, StageContext, StageInput, StageModule } from '../../../stages/shared/stage';
import { runCore } from '../../helpers/run-core';
import { mergeSummaries } from '../../../stages/summarize/merge';
import { summarizeStage } from '../../../stages/summarize/summarize';
import { type FakeDeps, makeFakeDeps } from '../../fakes/fake-deps';
import { exampleFetcher } from '../../fixtures/example-fetch-policy';

export const EXAMPLE_DIR = path.resolve(__dirname, '../../../examples/tech-weekly');
export const EPISODE_DATE = '2026-11-23';
export const RUN_ID = 'tech-weekly-2026-11-23';

export function exampleFileUrl(relative: string): string {
  return pathToFileURL(path.join(EXAMPLE_DIR, relative)).href;
}

/** The shipped podcast.json with its relative feed paths resolved, as the config loader does. */
/** The example's own article pages (examples/tech-weekly/articles), in rank order. */
export const EXAMPLE_ARTICLE_SLUGS = [
  'halvorsen-tern-risc-v',
  'quillmq-license-change',
  'meridian-db-5',
  'nordhavn-seawater-cooling',
] as const;

/** One of the example's articles as scrape would hand it on (its main text, title and word count). */
export function exampleStory(slug: string): ScrapedStory {
  const extracted = extractMainText(readFileSync(path.join(EXAMPLE_DIR, 'articles', `${slug}.html`), 'utf8'));
  return {
    id: `ex-${slug}`,
    sourceId: 'ex',
    sourceName: 'The Example Ledger',
    title: extracted.title?.split(' | ')[0] ?? slug,
    url: `https://example.com/${slug}`,
    text: extracted.text,
    wordCount: extracted.wordCount,
  };
}

export function loadExamplePodcast(overrides: Partial<PodcastConfig> = {}): PodcastConfig {
  const raw = JSON.parse(readFileSync(path.join(EXAMPLE_DIR, 'podcast.json'), 'utf8')) as {
    sources: { feedUrl: string }[];
  };
  for (const source of raw.sources) source.feedUrl = exampleFileUrl(source.feedUrl);
  return podcastConfigSchema.parse({ ...raw, ...overrides });
}

export function providers(parts: { fetcher?: Fetcher; writer?: Writer } = {}): ProviderSet {
  const writer = parts.writer ?? new ExtractiveWriter();
  return {
    fetcher: parts.fetcher ?? exampleFetcher(),
    writerFor: () => writer,
    speechFor: () => {
      throw new Error('content stages do not speak');
    },
    mixer: {
      mix: async () => {
        throw new Error('content stages do not mix');
      },
    },
    artwork: {
      render: async () => {
        throw new Error('content stages do not draw');
      },
    },
  };
}

export interface ContentWorld {
  deps: FakeDeps;
  podcast: PodcastConfig;
  stages: Record<string, unknown>;
  progress: number[];
}

/** Fake deps with the podcast's config snapshot stored where prepare puts it, and its manifest. */
export async function prepareWorld(
  options: {
    podcast?: PodcastConfig;
    fetcher?: Fetcher;
    writer?: Writer;
    date?: string;
    title?: string;
    runId?: string;
  } = {}
): Promise<ContentWorld> {
  const podcast = options.podcast ?? loadExamplePodcast();
  const deps = makeFakeDeps({
    providers: providers({
      ...(options.fetcher ? { fetcher: options.fetcher } : {}),
      ...(options.writer ? { writer: options.writer } : {}),
    }),
  });
  const runId = options.runId ?? RUN_ID;
  const date = options.date ?? EPISODE_DATE;
  const prepare: PrepareManifest = {
    runId,
    podcastId: podcast.podcastId,
    episode: {
      episodeId: date,
      date,
      guid: `guid-${date}`,
      ...(options.title ? { title: options.title } : {}),
    },
    configKey: `runs/${runId}/prepare/podcast.json`,
    enabled: { review: true },
    shards: { summarize: [0, 1, 2, 3] },
  };
  await putJson(deps.media, prepare.configKey, podcast);
  return { deps, podcast, stages: { prepare }, progress: [] };
}

export function stageInput(world: ContentWorld, shard?: { index: number; count: number }): StageInput {
  const prepare = world.stages.prepare as PrepareManifest;
  return {
    runId: prepare.runId,
    podcastId: prepare.podcastId,
    stages: { ...world.stages },
    ...(shard ? { shard } : {}),
  };
}

export function stageContext(world: ContentWorld): StageContext {
  const prepare = world.stages.prepare as PrepareManifest;
  return {
    deps: world.deps,
    logger: world.deps.logger,
    runId: prepare.runId,
    attempt: 1,
    signal: new AbortController().signal,
    progress: async (fraction) => {
      world.progress.push(fraction);
    },
  };
}

/** Validates the input as the stage runner does, runs the stage, validates and records its output. */
export async function runStage<I extends z.ZodType, O extends z.ZodType>(
  world: ContentWorld,
  stage: StageModule<I, O>,
  shard?: { index: number; count: number }
): Promise<z.output<O>> {
  const output = await runCore(stage, stageInput(world, shard), stageContext(world));
  world.stages[stage.id] = output;
  return output;
}

/** summarize as the orchestrators run it: every shard, then merge. */
export async function runSummarizeShards(world: ContentWorld, count = 4): Promise<unknown> {
  const parts = [];
  for (let index = 0; index < count; index++)
    parts.push(await runStage(world, summarizeStage, { index, count }));
  const merged = mergeSummaries(parts);
  world.stages.summarize = merged;
  return merged;
}

const ORDER = ['discover', 'scrape', 'summarize', 'outline', 'script', 'review'] as const;
export type ContentStageId = (typeof ORDER)[number];

/** Runs the content stages in pipeline order up to and including `last`. */
export async function runContentStages(world: ContentWorld, last: ContentStageId): Promise<ContentWorld> {
  const modules: Record<ContentStageId, AnyStageModule | 'shards'> = {
    discover: discoverStage,
    scrape: scrapeStage,
    summarize: 'shards',
    outline: outlineStage,
    script: scriptStage,
    review: reviewStage,
  };
  for (const id of ORDER) {
    const stage = modules[id];
    if (stage === 'shards') await runSummarizeShards(world);
    else await runStage(world, stage);
    if (id === last) break;
  }
  return world;
}
