/**
 * Approves a run waiting for approval of its script, as it is or with an edited script (checked
 * by the script schema and the review rules first: a bad edit changes nothing). The run record
 * then holds the review manifest the run goes on with, `approval.granted` says whether it was
 * edited, and a state machine waiting on the approval's task token is resumed with that manifest.
 * The CLI (`runs approve`) and the HTTP API call this; they only parse arguments and print.
 */
import { emit, eventKey } from '../events';
import type { RunApproval } from '../ports';
import type { StageDeps } from '../stage';
import type { TaskTokenNotifier } from './approval-record';
import { acceptEditedScript, discardLostEdit } from './edited-script';
import { awaitingApproval, storeDecision } from './pending-approval';

export interface ApproveOptions {
  /** The edited script (Script JSON, as in `runs/<runId>/review/script.json`); absent: approve as is. */
  script?: unknown;
  /** Required when the run waits in a state machine (its approval holds a task token). */
  notifier?: TaskTokenNotifier;
}

export interface ApprovalGranted {
  runId: string;
  edited: boolean;
  /** The reviewed script the rest of the run reads. */
  scriptKey: string;
  /** What the review rules fixed in an edit. */
  fixes: string[];
}

export async function approveRun(
  runId: string,
  options: ApproveOptions,
  deps: StageDeps
): Promise<ApprovalGranted> {
  const { run, approval } = await awaitingApproval(runId, options.notifier, deps);
  const edit =
    options.script === undefined
      ? undefined
      : await acceptEditedScript(runId, approval, options.script, deps, `approval ${approval.requestedAt}`);
  const now = deps.clock.now().toISOString();
  const review = edit?.review ?? approval.review;
  const granted: RunApproval = {
    ...approval,
    state: 'approved',
    decidedAt: now,
    edited: edit !== undefined,
    review,
  };
  await storeDecision(runId, granted, deps, now).catch(async (error: unknown) => {
    // Another decision came first: this edit's files go again (the run never reads them).
    if (edit) await discardLostEdit(runId, edit, deps);
    throw error;
  });
  const scriptKey = String(review.key);
  await emit(
    deps.events,
    runId,
    eventKey('approval', run.runAttempt, 'approval.granted'),
    'approval.granted',
    now,
    {
      stage: 'review',
      attempt: run.runAttempt,
      detail: { edited: granted.edited, scriptKey, ...(edit ? { fixes: edit.fixes } : {}) },
    }
  );
  deps.logger.info('script approved', { runId, edited: granted.edited });
  if (approval.taskToken && options.notifier) await options.notifier.succeed(approval.taskToken, review);
  return { runId, edited: granted.edited === true, scriptKey, fixes: edit?.fixes ?? [] };
}
