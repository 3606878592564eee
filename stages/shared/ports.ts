/**
 * The ports the stages use. Stage modules depend on these interfaces only; composition roots
 * (Lambda handler module scope, container main) inject the AWS or local adapters.
 */
import type { PodcastConfig, PodcastConfigInput } from './config-schema';

export type { EventLog, PipelineEvent, PipelineEventType } from './event-log-port';
export type {
  CoveredStory,
  EpisodeCoverage,
  EpisodeRecord,
  EpisodeRepository,
} from './episode-repository-port';

/**
 * `skipped`: the run ended with nothing to publish (e.g. discover found no story an earlier
 * episode had not covered); final like `succeeded` and `failed` (stages/shared/run-statuses.ts).
 */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

/** Why a run ended `skipped`, and the stage that said so. */
export interface RunSkip {
  stage: string;
  reason: string;
}

export interface RunError {
  stage?: string;
  name: string;
  message: string;
}

/**
 * A run paused for someone to approve, edit or reject its script (stages/shared/approval/). The
 * run stays `running` while `state` is `awaiting` (operators see `awaiting-approval`); `approved`
 * holds the review manifest the rest of the run uses (an edit's key when the script was edited);
 * `rejected` and `expired` end the run failed (RunRejectedError, ApprovalExpiredError).
 */
export interface RunApproval {
  what: 'script';
  state: 'awaiting' | 'approved' | 'rejected' | 'expired';
  requestedAt: string;
  deadline: string;
  /** Distributed mode: the `.waitForTaskToken` state's token, for SendTaskSuccess/SendTaskFailure. */
  taskToken?: string;
  /** The review manifest the approval is about, then (approved) the one the run goes on with. */
  review: Record<string, unknown>;
  /**
   * What an edit is checked against (the review rules of this run): its config and stories. An
   * edit's length is held to the budget of its own turns (length-plan.ts reviewBudget), as review
   * holds a draft; `targetWords` records the outline's word target, for the record.
   */
  rules: { configKey: string; knownStoryIds: string[]; targetWords: number };
  decidedAt?: string;
  edited?: boolean;
  reason?: string;
}

export interface RunRecord {
  runId: string;
  podcastId: string;
  status: RunStatus;
  mode: 'monolithic' | 'distributed';
  inputHash: string;
  /** The validated run input, kept so `--resume <runId>` needs nothing else; null for a rejected run. */
  input: unknown;
  /** A rejected run's input: the size and sha256 of its JSON text (the text itself is never stored). */
  rejectedInput?: { bytes: number; sha256: string };
  /** 1 for the first execution, +1 for each resume of a failed run. */
  runAttempt: number;
  createdAt: string;
  updatedAt: string;
  currentStage?: string;
  /** Attempts per unit of work (a stage, or `stage/shard`). */
  stageAttempts: Record<string, number>;
  doneUnits: string[];
  /** Sum of the progress weights of finished units; percent = progressPoints / total weight. */
  progressPoints: number;
  progressPercent: number;
  error?: RunError;
  /** Set when the run ended `skipped`. */
  skipped?: RunSkip;
  /** Set once the run asked for approval of its script (status stays `running` while awaiting). */
  approval?: RunApproval;
  episodeId?: string;
  guid?: string;
  /** Provider, model and usage per stage (cloud providers), and the run's estimated cost. */
  usage?: Record<string, unknown>;
}

export interface NewRun {
  runId: string;
  podcastId: string;
  mode: RunRecord['mode'];
  inputHash: string;
  input: unknown;
  /**
   * The unit a new run starts with: creating the run also begins that unit's first attempt (its
   * attempt counter is 1 in the created record), which saves the unit a write.
   */
  firstUnit?: { unit: string; stage: string };
}

export type ClaimResult =
  | { outcome: 'created'; run: RunRecord }
  | { outcome: 'resumed'; run: RunRecord }
  | { outcome: 'already-running'; run: RunRecord }
  | { outcome: 'already-succeeded'; run: RunRecord }
  | { outcome: 'already-skipped'; run: RunRecord };

