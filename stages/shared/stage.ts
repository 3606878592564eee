import type { z } from 'zod';
import type { StagePlanEntry } from '../pipeline-plan';
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
  /**
   * The public origin (the CDN, or `npm run serve`) of podcasts without their own `publicBaseUrl`:
   * prepare serves them at `<publicOrigin>/podcasts/<podcastId>`. Unset: such a podcast is bad input.
   */
  publicOrigin?: string;
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
  /**
   * Aborted when the attempt must stop (its timeout, a stop signal): pass it to providers (fetch,
   * SDK calls, child processes). Writes after it fire are refused anyway.
   */
  signal: AbortSignal;
  /** Reports progress inside the stage (0..1); also a heartbeat for long stages. */
  progress(fraction: number): Promise<void>;
}

/**
 * A stage module: its zod input and output schemas and its pure core. The lifecycle
 * (stage-runner.ts) parses the raw StageInput once with `inputSchema` and hands the typed value to
 * `run`; it validates what `run` returns with `outputSchema`. Build one with `defineStage` so the
 * types of `run`, the hooks and `merge` come from the schemas (no hand-written copy).
 */
export interface StageModule<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, C = void> {
  readonly id: string;
  /** What the stage reads from StageInput (names the missing field on failure). */
  readonly inputSchema: I;
  readonly outputSchema: O;
  /** `claimed`: what `claim` returned (nothing for stages without one). */
  run(input: z.output<I>, ctx: StageContext, claimed: C): Promise<z.input<O>>;
  /**
   * The first stage only: validate the raw run input and start creating (or resuming) the run
   * record. It answers once the input is checked, with the claim still under way (`begun`), so
   * the core starts meanwhile; its `value` (prepare: the podcast config being read) is handed to
   * `checkpointInput` and `run`, so the unit reads nothing twice.
   */
  claim?(input: StageInput, deps: StageDeps): Promise<Claimed<C>>;
  /**
   * What the unit's output depends on besides its StageInput, folded into its checkpoint's input
   * hash (prepare: the hash of the podcast config as stored now, so a fixed config redoes prepare
   * and, through prepare's manifest, every stage after it).
   */
  checkpointInput?(input: z.output<I>, deps: StageDeps, claimed: C): Promise<unknown>;
  /**
   * Checks that the side effects a matching checkpoint stands for are still in place (publish: the
   * episode record). Returns why not; the runner then discards the checkpoint and redoes the unit.
   */
  verifyCheckpoint?(output: z.output<O>, input: z.output<I>, deps: StageDeps): Promise<string | undefined>;
  /**
   * What the unit hands its dependants instead of its manifest, when something has replaced it
   * since (review: a script edit approved after the fact, `runs edit`). Asked on every run of the
   * unit, a checkpoint hit too; the checkpoint keeps the unit's own manifest.
   */
  handOut?(output: z.output<O>, context: { runId: string; deps: StageDeps }): Promise<z.output<O>>;
  /** Fan-out stages: combine the shards' manifests into the stage's manifest. */
  merge?(parts: z.output<O>[]): z.output<O>;
}

/** What a first stage's claim hands on. */
export interface Claimed<C> {
  value: C;
  /**
   * Settles once the run record is claimed: 1 when the claim created the run and, with the same
   * write, began this unit's first attempt (`NewRun.firstUnit`), so the lifecycle does not begin it
   * again; undefined when it resumed the run (the lifecycle begins the unit). A rejection is the
   * claim's refusal (another process runs the run, bad input recorded as the rejected run): the
   * unit ends with it, having written nothing of its own (its core's writes wait for this).
   */
  begun: Promise<1 | undefined>;
  /**
   * What the claim still writes once it has landed (prepare: run.started): the unit does not end
   * before it, whichever way it goes (its work, or its checkpoint on a resume); a failure is the unit's.
   */
  settled?: Promise<void>;
}

/** A stage module of any schemas (what the lifecycle and the orchestrators hold). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the claim's type is the stage's own business
export type AnyStageModule = StageModule<z.ZodType, z.ZodType, any>;

/** Defines a stage module; the types of its core and hooks follow from its schemas (and its claim). */
export function defineStage<I extends z.ZodType, O extends z.ZodType, C = void>(
  stage: StageModule<I, O, C>
): StageModule<I, O, C> {
  return stage;
}

/** A plan entry joined to its module: what the lifecycle runs. */
export interface RunnableStage extends StagePlanEntry {
  readonly module: AnyStageModule;
}

/** The manifest type a stage module returns (after its output schema). */
export type StageOutput<M> = M extends StageModule<z.ZodType, infer O> ? z.output<O> : never;

/** The manifest an optional stage leaves when `flags.enable.<id> = false` switched it off. */
export interface SkippedManifest {
  skipped: true;
}

export function isSkipped(manifest: unknown): manifest is SkippedManifest {
  return (
    typeof manifest === 'object' && manifest !== null && (manifest as { skipped?: unknown }).skipped === true
  );
}
