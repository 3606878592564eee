/**
 * In-process runs for the reliability tests: a small podcast (the example's feeds, two stories,
 * one minute), both orchestration modes on the same in-memory fakes (the monolithic engine; the
 * committed state machine on the local runner with the real Lambda handler modules and the ECS
 * stage task in-process, retries without waiting), snapshots of the fakes so a case can start
 * from a published earlier episode, and the exactly-once checks every reliability test shares.
 */
import path from 'node:path';
import { PipelineFailedError, runPipeline } from '../../containers/orchestrator/engine/pipeline-engine';
import { loadPodcastConfigFile } from '../../containers/orchestrator/local/podcast-config-file';
import { STAGES, unitKey } from '../../stages/pipeline-plan';
import { artifactKeys } from '../../stages/shared/artifact-keys';
import type { PodcastConfig } from '../../stages/shared/config-schema';
import { resolvePublicBaseUrl } from '../../stages/shared/public-urls';
import { describeError, ValidationError } from '../../stages/shared/errors';
import type { PipelineEvent, RunError } from '../../stages/shared/ports';
import type { JsonValue } from '../../stepfunctions/asl-types';
import { runLocalStateMachine } from '../../stepfunctions/local/run-local-state-machine';
import { type FakeDeps, makeFakeDeps } from '../fakes/fake-deps';
import { InMemoryArtifactStore } from '../fakes/in-memory-artifact-store';
import {
  InMemoryEpisodeRepository,
  InMemoryEventLog,
  InMemoryPodcastRepository,
  InMemoryRunRepository,
} from '../fakes/in-memory-repositories';
import { type FaultInjection, injectStageFaults, type StageFault } from './fault-injection';
import { quickProviders } from './fault-injection-providers';

export const EXAMPLE_PODCAST_FILE = path.resolve(
  __dirname,
  '..',
  '..',
  'examples',
  'tech-weekly',
  'podcast.json'
);
export const PODCAST_ID = 'tech-weekly';
export type Mode = 'monolithic' | 'distributed';
export const MODES: readonly Mode[] = ['monolithic', 'distributed'];

/** The example podcast cut down: two stories, a one-minute episode (feed paths become file:// URLs). */
export async function smallPodcast(): Promise<PodcastConfig> {
  const example = resolvePublicBaseUrl(
    await loadPodcastConfigFile(EXAMPLE_PODCAST_FILE),
    undefined,
    'example'
  );
  return { ...example, maxStories: 2, targetMinutes: 1 };
}

/** The run every reliability case starts (the example's episode date). */
export const RUN_ID = 'tech-weekly-2026-11-23';
export const DATE = '2026-11-23';

/**
 * The small podcast's run asking for approval of its script: 3 minutes (room for the review's
 * length budget with the example's two stories), the podcast's approval deadline when given.
 */
export async function gatedPipelineInput(deadlineHours?: number) {
  const podcast = await smallPodcast();
  return {
    ...pipelineInput(RUN_ID, DATE, {
      ...podcast,
      targetMinutes: 3,
      ...(deadlineHours ? { approval: { script: false, deadlineHours } } : {}),
    }),
    flags: { approval: 'script' as const },
  };
}

export interface FaultScenario {
  /** The small podcast, loaded once per file (in a beforeAll registered before the file's own). */
  podcast(): PodcastConfig;
  /** Patches the stages with these faults until the end of the current test. */
  inject(faults: readonly StageFault[]): FaultInjection;
}

/** The reliability suites' setup: call at the top of a test file. */
export function faultScenario(): FaultScenario {
  let podcast: PodcastConfig | undefined;
  let active: FaultInjection | undefined;
  beforeAll(async () => {
    podcast = await smallPodcast();
  });
  afterEach(() => {
    active?.restore();
    active = undefined;
  });
  return {
    podcast: () => {
      if (!podcast) throw new Error('faultScenario().podcast() is available once the beforeAll has run');
      return podcast;
    },
    inject: (faults) => (active = injectStageFaults(faults)),
  };
}

