/**
 * How a run ends, shared by both orchestrators: the monolithic engine calls these directly, the
 * state machine through the run-status Lambda. Both are safe to repeat (conditional updates and
 * deterministic event keys).
 */
import { refreshRunCost } from './cost/run-cost';
import { ConflictError, describeError } from './errors';
import { emit, eventKey } from './events';
import type { RunError, RunRecord, RunSkip } from './ports';
import type { StageDeps } from './stage';

export interface PublishedEpisode {
  episodeId: string;
  guid: string;
}

export async function completeRun(runId: string, episode: PublishedEpisode, deps: StageDeps): Promise<void> {
  const now = deps.clock.now().toISOString();
  const run = await deps.runs.get(runId);
  if (!run) throw new ConflictError(`run "${runId}" does not exist`);
  await recordRunCost(run, now, deps);
  await deps.runs.markSucceeded(runId, episode, now);
  await emit(deps.events, runId, eventKey('run', run.runAttempt, 'run.succeeded'), 'run.succeeded', now, {
    attempt: run.runAttempt,
    progressPercent: 100,
    detail: { episodeId: episode.episodeId, guid: episode.guid },
  });
}

/**
 * Ends the run `skipped` with the stage and the reason (nothing was published) and writes the
 * run.skipped event. Safe to repeat: a run already skipped stays as it is; a run that ended
 * otherwise (failed by the watchdog meanwhile) is a ConflictError, as completeRun's.
 */
export async function skipRun(runId: string, skip: RunSkip, deps: StageDeps): Promise<void> {
  const now = deps.clock.now().toISOString();
  const run = await deps.runs.get(runId);
  if (!run) throw new ConflictError(`run "${runId}" does not exist`);
  if (run.status === 'running') await recordRunCost(run, now, deps);
  await deps.runs.markSkipped(runId, skip, now);
  await emit(deps.events, runId, eventKey('run', run.runAttempt, 'run.skipped'), 'run.skipped', now, {
    attempt: run.runAttempt,
    stage: skip.stage,
    progressPercent: 100,
    detail: { reason: skip.reason },
  });
}

/** Records the failure (no-op on an already final run) and the run.failed event. */
export async function failRun(runId: string, error: RunError, deps: StageDeps): Promise<void> {
  const now = deps.clock.now().toISOString();
  const run = await deps.runs.get(runId);
  if (!run) return; // nothing was claimed (bad input before prepare): there is no run to fail
  if (run.status !== 'running') return;
  await recordRunCost(run, now, deps);
  await deps.runs.markFailed(runId, error, now);
  await emit(deps.events, runId, eventKey('run', run.runAttempt, 'run.failed'), 'run.failed', now, {
    attempt: run.runAttempt,
    ...(error.stage ? { stage: error.stage } : {}),
    error,
  });
}

/**
 * Reads a Step Functions error ({ Error, Cause }) into a RunError. Lambda puts a JSON document
 * with errorMessage in Cause; ECS tasks and timeouts put plain text.
 */
export function runErrorFromStates(
  stage: string | undefined,
  failure: { Error?: string; Cause?: string } | undefined
): RunError {
  const name = failure?.Error ?? 'States.TaskFailed';
  let message = failure?.Cause ?? name;
  try {
    const parsed = JSON.parse(message) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // plain-text cause
  }
  return { ...(stage ? { stage } : {}), name, message: message.split('\n')[0] ?? message };
}

/**
 * The run's estimated provider cost from the usage its stages recorded, once when the run ends
 * (not after every unit: that would be a read per unit for runs that record no usage at all).
 * A failure here costs the estimate, not the run.
 */
async function recordRunCost(run: RunRecord, now: string, deps: StageDeps): Promise<void> {
  await refreshRunCost(deps.runs, run.runId, now, run).catch((error: unknown) =>
    deps.logger.warn('could not update the run cost estimate', {
      runId: run.runId,
      error: describeError(error),
    })
  );
}