export interface RunRepository {
  get(runId: string): Promise<RunRecord | undefined>;
  /**
   * Creates the run (conditional put). An existing run with the same input hash is resumed when
   * failed, returned as is when running, succeeded or skipped; a different input hash is a
   * ValidationError.
   */
  claim(run: NewRun, now: string): Promise<ClaimResult>;
  /**
   * Records a validation failure before any work: the one write bad input leaves behind. Stores
   * the input's size and hash (inputFootprint) and the error, not the input: it may be huge or hostile.
   * `replacesClaim`: the record the caller's claim created at `now` (running, not yet moved on) is
   * replaced too, as if the claim had not happened (prepare claims while it reads the podcast).
   */
  recordRejected(run: NewRun, error: RunError, now: string, replacesClaim?: boolean): Promise<void>;
  /** Increments the unit's attempt counter, sets currentStage and updatedAt. Returns the attempt. */
  beginUnit(runId: string, unit: string, stage: string, now: string): Promise<number>;
  /**
   * As beginUnit, unless the unit is already done on the run (its checkpoint then stands for it):
   * returns 'done' and writes nothing (the lifecycle then looks up its checkpoint).
   */
  beginUnitUnlessDone(runId: string, unit: string, stage: string, now: string): Promise<number | 'done'>;
  /**
   * Begins several units of one stage (a fan-out's shards starting together) with one conditional
   * write: each unit's attempt counter plus one. Undefined, and nothing written, when one of them
   * is already done (the caller then begins them one by one) or the run is missing.
   */
  beginUnits(
    runId: string,
    units: readonly string[],
    stage: string,
    now: string
  ): Promise<number[] | undefined>;
  /** Marks the unit done once (idempotent); returns the run's new progress percent. */
  completeUnit(
    runId: string,
    unit: string,
    weight: number,
    totalWeight: number,
    now: string
  ): Promise<number>;
  /** Heartbeat for long stages: bumps updatedAt only. */
  touch(runId: string, now: string): Promise<void>;
  /** running -> succeeded (conditional; a final run never moves back). */
  markSucceeded(runId: string, result: { episodeId: string; guid: string }, now: string): Promise<void>;
  /**
   * running -> skipped with the stage and reason (conditional; a no-op when already skipped, a
   * ConflictError when the run ended otherwise).
   */
  markSkipped(runId: string, skip: RunSkip, now: string): Promise<void>;
  /** running -> failed with the stage and reason (conditional; no-op if already final). */
  markFailed(runId: string, error: RunError, now: string): Promise<void>;
  /**
   * Stores the run's approval (conditional: the run is running and its approval is in state
   * `expected`, or has none when `expected` is undefined). Returns false when the condition failed.
   */
  putApproval(
    runId: string,
    approval: RunApproval,
    expected: RunApproval['state'] | undefined,
    now: string
  ): Promise<boolean>;
  /**
   * An edit of a published run's script (stages/shared/approval/edit-published-script.ts):
   * succeeded (or `from`: failed, a re-render that failed) -> running as the next run attempt, the
   * approved edit on the record. Conditional on the run still being `from` at `expectedAttempt`,
   * so two edits cannot both reopen it. Returns the reopened run, or undefined when the condition
   * failed.
   */
  reopenForEdit(
    runId: string,
    expectedAttempt: number,
    approval: RunApproval,
    now: string,
    from?: 'succeeded' | 'failed'
  ): Promise<RunRecord | undefined>;
  /** Merges provider usage and cost into the run record. */
  recordUsage(runId: string, stage: string, usage: Record<string, unknown>, now: string): Promise<void>;
  list(options?: { limit?: number; status?: RunStatus }): Promise<RunRecord[]>;
}

/**
 * Podcast configs by podcastId. What comes back is checked with the input schema: an item put in
 * the table by hand may lack `publicBaseUrl` (prepare resolves it). What goes in is resolved.
 */
export interface PodcastRepository {
  get(podcastId: string): Promise<PodcastConfigInput | undefined>;
  put(config: PodcastConfig): Promise<void>;
}

export interface StoredObject {
  body: Buffer;
  contentType?: string;
  /** The Cache-Control stored with the object (served by the CDN and the local origin), if any. */
  cacheControl?: string;
}

export interface WriteOptions {
  /** Stored with the object and served as its Cache-Control (stages/shared/cache-control.ts). */
  cacheControl?: string;
}

export interface ArtifactStore {
  readonly bucket: string;
  put(key: string, body: Buffer | string, contentType: string, options?: WriteOptions): Promise<void>;
  get(key: string): Promise<StoredObject | undefined>;
  exists(key: string): Promise<boolean>;
  /** A new content type or Cache-Control replaces the copy's metadata; without either it keeps the source's. */
  copy(fromKey: string, toKey: string, contentType?: string, options?: WriteOptions): Promise<void>;
  list(prefix: string): Promise<string[]>;
  /**
   * Removes an object; a missing one is not an error. Only the operator's approval actions call it
   * (the files of an edit that lost its race, edited-script.ts); no stage does, and the stages'
   * IAM grants hold no delete (infra/constructs/data-bindings.ts).
   */
  delete(key: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

/** Structured logger port (Powertools-compatible shape). */
export interface Logger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}