export interface PipelineInput {
  runId: string;
  podcastId: string;
  episode: { date: string };
  podcast: PodcastConfig;
}

export function pipelineInput(runId: string, date: string, podcast: PodcastConfig): PipelineInput {
  return { runId, podcastId: podcast.podcastId, episode: { date }, podcast };
}

/** A run input naming a podcast stored in the podcasts table (no inline config), the date optional. */
export interface StoredPodcastInput {
  runId: string;
  podcastId: string;
  episode?: { date?: string };
}

export type AnyPipelineInput = PipelineInput | StoredPodcastInput;

export function fakeDeps(): FakeDeps {
  return makeFakeDeps({ providers: quickProviders() });
}

export interface RunOutcome {
  /** `skipped`: the run ended with nothing to publish (the run record says so, with the reason). */
  status: 'succeeded' | 'failed' | 'skipped';
  /** The failure as the orchestrator saw it (engine error, or the execution's Error/Cause). */
  error?: RunError;
}

export async function runMonolithic(deps: FakeDeps, input: AnyPipelineInput): Promise<RunOutcome> {
  try {
    const result = await runPipeline({ runId: input.runId, podcastId: input.podcastId }, input, {
      deps,
      retryDelayScale: 0,
    });
    return { status: result.skipped ? 'skipped' : 'succeeded' };
  } catch (error) {
    if (error instanceof PipelineFailedError) return { status: 'failed', error: error.runError };
    if (error instanceof ValidationError)
      return { status: 'failed', error: { stage: 'prepare', ...describeError(error) } };
    throw error;
  }
}

export async function runDistributed(deps: FakeDeps, input: AnyPipelineInput): Promise<RunOutcome> {
  const result = await runLocalStateMachine(JSON.parse(JSON.stringify(input)) as JsonValue, {
    deps,
    ecsMode: 'in-process',
    retryIntervalOverrides: 0,
  });
  if (result.status === 'SUCCEEDED')
    return { status: (await deps.runs.get(input.runId))?.status === 'skipped' ? 'skipped' : 'succeeded' };
  return {
    status: 'failed',
    error: { name: result.error?.Error ?? result.status, message: result.error?.Cause ?? '' },
  };
}

export function runInMode(mode: Mode, deps: FakeDeps, input: AnyPipelineInput): Promise<RunOutcome> {
  return mode === 'monolithic' ? runMonolithic(deps, input) : runDistributed(deps, input);
}

/** A deep copy of every fake's state, so each case can start from the same published history. */
export function cloneFakeDeps(source: FakeDeps): FakeDeps {
  const copyMap = <K, V>(from: Map<K, V>, to: Map<K, V>) => {
    for (const [key, value] of from) to.set(key, structuredClone(value));
  };
  const runs = new InMemoryRunRepository();
  copyMap(source.runs.runs, runs.runs);
  const events = new InMemoryEventLog();
  copyMap(source.events.events, events.events);
  const episodes = new InMemoryEpisodeRepository();
  copyMap(source.episodes.episodes, episodes.episodes);
  const podcasts = new InMemoryPodcastRepository();
  copyMap(source.podcasts.podcasts, podcasts.podcasts);
  const media = new InMemoryArtifactStore(source.media.bucket);
  for (const [key, object] of source.media.objects)
    media.objects.set(key, { ...object, body: Buffer.from(object.body) });
  const feeds = new InMemoryArtifactStore(source.feeds.bucket);
  for (const [key, object] of source.feeds.objects)
    feeds.objects.set(key, { ...object, body: Buffer.from(object.body) });
  return makeFakeDeps({ runs, events, episodes, podcasts, media, feeds, providers: source.providers });
}

/** Every unit of work of a full run: stages, and `stage/<i>` for each shard of a fan-out stage. */
export function allUnits(): string[] {
  return STAGES.flatMap((s) =>
    s.fanOut ? Array.from({ length: s.fanOut.shards }, (_, i) => unitKey(s.id, i)) : [s.id]
  );
}

export const feedXml = (deps: FakeDeps, podcastId = PODCAST_ID): string | undefined =>
  deps.feeds.objects.get(artifactKeys.feed(podcastId))?.body.toString('utf8');

