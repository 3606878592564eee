/**
 * The pipeline plan: the single source of truth for the pipeline, as data. Order, dependencies,
 * runtime, timeouts, retry, fan-out, progress weight, data access, providers and sizes of each
 * stage are declared here once; infra, the ASL generator, prepare, the monolithic engine and the
 * stage lifecycle all read it. It imports no stage code: the id -> module map
 * (stage-modules.ts) is loaded only where stage code runs, and each Lambda handler joins its own
 * module to its plan entry, so a Lambda bundle holds one stage.
 */
export type StageRuntime = 'lambda' | 'ecs';

/** Step Functions Retry semantics; the monolithic engine applies the same numbers. */
export interface RetryPolicy {
  maxAttempts: number;
  intervalSeconds: number;
  backoffRate: number;
  maxDelaySeconds: number;
  jitter: 'FULL' | 'NONE';
}

export interface StageAccess {
  readonly podcasts?: 'read' | 'readWrite';
  readonly episodes?: 'read' | 'readWrite';
  readonly feeds?: 'readWrite';
  /** Outbound HTTP(S) to the podcast's sources. */
  readonly internet?: boolean;
}

/** The providers (ports in stages/shared/providers.ts) a stage calls: infra bundles and grants by it. */
export type ProviderKind = 'fetcher' | 'writer' | 'speech' | 'mixer' | 'artwork';

/**
 * A stage may read `stages.prepare` and the manifests of its `dependsOn`, nothing else: that is
 * what the ECS stage task rebuilds from checkpoints and what the checkpoint hash covers.
 */
export interface StagePlanEntry {
  readonly id: string;
  readonly title: string;
  readonly dependsOn: readonly string[];
  readonly runtime: StageRuntime;
  readonly timeoutSeconds: number;
  readonly retry: RetryPolicy;
  /** Fan-out: the work is split into `shards` units run with at most `maxConcurrency` at once. */
  readonly fanOut?: { readonly shards: number; readonly maxConcurrency: number };
  /** Share of the run's progress bar. */
  readonly progressWeight: number;
  /** Optional stages can be switched off with `flags.enable.<id> = false`. */
  readonly optional: boolean;
  /**
   * The stage may find there is nothing to publish: its manifest's `skipRun: { reason }` ends the
   * run `skipped` after it (stages/shared/run-skip.ts; the engine stops, the state machine takes
   * a Choice after the stage to the run-status `skip` action and a Succeed state).
   */
  readonly canSkipRun?: boolean;
  readonly lambda: { readonly memoryMb: number };
  /**
   * Data the stage touches beyond what every stage gets (the runs and events tables and the media
   * bucket, for its lifecycle and checkpoints). Infra grants exactly this.
   */
  readonly access?: StageAccess;
  /** Providers the stage uses; the rest are left out of its Lambda bundle and its grants. */
  readonly providers?: readonly ProviderKind[];
  /** Fargate size, for `ecs` stages. */
  readonly task?: { readonly cpu: number; readonly memoryMb: number };
}

const standardRetry: RetryPolicy = {
  maxAttempts: 3,
  intervalSeconds: 2,
  backoffRate: 2,
  maxDelaySeconds: 30,
  jitter: 'FULL',
};
const networkRetry: RetryPolicy = {
  maxAttempts: 4,
  intervalSeconds: 5,
  backoffRate: 2,
  maxDelaySeconds: 60,
  jitter: 'FULL',
};

export const STAGE_IDS = [
  'prepare',
  'discover',
  'scrape',
  'summarize',
  'outline',
  'script',
  'review',
  'tts',
  'mix',
  'artwork',
  'notes',
  'publish',
  'feed',
] as const;
export type StageId = (typeof STAGE_IDS)[number];

