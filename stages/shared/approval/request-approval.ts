/**
 * Asks for approval of a run's reviewed script: stores the request on the run record (with the
 * state machine's task token in distributed mode) and writes `approval.requested`. Called by the
 * monolithic engine after review and by the run-status Lambda's `requestApproval` action (the
 * `.waitForTaskToken` state). Safe to repeat: a request already waiting keeps its deadline (a
 * newer task token replaces the old one), an approved one is returned as it is (a resumed run goes
 * on with the approved script), and a rejected or expired one is asked anew on a resumed run.
 */
import { targetWordsFor } from '../../outline/outline';
import { ConflictError } from '../errors';
import { emit, eventKey } from '../events';
import type { RunApproval } from '../ports';
import { loadRunPodcast } from '../run-context';
import type { StageDeps } from '../stage';
import { approvalDeadline, type ApprovalPlan } from './approval-record';

/** What the gate knows after review: the stages' manifests it reads (as in the review stage's input). */
export interface ApprovalStages {
  prepare: { configKey: string };
  summarize: { summaries: { storyId: string }[] };
  outline?: { targetWords: number } | undefined;
  review: Record<string, unknown>;
}

export interface ApprovalRequest {
  runId: string;
  plan: ApprovalPlan;
  stages: ApprovalStages;
  taskToken?: string;
}

/** The rules an edit is checked against: the same inputs the review stage used. */
export async function reviewRulesOf(stages: ApprovalStages, deps: StageDeps): Promise<RunApproval['rules']> {
  const targetWords =
    stages.outline?.targetWords ?? targetWordsFor((await loadRunPodcast(stages.prepare, deps)).targetMinutes);
  return {
    configKey: stages.prepare.configKey,
    knownStoryIds: stages.summarize.summaries.map((s) => s.storyId),
    targetWords,
  };
}

export async function requestApproval(request: ApprovalRequest, deps: StageDeps): Promise<RunApproval> {
  const { runId } = request;
  const run = await deps.runs.get(runId);
  if (!run) throw new ConflictError(`run "${runId}" does not exist`);
  if (run.status !== 'running') throw new ConflictError(`run "${runId}" is ${run.status}, not running`);
  const now = deps.clock.now().toISOString();
  const existing = run.approval;

  if (existing?.state === 'approved') return existing;
  if (existing?.state === 'awaiting') {
    if (!request.taskToken || request.taskToken === existing.taskToken) return existing;
    const renewed: RunApproval = { ...existing, taskToken: request.taskToken };
    if (!(await deps.runs.putApproval(runId, renewed, 'awaiting', now)))
      throw new ConflictError(`run "${runId}": its approval changed while the task token was being stored`);
    return renewed;
  }

  const approval: RunApproval = {
    what: 'script',
    state: 'awaiting',
    requestedAt: now,
    deadline: approvalDeadline(now, request.plan.deadlineHours),
    ...(request.taskToken ? { taskToken: request.taskToken } : {}),
    review: request.stages.review,
    rules: await reviewRulesOf(request.stages, deps),
  };
  if (!(await deps.runs.putApproval(runId, approval, existing?.state, now)))
    throw new ConflictError(`run "${runId}": its approval changed while it was being requested`);
  await emit(
    deps.events,
    runId,
    eventKey('approval', run.runAttempt, 'approval.requested'),
    'approval.requested',
    now,
    {
      stage: 'review',
      attempt: run.runAttempt,
      detail: { what: 'script', deadline: approval.deadline, scriptKey: request.stages.review.key },
    }
  );
  deps.logger.info('script approval requested', { runId, deadline: approval.deadline });
  return approval;
}
