/**
 * Shared set-up for the audio stage tests (tts, mix, artwork): a two-host podcast config and a
 * short script stored where prepare and script put them, the manifests that point at them, a
 * run record (for usage), a StageContext that records progress, and a provider set with only what a test supplies.
 */
import type { PrepareManifest } from '../../../stages/prepare/schema';
import { putJson } from '../../../stages/shared/artifact-keys';
import { type PodcastConfig, podcastConfigSchema } from '../../../stages/shared/config-schema';
import type { Script } from '../../../stages/shared/content-types';
import type {
  AudioMixer,
  ArtworkRenderer,
  Fetcher,
  ProviderSet,
  SpeechSynthesizer,
} from '../../../stages/shared/providers';
import type { StageContext, StageInput } from '../../../stages/shared/stage';
import { type FakeDeps, makeFakeDeps } from '../../fakes/fake-deps';

export const RUN_ID = 'run-audio-1';
export const EPISODE_DATE = '2026-11-23';

export function podcastConfig(overrides: Record<string, unknown> = {}): PodcastConfig {
  return podcastConfigSchema.parse({
    podcastId: 'tech-weekly',
    title: 'Tech Weekly',
    description: 'A weekly briefing.',
    author: 'Tech Weekly',
    publicBaseUrl: 'https://podcasts.example.com/tech-weekly',
    hosts: [
      { id: 'ava', name: 'Ava', role: 'lead', voice: { pitch: 60, speed: 170, variant: 'f2' } },
      { id: 'ben', name: 'Ben', role: 'co-host', voice: { pitch: 35, speed: 160, variant: 'm3' } },
    ],
    sources: [{ id: 'digest', name: 'Digest', feedUrl: 'https://example.com/feed.xml' }],
    ...overrides,
  });
}

/** Six short turns over three segments (intro, one story, outro). */
export function shortScript(overrides: Partial<Script> = {}): Script {
  const turns = [
    { segmentId: 'intro', speaker: 'ava', text: 'Welcome to Tech Weekly.' },
    { segmentId: 'intro', speaker: 'ben', text: 'Good to be here, Ava.' },
    { segmentId: 'story-1', speaker: 'ava', text: 'A new database release shipped this week.' },
    { segmentId: 'story-1', speaker: 'ben', text: 'It is twice as fast on small writes.' },
    { segmentId: 'outro', speaker: 'ava', text: 'That is all for today.' },
    { segmentId: 'outro', speaker: 'ben', text: 'See you next week.' },
  ].map((turn, index) => ({ index, sourceIds: [], ...turn }));
  return { episodeTitle: 'Faster databases', turns, wordCount: 36, ...overrides };
}

export interface AudioWorld {
  deps: FakeDeps;
  podcast: PodcastConfig;
  stages: Record<string, unknown>;
  progress: number[];
  scriptKey: string;
}

export function providerSet(parts: {
  speech?: SpeechSynthesizer;
  mixer?: AudioMixer;
  artwork?: ArtworkRenderer;
  fetcher?: Fetcher;
}): ProviderSet {
  const missing = (what: string): never => {
    throw new Error(`this test did not provide ${what}`);
  };
  return {
    get fetcher() {
      return parts.fetcher ?? missing('a fetcher');
    },
    writerFor: () => missing('a writer'),
    speechFor: () => parts.speech ?? missing('speech'),
    get mixer() {
      return parts.mixer ?? missing('a mixer');
    },
    get artwork() {
      return parts.artwork ?? missing('an artwork renderer');
    },
  };
}

/** Stores the podcast snapshot and the script, and builds the prepare/script/review manifests. */
export async function audioWorld(
  options: {
    podcast?: PodcastConfig;
    script?: Script;
    speech?: SpeechSynthesizer;
    mixer?: AudioMixer;
    artwork?: ArtworkRenderer;
    fetcher?: Fetcher;
    date?: string;
    reviewed?: boolean;
  } = {}
): Promise<AudioWorld> {
  const podcast = options.podcast ?? podcastConfig();
  const date = options.date ?? EPISODE_DATE;
  const deps = makeFakeDeps({ providers: providerSet(options) });
  const prepare: PrepareManifest = {
    runId: RUN_ID,
    podcastId: podcast.podcastId,
    episode: { episodeId: date, date, guid: `guid-${date}` },
    configKey: `runs/${RUN_ID}/prepare/podcast.json`,
    enabled: { review: options.reviewed ?? false, artwork: true, notes: true },
    shards: { summarize: [0, 1, 2, 3], tts: [0, 1, 2, 3] },
  };
  await putJson(deps.media, prepare.configKey, podcast);
  await deps.runs.claim(
    { runId: RUN_ID, podcastId: podcast.podcastId, mode: 'monolithic', inputHash: 'hash', input: {} },
    `${date}T12:00:00.000Z`
  );
  const script = options.script ?? shortScript();
  const draftKey = `runs/${RUN_ID}/script/script.json`;
  await putJson(deps.media, draftKey, script);
  const stages: Record<string, unknown> = {
    prepare,
    script: {
      key: draftKey,
      textKey: `runs/${RUN_ID}/script/script.txt`,
      turns: script.turns.length,
      words: script.wordCount,
    },
    review: { skipped: true },
  };
  let scriptKey = draftKey;
  if (options.reviewed) {
    scriptKey = `runs/${RUN_ID}/review/script.json`;
    await putJson(deps.media, scriptKey, script);
    stages.review = {
      key: scriptKey,
      textKey: `runs/${RUN_ID}/review/script.txt`,
      turns: script.turns.length,
      words: script.wordCount,
      fixes: [],
      reportKey: `runs/${RUN_ID}/review/report.json`,
    };
  }
  return { deps, podcast, stages, progress: [], scriptKey };
}

export function stageInput(world: AudioWorld, shard?: { index: number; count: number }): StageInput {
  return {
    runId: RUN_ID,
    podcastId: world.podcast.podcastId,
    stages: { ...world.stages },
    ...(shard ? { shard } : {}),
  };
}

export function stageContext(world: AudioWorld): StageContext {
  return {
    deps: world.deps,
    logger: world.deps.logger,
    runId: RUN_ID,
    attempt: 1,
    signal: new AbortController().signal,
    progress: async (fraction) => {
      world.progress.push(fraction);
    },
  };
}