export const STAGES: readonly StagePlanEntry[] = [
  {
    id: 'prepare',
    title: 'Prepare run',
    dependsOn: [],
    runtime: 'lambda',
    timeoutSeconds: 30,
    retry: standardRetry,
    progressWeight: 1,
    optional: false,
    lambda: { memoryMb: 256 },
    access: { podcasts: 'readWrite' },
  },
  {
    id: 'discover',
    title: 'Discover stories',
    dependsOn: ['prepare'],
    runtime: 'lambda',
    timeoutSeconds: 120,
    retry: networkRetry,
    progressWeight: 3,
    optional: false,
    canSkipRun: true,
    lambda: { memoryMb: 512 },
    // Story memory: the podcast's earlier episodes (what they covered).
    access: { internet: true, episodes: 'read' },
    providers: ['fetcher'],
  },
  {
    id: 'scrape',
    title: 'Scrape stories',
    dependsOn: ['discover'],
    runtime: 'ecs',
    timeoutSeconds: 900,
    retry: networkRetry,
    progressWeight: 8,
    optional: false,
    lambda: { memoryMb: 1024 },
    task: { cpu: 512, memoryMb: 1024 },
    access: { internet: true },
    providers: ['fetcher'],
  },
  {
    id: 'summarize',
    title: 'Summarize stories',
    dependsOn: ['scrape'],
    runtime: 'lambda',
    timeoutSeconds: 300,
    retry: standardRetry,
    fanOut: { shards: 4, maxConcurrency: 4 },
    progressWeight: 8,
    optional: false,
    lambda: { memoryMb: 512 },
    providers: ['writer'],
  },
  {
    id: 'outline',
    title: 'Plan segments',
    dependsOn: ['summarize'],
    runtime: 'lambda',
    timeoutSeconds: 120,
    retry: standardRetry,
    progressWeight: 3,
    optional: false,
    lambda: { memoryMb: 256 },
    providers: ['writer'],
  },
  {
    id: 'script',
    title: 'Write dialogue',
    dependsOn: ['outline', 'summarize'],
    runtime: 'lambda',
    timeoutSeconds: 300,
    retry: standardRetry,
    progressWeight: 6,
    optional: false,
    lambda: { memoryMb: 512 },
    providers: ['writer'],
  },
  {
    id: 'review',
    title: 'Review script',
    dependsOn: ['script', 'summarize', 'outline'],
    runtime: 'lambda',
    timeoutSeconds: 120,
    retry: standardRetry,
    progressWeight: 3,
    optional: true,
    lambda: { memoryMb: 256 },
  },
  {
    id: 'tts',
    title: 'Synthesize speech',
    dependsOn: ['review', 'script'],
    runtime: 'lambda',
    timeoutSeconds: 600,
    retry: standardRetry,
    fanOut: { shards: 4, maxConcurrency: 4 },
    progressWeight: 30,
    optional: false,
    lambda: { memoryMb: 1024 },
    providers: ['speech'],
  },
  {
    id: 'mix',
    title: 'Mix and master audio',
    dependsOn: ['tts'],
    runtime: 'ecs',
    timeoutSeconds: 900,
    retry: standardRetry,
    progressWeight: 20,
    optional: false,
    lambda: { memoryMb: 2048 },
    task: { cpu: 1024, memoryMb: 2048 },
    providers: ['mixer'],
  },
  {
    id: 'artwork',
    title: 'Render cover art',
    dependsOn: ['review', 'script'],
    runtime: 'lambda',
    timeoutSeconds: 120,
    retry: standardRetry,
    progressWeight: 4,
    optional: true,
    lambda: { memoryMb: 1024 },
    // The show cover may be the config's artworkUrl, fetched under the fetch policy.
    access: { internet: true },
    providers: ['artwork', 'fetcher'],
  },
  {
    id: 'notes',
    title: 'Write show notes',
    dependsOn: ['mix', 'review', 'script', 'summarize'],
    runtime: 'lambda',
    timeoutSeconds: 120,
    retry: standardRetry,
    progressWeight: 3,
    optional: true,
    lambda: { memoryMb: 256 },
  },
  {
    id: 'publish',
    title: 'Publish episode',
    // discover: the stories the episode record keeps (story memory).
    dependsOn: ['mix', 'notes', 'artwork', 'script', 'review', 'discover'],
    runtime: 'lambda',
    timeoutSeconds: 120,
    retry: standardRetry,
    progressWeight: 4,
    optional: false,
    lambda: { memoryMb: 512 },
    access: { episodes: 'readWrite' },
  },
  {
    id: 'feed',
    title: 'Update RSS feed',
    dependsOn: ['publish'],
    runtime: 'lambda',
    timeoutSeconds: 60,
    retry: standardRetry,
    progressWeight: 2,
    optional: false,
    lambda: { memoryMb: 256 },
    access: { episodes: 'read', feeds: 'readWrite' },
  },
];

export const TOTAL_PROGRESS_WEIGHT = STAGES.reduce((sum, s) => sum + s.progressWeight, 0);

export function getStage(id: string): StagePlanEntry {
  const stage = STAGES.find((s) => s.id === id);
  if (!stage) throw new Error(`unknown stage "${id}"`);
  return stage;
}

/** A unit of work: the stage itself, or one shard of a fan-out stage (`tts/2`). */
export function unitKey(stageId: string, shardIndex?: number): string {
  return shardIndex === undefined ? stageId : `${stageId}/${shardIndex}`;
}

export function unitWeight(stage: StagePlanEntry): number {
  return stage.progressWeight / (stage.fanOut?.shards ?? 1);
}
