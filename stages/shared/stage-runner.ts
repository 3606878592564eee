/**
 * The lifecycle of one unit of stage work, shared by both orchestrators (the Lambda handler, the
 * ECS stage task and the monolithic engine all call `runStageUnit`): the input parsed once, the
 * attempt begun (or the unit found done and its checkpoint reused), then the attempt itself
 * (stage-attempt.ts: events, the stage's core, the checkpoint write and progress).
 */
import { mergeStageOutputs } from '../fan-out-merges';
import { TOTAL_PROGRESS_WEIGHT, unitKey, unitWeight } from '../pipeline-plan';
import { artifactKeys } from './artifact-keys';
import { stageInputHash, usableCheckpoint } from './checkpoint';
import { markClaimRefusal } from './errors';
import type { Claimed, RunnableStage, StageDeps, StageInput } from './stage';
import { emitSucceeded, handOut, parseManifest, runAttempt } from './stage-attempt';
import { parseOrThrow } from './validation';

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
   * The attempt the caller is beginning already (the engine begins a fan-out's shards that start
   * together with one write): the lifecycle does not begin it again. Resolving to undefined (that
   * write did not begin this unit) leaves the begin to the lifecycle.
   */
  begunAttempt?: Promise<number | undefined>;
  /**
   * The caller expects the unit's first attempt (a fresh run, no retry): its core starts while the
   * write that begins it is under way (runStageUnit). A unit that began before is still told by that
   * write, and its speculative start is abandoned before it writes or calls a provider, at the cost
   * of the reads it made. Off: the core starts once the begin has landed.
   */
  speculate?: boolean;
}

/**
 * Refuses a speculative first attempt (runStageUnit): the unit had begun before or is done, so
 * its work starts over the usual way. Never leaves the runner.
 */
class AttemptNotFirst extends Error {
  override readonly name = 'AttemptNotFirst';
  constructor(readonly begun: number | 'done') {
    super(begun === 'done' ? 'the unit is done' : `the unit is at attempt ${begun}`);
  }
}

/**
 * Runs one unit: the raw StageInput (fan-out manifests merged) is parsed once with the stage's
 * input schema and the typed value handed to its core; the core's result is validated with the
 * output schema before it is checkpointed and returned.
 *
 * Begin: the write that begins the attempt (one conditional write that writes nothing for a unit
 * the run counts done; none at all when the claim that created the run began it) goes out while
 * the core starts as attempt 1, what almost every unit is: the core reads and computes meanwhile,
 * its writes and provider calls wait for the write to confirm attempt 1 (attempt-fence.ts). A
 * unit that began before (a retry, a resume) is told by that same write: the speculative attempt
 * is aborted before it has written or spent anything, and the unit goes on from what the write
 * said: its checkpoint looked up (a checkpoint is only written by an attempt the run counted, so a
 * first attempt has none to find) and reused, or a new attempt.
 */
export async function runStageUnit(
  def: RunnableStage,
  rawInput: StageInput,
  deps: StageDeps,
  options: UnitOptions = {}
): Promise<unknown> {
  // What a first stage's claim still writes once it has landed (run.started) ends with the unit,
  // whichever way it goes: a unit that succeeded fails with it, one that failed waits for it.
  let settled: Promise<void> | undefined;
  try {
    const output = await runUnit(def, rawInput, deps, options, (claim) => (settled = claim.settled));
    await settled;
    return output;
  } catch (error) {
    await settled?.catch(() => undefined);
    throw error;
  }
}

async function runUnit(
  def: RunnableStage,
  rawInput: StageInput,
  deps: StageDeps,
  options: UnitOptions,
  onClaim: (claim: Claimed<unknown>) => void
): Promise<unknown> {
  const input: StageInput = { ...rawInput, stages: mergeStageOutputs(rawInput.stages) };
  const { runId } = input;
  const unit = unitKey(def.id, input.shard?.index);
  const checkpointKey = artifactKeys.checkpoint(runId, def.id, input.shard);
  const now = () => deps.clock.now().toISOString();

  const parsed: unknown =
    def.dependsOn.length === 0
      ? parseOrThrow(def.module.inputSchema, input, 'input')
      : parseManifest(def.module.inputSchema, input, 'input', 'a manifest of an earlier stage');
  // The first stage creates (or resumes) the run record that the lifecycle below writes to; its
  // claim answers while that write is under way, and what it reads is handed on to the checkpoint
  // input and the core. The claim's write begins the unit when it creates the run.
  const claim = def.module.claim
    ? await def.module.claim(input, deps).catch((error: unknown) => {
        throw markClaimRefusal(error);
      })
    : undefined;
  if (claim) onClaim(claim);
  const claimed: unknown = claim?.value;
  const claimBegun = claim?.begun.catch((error: unknown) => {
    throw markClaimRefusal(error);
  });
  // Needed at the commit or a checkpoint lookup; a claim's value may still be on its way.
  const inputHash = (async () =>
    stageInputHash(def, input, await def.module.checkpointInput?.(parsed, deps, claimed)))();
  inputHash.catch(() => undefined);
  const plan = { def, runId, unit, parsed, claimed, checkpointKey, inputHash };
  const signal = options.signal ?? new AbortController().signal;

  const beginning = async (): Promise<number | 'done'> =>
    (await claimBegun) ??
    (await options.begunAttempt) ??
    deps.runs.beginUnitUnlessDone(runId, unit, def.id, now());
  let begun: number | 'done';
  if (!options.speculate) begun = await beginning();
  else {
    const speculation = new AbortController();
    const confirmation = beginning().then((attempt) => {
      if (attempt !== 1) throw new AttemptNotFirst(attempt);
    });
    confirmation.catch((error: unknown) => speculation.abort(error));
    try {
      return await runAttempt(
        { ...plan, attempt: 1, confirmation, signal: AbortSignal.any([signal, speculation.signal]) },
        deps,
        options
      );
    } catch (error) {
      if (!(error instanceof AttemptNotFirst)) throw error;
      deps.logger.info('speculative start abandoned: the unit began before', { stage: def.id, unit });
      begun = error.begun;
    }
  }

  const stored =
    begun === 1 ? undefined : await usableCheckpoint(def, parsed, deps, checkpointKey, await inputHash);
  if (stored && 'output' in stored) {
    deps.logger.info('stage checkpoint found, skipping work', { stage: def.id, unit, checkpointKey });
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
    deps.logger.warn('stage checkpoint discarded, redoing the unit', {
      stage: def.id,
      unit,
      checkpointKey,
      reason: discarded,
    });

  // Done on the run but its checkpoint is gone, stale or discarded: the unit runs again, as a new attempt.
  const attempt = begun === 'done' ? await deps.runs.beginUnit(runId, unit, def.id, now()) : begun;
  const handed = await runAttempt(
    { ...plan, attempt, ...(discarded ? { discarded } : {}), signal },
    deps,
    options
  );
  await claim?.settled;
  return handed;
}
