import type { z } from 'zod';
import type {
  ArtifactStore,
  Clock,
  EpisodeRepository,
  EventLog,
  Logger,
  PodcastRepository,
  RunRepository,
} from './ports';
import type { ProviderSet } from './providers';

/** Everything a stage may touch, injected by a composition root. */
export interface StageDeps {
  podcasts: PodcastRepository;
  runs: RunRepository;
  events: EventLog;
  episodes: EpisodeRepository;
  /** Run intermediates (`runs/<runId>/<stage>/...`) and published media (`podcasts/...`). */
  media: ArtifactStore;
  /** The public RSS feeds (`podcasts/<podcastId>/feed.xml`). */
  feeds: ArtifactStore;
  providers: ProviderSet;
  clock: Clock;
  logger: Logger;
}

export interface ShardRef {
  index: number;
  count: number;
}

/**
 * The small state both orchestrators pass to every stage: ids, the raw run input (prepare reads
 * it), and the manifests of finished stages by stage id. Fan-out stages also get their shard.
 */
export interface StageInput {
  runId: string;
  podcastId: string;
  input?: unknown;
  stages: Record<string, unknown>;
  shard?: ShardRef;
  /** Which orchestrator runs the stage (the first stage records it on the run). */
  mode?: 'monolithic' | 'distributed';
}

export interface StageContext {
  deps: StageDeps;
  logger: Logger;
  runId: string;
  attempt: number;
  /** Reports progress inside the stage (0..1); also a heartbeat for long stages. */
  progress(fraction: number): Promise<void>;
}

export interface StageModule<TOutput = unknown> {
  readonly id: string;
  /** Validates what the stage reads from StageInput (names the missing field on failure). */
  readonly inputSchema: z.ZodType;
  readonly outputSchema: z.ZodType<TOutput>;
  run(input: StageInput, ctx: StageContext): Promise<TOutput>;
  /** The first stage only: validate the run input and create (or resume) the run record. */
  claim?(input: StageInput, deps: StageDeps): Promise<void>;
  /**
   * What the unit's output depends on besides its StageInput, folded into its checkpoint's input
   * hash (prepare: the hash of the podcast config as stored now, so a fixed config redoes prepare
   * and, through prepare's manifest, every stage after it).
   */
  checkpointInput?(input: StageInput, deps: StageDeps): Promise<unknown>;
  /**
   * Checks that the side effects a matching checkpoint stands for are still in place (publish: the
   * episode record). Returns why not; the runner then discards the checkpoint and redoes the unit.
   */
  verifyCheckpoint?(output: TOutput, input: StageInput, deps: StageDeps): Promise<string | undefined>;
  /** Fan-out stages: combine the shards' manifests into the stage's manifest. */
  merge?(parts: TOutput[]): TOutput;
}

/** The manifest an optional stage leaves when `flags.enable.<id> = false` switched it off. */
export interface SkippedManifest {
  skipped: true;
}

export function isSkipped(manifest: unknown): manifest is SkippedManifest {
  return typeof manifest === 'object' && manifest !== null && (manifest as { skipped?: unknown }).skipped === true;
}
