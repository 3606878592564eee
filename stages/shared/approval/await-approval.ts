/**
 * The monolithic engine's approval gate: after review it asks for approval (request-approval.ts),
 * then reads the run record every `pollMs` until someone approves (the review manifest the run
 * goes on with is returned, an edit's when edited), rejects (RunRejectedError) or the deadline
 * passes (the approval is expired, ApprovalExpiredError). The run record is the only channel, so
 * `runs approve` from another process (or the HTTP API) reaches a run waiting here.
 */
import type { StageDeps } from '../stage';
import { ApprovalExpiredError, type ApprovalPlan, isPastDeadline, RunRejectedError } from './approval-record';
import { expireApproval } from './reject-run';
import { type ApprovalStages, requestApproval } from './request-approval';

/** How often a waiting engine reads the run record, by default. */
export const DEFAULT_APPROVAL_POLL_MS = 5000;

export interface AwaitApprovalOptions {
  pollMs?: number;
  sleep: (ms: number) => Promise<void>;
  /** Aborted when the process is told to stop: the wait ends at once with `interrupted`'s error. */
  signal?: AbortSignal;
  /**
   * The error an interrupted wait ends with, from the signal's reason: the engine's own
   * interrupt error (RunInterruptedError), so the run is recorded as interrupted, as it is when a
   * stage is stopped. @default the reason itself when it is an Error
   */
  interrupted?: (reason: unknown) => Error;
}

/** The error of a wait stopped by `signal`. */
function interruption(options: AwaitApprovalOptions): Error {
  const reason: unknown = options.signal?.reason;
  if (options.interrupted) return options.interrupted(reason);
  return reason instanceof Error ? reason : new Error('the run was interrupted while it awaited approval');
}

/** `sleep`, cut short when `signal` is aborted (the wait then ends at once instead of after a poll). */
function pause(ms: number, options: AwaitApprovalOptions): Promise<void> {
  const { signal } = options;
  if (!signal) return options.sleep(ms);
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    options.sleep(ms).then(done, done);
  });
}

export async function awaitApproval(
  runId: string,
  plan: ApprovalPlan,
  stages: ApprovalStages,
  deps: StageDeps,
  options: AwaitApprovalOptions
): Promise<Record<string, unknown>> {
  await requestApproval({ runId, plan, stages }, deps);
  const pollMs = options.pollMs ?? DEFAULT_APPROVAL_POLL_MS;
  for (;;) {
    const run = await deps.runs.get(runId);
    const approval = run?.approval;
    if (!run || !approval) throw new Error(`run "${runId}" lost its approval request`);
    if (approval.state === 'approved') return approval.review;
    if (approval.state === 'rejected')
      throw new RunRejectedError(`the script was rejected: ${approval.reason ?? 'no reason given'}`);
    if (approval.state === 'expired' || isPastDeadline(approval, deps.clock.now())) {
      const expired = await expireApproval(runId, deps);
      // Decided in the very last moment: read the decision on the next round.
      if (expired || approval.state === 'expired')
        throw new ApprovalExpiredError(
          expired?.message ?? `nobody approved the script by the deadline ${approval.deadline}`
        );
      continue;
    }
    if (run.status !== 'running')
      throw new Error(`run "${runId}" ended ${run.status} while it awaited approval`);
    if (options.signal?.aborted) throw interruption(options);
    await pause(pollMs, options);
    if (options.signal?.aborted) throw interruption(options);
  }
}
