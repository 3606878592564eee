/**
 * The lifecycle of one unit of stage work, shared by both orchestrators (the Lambda handler, the
 * ECS stage task and the monolithic engine all call `runStageUnit`): checkpoint lookup, attempt
 * counting, events, the stage's pure core, the checkpoint write and progress.
 */
import type { z } from 'zod';
import { mergeStageOutputs } from '../fan-out-merges';
import { TOTAL_PROGRESS_WEIGHT, unitKey, unitWeight } from '../pipeline-plan';
import { artifactKeys } from './artifact-keys';
import { type Checkpoint, stageInputHash, usableCheckpoint, writeCheckpoint } from './checkpoint';
import { describeError, FatalStageError } from './errors';
import { emit, eventKey } from './events';
import type { RunnableStage, StageContext, StageDeps, StageInput } from './stage';
import { fenceDeps, untilAborted } from './unit-cancellation';
import { describeIssues, parseOrThrow } from './validation';

/** Progress events inside a stage are written at most once per quarter. */
const PROGRESS_BUCKETS = 4;

/**
 * Checks data the pipeline made itself (dependencies' manifests, a stage's own result): a failure
 * is a bug or a corruption, not bad input, so a FatalStageError (exit 1), never a ValidationError
 * (exit 2 is for the user's input, which only the first stage reads).
 */
function parseManifest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  origin: string
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new FatalStageError(`${describeIssues(result.error, what).message} (${origin}, not the run input)`);
}

export interface UnitOptions {
  /**
   * Aborts the attempt (the unit's timeout, a stop signal): the core sees it as `ctx.signal`, its
   * writes are refused from then on, and the attempt fails with the signal's reason once the core
   * has stopped (or after STOP_GRACE_MS when it ignores the signal).
   */
  signal?: AbortSignal;
  /** @default STOP_GRACE_MS */
  stopGraceMs?: number;
  /**
   * Asked once the core has finished, before the checkpoint and progress are written: a throw
   * fails the attempt with nothing written (an ECS task whose state no longer waits for it).
   */
  beforeCommit?: () => Promise<void>;
  /**
   * Write-behind (the monolithic engine): called with the validated output as soon as the
   * attempt is about to commit it, so dependants can start while its checkpoint, progress and
   * success event are written. A failure after this call is the unit's and is not retried.
   */
  onOutput?: (output: unknown) => void;
  /**
   * Settles once the units this one depends on have committed; the commit waits for it, so
   * checkpoints land in dependency order (a crash leaves a dependency-closed set of them).
   */
  dependenciesCommitted?: Promise<void>;
  /**
   * The attempt the caller began already (the engine begins a fan-out's shards that start
   * together with one write): the lifecycle does not begin it again.
   */
  begunAttempt?: number;
}

/**
 * Runs one unit: the raw StageInput (fan-out manifests merged) is parsed once with the stage's
 * input schema and the typed value handed to its core; the core's result is validated with the
 * output schema before it is checkpointed and returned.
 */
