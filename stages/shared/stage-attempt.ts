/**
 * One attempt of a unit (stage-runner.ts decides which): its announcement events, the stage's core
 * under the attempt's signal and fence, the output's validation, the hand-over, the commit
 * (checkpoint and progress) and `stage.succeeded`, or `stage.failed`.
 */
import type { z } from 'zod';
import { TOTAL_PROGRESS_WEIGHT, unitWeight } from '../pipeline-plan';
import { fenceDeps } from './attempt-fence';
import { type Checkpoint, writeCheckpoint } from './checkpoint';
import { describeError, FatalStageError } from './errors';
import { emit, eventKey } from './events';
import type { RunnableStage, StageContext, StageDeps } from './stage';
import type { UnitOptions } from './stage-runner';
import { untilAborted } from './unit-cancellation';
import { describeIssues } from './validation';

/** Progress events inside a stage are written at most once per quarter. */
const PROGRESS_BUCKETS = 4;

/**
 * A progress step touches the run record (its `updatedAt`) at most this often: the stall rule
 * (stalled-runs.ts) already allows a whole unit without a write, so the touch only shows a long unit
 * alive. Touching on every step made fan-out shards queue on the one run item (and cost a write).
 */
export const PROGRESS_TOUCH_INTERVAL_MS = 60_000;

/**
 * Checks data the pipeline made itself (dependencies' manifests, a stage's own result): a failure
 * is a bug or a corruption, not bad input, so a FatalStageError (exit 1), never a ValidationError
 * (exit 2 is for the user's input, which only the first stage reads).
 */
export function parseManifest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  origin: string
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new FatalStageError(`${describeIssues(result.error, what).message} (${origin}, not the run input)`);
}

export interface AttemptPlan {
  def: RunnableStage;
  runId: string;
  unit: string;
  attempt: number;
  /** The typed input (parsed once by the runner) and what the stage's claim read. */
  parsed: unknown;
  claimed: unknown;
  checkpointKey: string;
  /** Settles before the commit needs it (prepare's: once its claim has read the config). */
  inputHash: Promise<string>;
  /** Why the unit's standing checkpoint was not used (announced as `checkpoint.discarded`). */
  discarded?: string;
  /**
   * Set while the write that begins this attempt is under way: the core starts at once, its writes
   * and provider calls wait for it (attempt-fence.ts), and nothing is announced or committed before
   * it. A rejection is the attempt's end, with no event (the run never counted it).
   */
  confirmation?: Promise<void>;
  /** The signal the attempt runs under (aborted also when the confirmation is refused). */
  signal: AbortSignal;
}

/** Runs the attempt to its commit; returns the manifest as dependants get it (its hand-out). */
export async function runAttempt(plan: AttemptPlan, deps: StageDeps, options: UnitOptions): Promise<unknown> {
  const { def, runId, unit, attempt, signal, confirmation } = plan;
  const logger = deps.logger;
  const now = () => deps.clock.now().toISOString();
  const base = { stage: def.id, unit, attempt };
  const refusal = confirmation?.then(
    () => undefined,
    (error: unknown) => ({ error })
  );

  // The unit is announced while its work starts (one round trip off every unit's path); a failed
  // announcement still fails the unit, after the work, before anything is marked done.
  const announced = (async () => {
    const refused = await refusal;
    if (refused) throw refused.error;
    const at = now();
    if (plan.discarded) {
      await emit(
        deps.events,
        runId,
        eventKey(unit, attempt, 'checkpoint.discarded'),
        'checkpoint.discarded',
        at,
        {
          ...base,
          detail: { checkpointKey: plan.checkpointKey, reason: plan.discarded },
        }
      );
    }
    if (attempt > 1)
      await emit(deps.events, runId, eventKey(unit, attempt, 'stage.retried'), 'stage.retried', at, base);
    await emit(deps.events, runId, eventKey(unit, attempt, 'stage.started'), 'stage.started', at, base);
  })().then(
    () => undefined,
    (error: unknown) => ({ error })
  );

  const started = Date.now();
  let lastBucket = 0;
  let lastTouch = started; // the begin wrote the record

  // What the core writes through: held until the attempt is confirmed, refused once it is aborted.
  const coreDeps = fenceDeps(deps, signal, confirmation);
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
        { ...base, detail: { stagePercent: percent } }
      );
      if (Date.now() - lastTouch < PROGRESS_TOUCH_INTERVAL_MS) return;
      lastTouch = Date.now();
      await coreDeps.runs.touch(runId, now());
    },
  };

  let output: unknown;
  let handed: unknown;
  let progressPercent: number;
  let success: NonNullable<Checkpoint['succeeded']>;
  try {
    const result = await abandonedOnRefusal(
      untilAborted(def.module.run(plan.parsed, ctx, plan.claimed), signal, options.stopGraceMs),
      refusal
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
    const inputHash = await plan.inputHash;
    // Checkpoint and progress are independent writes: a crash between them heals on the rerun
    // (a missing checkpoint redoes the unit; completeUnit counts a unit once).
    [, progressPercent] = await Promise.all([
      writeCheckpoint(deps.media, plan.checkpointKey, {
        inputHash,
        output,
        succeeded: success,
      }),
      deps.runs.completeUnit(runId, unit, unitWeight(def), TOTAL_PROGRESS_WEIGHT, now()),
    ]);
  } catch (error) {
    await announced;
    // An attempt the run never counted ends without a word: the runner decides what comes next.
    const refused = await refusal;
    if (refused) throw refused.error;
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

/**
 * The core's result, unless the attempt's confirmation is refused first: then the refusal at once.
 * Such a core is not waited for (as an aborted one is, for its grace): it could not write or call a
 * provider before, and is refused both from now on, so what it still does is reading.
 */
async function abandonedOnRefusal<T>(
  core: Promise<T>,
  refusal: Promise<{ error: unknown } | undefined> | undefined
): Promise<T> {
  if (!refusal) return core;
  core.catch(() => undefined); // settles unobserved once abandoned
  const refused = refusal.then((outcome) => {
    if (outcome) throw outcome.error;
    return core;
  });
  return Promise.race([core, refused]);
}

/** The unit's `stage.succeeded`, as its checkpoint records the success (a rerun writes the same item). */
export async function emitSucceeded(
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
export async function handOut(
  def: RunnableStage,
  output: unknown,
  runId: string,
  deps: StageDeps
): Promise<unknown> {
  return def.module.handOut ? def.module.handOut(output, { runId, deps }) : output;
}
