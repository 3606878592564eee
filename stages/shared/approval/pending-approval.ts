/**
 * The checks every decision on an approval starts with, and how one is stored: the run exists,
 * is running and waits for approval; a waiting state machine can be told (a notifier is given
 * when the approval holds a task token); a deadline already passed expires the approval instead
 * of taking the decision. Shared by approve-run, reject-run and the engine's wait.
 */
import { describeError } from '../errors';
import { emit, eventKey } from '../events';
import type { RunApproval, RunRecord } from '../ports';
import { failRun } from '../run-lifecycle';
import type { StageDeps } from '../stage';
import {
  APPROVAL_ERROR_NAMES,
  displayStatus,
  isPastDeadline,
  type TaskTokenNotifier,
} from './approval-record';

/** The run cannot take this decision (no such run, not waiting, decided meanwhile, expired). */
export class ApprovalStateError extends Error {
  override readonly name = 'ApprovalStateError';
}

export async function awaitingApproval(
  runId: string,
  notifier: TaskTokenNotifier | undefined,
  deps: StageDeps
): Promise<{ run: RunRecord; approval: RunApproval }> {
  const run = await deps.runs.get(runId);
  if (!run) throw new ApprovalStateError(`no run "${runId}"`);
  const approval = run.approval;
  if (run.status !== 'running' || approval?.state !== 'awaiting') {
    const why = approval && approval.state !== 'awaiting' ? ` (its script was ${approval.state})` : '';
    throw new ApprovalStateError(
      `run "${runId}" is ${displayStatus(run)}${why}, not awaiting approval: nothing changed`
    );
  }
  if (approval.taskToken && !notifier)
    throw new ApprovalStateError(
      `run "${runId}" waits in a state machine: deciding needs Step Functions access (SendTaskSuccess/SendTaskFailure)`
    );
  if (isPastDeadline(approval, deps.clock.now())) {
    await endApproval(run, approval, 'expired', notifier, deps);
    throw new ApprovalStateError(
      `run "${runId}": the approval deadline ${approval.deadline} has passed; the run was failed (ApprovalExpiredError)`
    );
  }
  return { run, approval };
}

/** Stores a decision on an approval still awaiting one (a decision made meanwhile wins). */
export async function storeDecision(
  runId: string,
  decided: RunApproval,
  deps: StageDeps,
  now: string
): Promise<void> {
  if (!(await deps.runs.putApproval(runId, decided, 'awaiting', now)))
    throw new ApprovalStateError(`run "${runId}": its approval was decided meanwhile; nothing changed`);
}

/**
 * Rejects or expires a waiting approval: the decision on the record, its event, the run failed
 * (RunRejectedError / ApprovalExpiredError at stage review) and a waiting state machine told.
 */
export async function endApproval(
  run: RunRecord,
  approval: RunApproval,
  outcome: 'rejected' | 'expired',
  notifier: TaskTokenNotifier | undefined,
  deps: StageDeps,
  reason?: string
): Promise<{ name: string; message: string }> {
  const now = deps.clock.now().toISOString();
  const name = APPROVAL_ERROR_NAMES[outcome];
  const message =
    outcome === 'rejected'
      ? `the script was rejected: ${reason ?? 'no reason given'}`
      : `nobody approved the script by the deadline ${approval.deadline}`;
  await storeDecision(
    run.runId,
    { ...approval, state: outcome, decidedAt: now, ...(reason ? { reason } : {}) },
    deps,
    now
  );
  const type = outcome === 'rejected' ? 'approval.rejected' : 'approval.expired';
  await emit(deps.events, run.runId, eventKey('approval', run.runAttempt, type), type, now, {
    stage: 'review',
    attempt: run.runAttempt,
    detail: outcome === 'rejected' ? { reason } : { deadline: approval.deadline },
  });
  await failRun(run.runId, { stage: 'review', name, message }, deps);
  if (approval.taskToken && notifier)
    await notifier.fail(approval.taskToken, name, message).catch((error: unknown) =>
      // The run is already failed; the execution ends at its own timeout if it was not told.
      deps.logger.warn('could not tell the state machine', { runId: run.runId, error: describeError(error) })
    );
  return { name, message };
}