export async function runStageUnit(
  def: RunnableStage,
  rawInput: StageInput,
  deps: StageDeps,
  options: UnitOptions = {}
): Promise<unknown> {
  const input: StageInput = { ...rawInput, stages: mergeStageOutputs(rawInput.stages) };
  const { runId } = input;
  const unit = unitKey(def.id, input.shard?.index);
  const logger = deps.logger;
  const checkpointKey = artifactKeys.checkpoint(runId, def.id, input.shard);
  const now = () => deps.clock.now().toISOString();

  const parsed: unknown =
    def.dependsOn.length === 0
      ? parseOrThrow(def.module.inputSchema, input, 'input')
      : parseManifest(def.module.inputSchema, input, 'input', 'a manifest of an earlier stage');
  // The first stage creates (or resumes) the run record that the lifecycle below writes to; what
  // its claim read is handed on to the checkpoint input and the core.
  const claim = def.module.claim ? await def.module.claim(input, deps) : undefined;
  const claimed: unknown = claim?.value;
  const inputHash = stageInputHash(def, input, await def.module.checkpointInput?.(parsed, deps, claimed));

  // The attempt first (one conditional write that writes nothing for a unit the run counts done;
  // none at all when the claim that created the run began it), then the checkpoint lookup only for
  // a unit that began before: a checkpoint is written only by an attempt the run counted, so a
  // unit's first attempt has none to find (one request fewer).
  const begun =
    claim?.begunAttempt ??
    options.begunAttempt ??
    (await deps.runs.beginUnitUnlessDone(runId, unit, def.id, now()));
  const stored =
    begun === 1 ? undefined : await usableCheckpoint(def, parsed, deps, checkpointKey, inputHash);
  if (stored && 'output' in stored) {
    logger.info('stage checkpoint found, skipping work', { stage: def.id, unit, checkpointKey });
    // A crash after the checkpoint is healed here: the progress write (completeUnit is
    // idempotent) and the success event, as the checkpoint recorded it (a conditional put, so a
    // no-op when it was written: one conditional write per finished unit, on reruns only).
    const progressPercent =
      begun !== 'done'
        ? await deps.runs.completeUnit(runId, unit, unitWeight(def), TOTAL_PROGRESS_WEIGHT, now())
        : undefined;
    if (stored.succeeded) await emitSucceeded(deps, runId, def.id, unit, stored.succeeded, progressPercent);
    return handOut(def, stored.output, runId, deps);
  }
  const discarded = stored?.discarded;
  if (discarded)
    logger.warn('stage checkpoint discarded, redoing the unit', {
      stage: def.id,
      unit,
      checkpointKey,
      reason: discarded,
    });

  // Done on the run but its checkpoint is gone, stale or discarded: the unit runs again, as a new attempt.
  const attempt = begun === 'done' ? await deps.runs.beginUnit(runId, unit, def.id, now()) : begun;
  const base = { stage: def.id, unit, attempt };
  // The unit is announced while its work starts (one round trip off every unit's path); a failed
  // announcement still fails the unit, after the work, before anything is marked done.
  const announcedAt = now();
  const announced = (async () => {
    if (discarded) {
      await emit(
        deps.events,
        runId,
        eventKey(unit, attempt, 'checkpoint.discarded'),
        'checkpoint.discarded',
        announcedAt,
        {
          ...base,
          detail: { checkpointKey, reason: discarded },
        }
      );
    }
    if (attempt > 1)
      await emit(
        deps.events,
        runId,
        eventKey(unit, attempt, 'stage.retried'),
        'stage.retried',
        announcedAt,
        base
      );
    await emit(
      deps.events,
      runId,
      eventKey(unit, attempt, 'stage.started'),
      'stage.started',
      announcedAt,
      base
    );
  })().then(
    () => undefined,
    (error: unknown) => ({ error })
  );

  const started = Date.now();
  let lastBucket = 0;
  const signal = options.signal ?? new AbortController().signal;
  // What the core writes through: refused once the attempt is aborted, so nothing lands after it.
  const coreDeps = fenceDeps(deps, signal);
  const ctx: StageContext = {
    deps: coreDeps,
    logger,
    runId,
    attempt,
    signal,
    progress: async (fraction) => {
      const bucket = Math.min(
        PROGRESS_BUCKETS - 1,
        Math.floor(Math.max(0, Math.min(1, fraction)) * PROGRESS_BUCKETS)
      );
      if (bucket <= lastBucket) return;
      lastBucket = bucket;
      const percent = Math.round((bucket / PROGRESS_BUCKETS) * 100);
      await emit(
        coreDeps.events,
        runId,
        eventKey(unit, attempt, 'stage.progress', String(percent)),
        'stage.progress',
        now(),
        {
          ...base,
          detail: { stagePercent: percent },
        }
      );
      await coreDeps.runs.touch(runId, now());
    },
  };

  let output: unknown;
  let handed: unknown;
  let progressPercent: number;
  let success: NonNullable<Checkpoint['succeeded']>;
  try {
    const result = await untilAborted(
      def.module.run(parsed, ctx, claimed),
      signal,
      options.stopGraceMs
    ).finally(() => announced);
    const announcement = await announced;
    if (announcement) throw announcement.error;
    // A core that finished just as the attempt was aborted does not get its result recorded.
    if (signal.aborted)
      throw signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
    output = parseManifest(
      def.module.outputSchema,
      result,
      `${def.id} output`,
      `what stage ${def.id} returned`
    );
    await options.beforeCommit?.();
    success = { attempt, at: now(), durationMs: Date.now() - started };
    handed = await handOut(def, output, runId, deps);
    options.onOutput?.(handed);
    await options.dependenciesCommitted;
    // Checkpoint and progress are independent writes: a crash between them heals on the rerun
    // (a missing checkpoint redoes the unit; completeUnit counts a unit once).
    [, progressPercent] = await Promise.all([
      writeCheckpoint(deps.media, checkpointKey, {
        inputHash,
        output,
        succeeded: success,
      }),
      deps.runs.completeUnit(runId, unit, unitWeight(def), TOTAL_PROGRESS_WEIGHT, now()),
    ]);
  } catch (error) {
    await announced;
    const described = describeError(error);
    logger.warn('stage unit failed', { ...base, error: described });
    await emit(deps.events, runId, eventKey(unit, attempt, 'stage.failed'), 'stage.failed', now(), {
      ...base,
      durationMs: Date.now() - started,
      error: { stage: def.id, ...described },
    }).catch((writeError: unknown) =>
      logger.error('could not record stage.failed', { error: describeError(writeError) })
    );
    throw error;
  }

  await emitSucceeded(deps, runId, def.id, unit, success, progressPercent);
  logger.info('stage unit succeeded', { ...base, durationMs: success.durationMs, progressPercent });
  return handed;
}

/** The unit's `stage.succeeded`, as its checkpoint records the success (a rerun writes the same item). */
async function emitSucceeded(
  deps: StageDeps,
  runId: string,
  stage: string,
  unit: string,
  success: NonNullable<Checkpoint['succeeded']>,
  progressPercent: number | undefined
): Promise<void> {
  const { attempt, at, durationMs } = success;
  await emit(deps.events, runId, eventKey(unit, attempt, 'stage.succeeded'), 'stage.succeeded', at, {
    stage,
    unit,
    attempt,
    durationMs,
    ...(progressPercent !== undefined ? { progressPercent } : {}),
  });
}

/** The unit's manifest as its dependants get it (StageModule.handOut). */
async function handOut(
  def: RunnableStage,
  output: unknown,
  runId: string,
  deps: StageDeps
): Promise<unknown> {
  return def.module.handOut ? def.module.handOut(output, { runId, deps }) : output;
}
