/**
 * Rejects a run waiting for approval of its script, with the reason: the run ends failed
 * (RunRejectedError at stage review), `approval.rejected` holds the reason, and a state machine
 * waiting on the approval's task token is failed with it. Also: expiring an approval whose
 * deadline has passed (the engine's wait, the state machine's timeout). The CLI (`runs reject`)
 * and the HTTP API call these.
 */
import { ValidationError } from '../errors';
import type { StageDeps } from '../stage';
import { MAX_REJECT_REASON_CHARS, type TaskTokenNotifier } from './approval-record';
import { ApprovalStateError, awaitingApproval, endApproval } from './pending-approval';

export interface RejectOptions {
  reason: string;
  notifier?: TaskTokenNotifier;
}

export async function rejectRun(
  runId: string,
  options: RejectOptions,
  deps: StageDeps
): Promise<{ runId: string; error: { name: string; message: string } }> {
  const reason = options.reason.replace(/\s+/g, ' ').trim();
  if (!reason) throw new ValidationError('a rejection needs a reason', 'reason');
  if (reason.length > MAX_REJECT_REASON_CHARS)
    throw new ValidationError(
      `the reason is ${reason.length} characters, over the ${MAX_REJECT_REASON_CHARS}-character limit`,
      'reason'
    );
  const { run, approval } = await awaitingApproval(runId, options.notifier, deps);
  const error = await endApproval(run, approval, 'rejected', options.notifier, deps, reason);
  deps.logger.info('script rejected', { runId, reason });
  return { runId, error };
}

/**
 * Ends a waiting approval whose deadline has passed (a no-op once decided). Returns the failure
 * recorded, or undefined when there was nothing to expire.
 */
export async function expireApproval(
  runId: string,
  deps: StageDeps,
  notifier?: TaskTokenNotifier
): Promise<{ name: string; message: string } | undefined> {
  const run = await deps.runs.get(runId);
  if (!run?.approval || run.status !== 'running' || run.approval.state !== 'awaiting') return undefined;
  try {
    return await endApproval(run, run.approval, 'expired', notifier, deps);
  } catch (error) {
    if (error instanceof ApprovalStateError) return undefined; // decided meanwhile
    throw error;
  }
}