/** The <guid> of every <item> in a feed document. */
export function feedGuids(xml: string | undefined): string[] {
  if (!xml) return [];
  return [...xml.matchAll(/<item>[\s\S]*?<guid[^>]*>([^<]+)<\/guid>[\s\S]*?<\/item>/g)].map(
    (m) => m[1] as string
  );
}

export const ofType = (events: readonly PipelineEvent[], type: PipelineEvent['type']) =>
  events.filter((e) => e.type === type);

/** Units (`tts/2`) that an event of this type names, one entry per event. */
export const unitsOf = (events: readonly PipelineEvent[], type: PipelineEvent['type']) =>
  ofType(events, type).map((e) => e.unit ?? e.stage ?? 'run');

/** Events that say the same thing twice: one type for one unit and one attempt (or one run attempt). */
export function duplicateEvents(events: readonly PipelineEvent[]): string[] {
  const seen = new Map<string, number>();
  for (const event of events) {
    const suffix = event.type === 'stage.progress' ? `#${String(event.detail?.stagePercent)}` : '';
    const id = `${event.unit ?? 'run'}#${event.attempt ?? 0}#${event.type}${suffix}`;
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([id, count]) => `${id} x${count}`);
}

export interface PublishedState {
  episodes: { episodeId: string; guid: string; runId: string }[];
  feedGuids: string[];
}

export async function publishedState(deps: FakeDeps, podcastId = PODCAST_ID): Promise<PublishedState> {
  const episodes = (await deps.episodes.listByPodcast(podcastId)).map(({ episodeId, guid, runId }) => ({
    episodeId,
    guid,
    runId,
  }));
  return { episodes, feedGuids: feedGuids(feedXml(deps, podcastId)) };
}

/**
 * The exactly-once checks of a succeeded run: one run.started per run attempt and one
 * run.succeeded, no event said twice, each unit succeeded once, one episode record for the
 * date and one feed entry per episode (the GUIDs of the feed are the records' GUIDs, none twice).
 */
export async function exactlyOnceProblems(deps: FakeDeps, runId: string, date: string): Promise<string[]> {
  const problems: string[] = [];
  const events = await deps.events.list(runId);
  const run = await deps.runs.get(runId);
  problems.push(...duplicateEvents(events).map((d) => `duplicate event ${d}`));
  if (ofType(events, 'run.started').length !== (run?.runAttempt ?? 0))
    problems.push(
      `run.started ${ofType(events, 'run.started').length} times for ${run?.runAttempt} run attempts`
    );
  if (ofType(events, 'run.succeeded').length !== 1)
    problems.push(`run.succeeded ${ofType(events, 'run.succeeded').length} times`);
  const succeeded = unitsOf(events, 'stage.succeeded');
  for (const unit of allUnits()) {
    const count = succeeded.filter((u) => u === unit).length;
    if (count !== 1) problems.push(`${unit} succeeded ${count} times`);
  }
  const state = await publishedState(deps);
  const forDate = state.episodes.filter((e) => e.episodeId === date);
  if (forDate.length !== 1 || forDate[0]?.runId !== runId)
    problems.push(`episode records for ${date}: ${JSON.stringify(forDate)}`);
  if (new Set(state.feedGuids).size !== state.feedGuids.length)
    problems.push(`feed repeats a GUID: ${state.feedGuids.join(', ')}`);
  if (
    [...state.feedGuids].sort().join() !==
    state.episodes
      .map((e) => e.guid)
      .sort()
      .join()
  )
    problems.push('feed entries differ from the episode records');
  return problems;
}

/** Stages that depend on `stageId`, directly or through others. */
export function dependentsOf(stageId: string): string[] {
  const found = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const stage of STAGES) {
      if (found.has(stage.id)) continue;
      if (stage.dependsOn.some((dep) => dep === stageId || found.has(dep))) {
        found.add(stage.id);
        grew = true;
      }
    }
  }
  return STAGES.map((s) => s.id).filter((id) => found.has(id));
}
