/**
 * run-status's approval actions, for the state machine's approval gate (stepfunctions/
 * approval-states.ts). `requestApproval` is the `.waitForTaskToken` state's Lambda: it stores the
 * task token on the run record through the same request-approval.ts as the monolithic engine;
 * a resumed run whose script was already approved is answered at once with the approved review
 * manifest (SendTaskSuccess), since nobody will decide again. `expireApproval` follows the
 * state's States.Timeout: the approval expires and the run fails (ApprovalExpiredError); when it
 * was decided in the last moment, the run is failed with the timeout as any stage's failure.
 */
import * as z from 'zod';
import { mergeStageOutputs } from '../fan-out-merges';
import { approvalPlanSchema, type TaskTokenNotifier } from '../shared/approval/approval-record';
import { expireApproval } from '../shared/approval/reject-run';
import { type ApprovalStages, requestApproval } from '../shared/approval/request-approval';
import { failRun, runErrorFromStates } from '../shared/run-lifecycle';
import type { StageDeps } from '../shared/stage';
import { parseOrThrow } from '../shared/validation';

export const requestApprovalActionSchema = z.object({
  action: z.literal('requestApproval'),
  runId: z.string().min(1),
  taskToken: z.string().min(1),
  /** The execution's `stages` (summarize as its Map's shard manifests: merged before parsing). */
  stages: z.record(z.string(), z.unknown()),
});

/** What the gate reads: prepare's manifest (with its approval plan), summarize, outline, review. */
const gateStagesSchema = z.object({
  prepare: z.object({ configKey: z.string(), approval: approvalPlanSchema }).passthrough(),
  summarize: z.object({ summaries: z.array(z.object({ storyId: z.string() }).passthrough()) }).passthrough(),
  outline: z.object({ targetWords: z.number() }).passthrough().optional(),
  review: z.record(z.string(), z.unknown()),
});

export const expireApprovalActionSchema = z.object({
  action: z.literal('expireApproval'),
  runId: z.string().min(1),
  stage: z.string().min(1),
  failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).passthrough().optional(),
});

export interface ApprovalActionResult {
  runId: string;
  status: 'running' | 'failed';
  cause?: string;
}

export async function requestApprovalAction(
  input: z.infer<typeof requestApprovalActionSchema>,
  deps: StageDeps,
  notifier: TaskTokenNotifier | undefined
): Promise<ApprovalActionResult> {
  const { runId, taskToken } = input;
  const stages = parseOrThrow(gateStagesSchema, mergeStageOutputs(input.stages), 'input.stages');
  const approval = await requestApproval(
    { runId, plan: stages.prepare.approval, stages: stages as ApprovalStages, taskToken },
    deps
  );
  if (approval.state === 'approved') {
    if (!notifier) throw new Error(`run "${runId}" was approved, but nothing can answer its task token`);
    deps.logger.info('script already approved: the run goes on', { runId });
    await notifier.succeed(taskToken, approval.review);
  }
  return { runId, status: 'running' };
}

export async function expireApprovalAction(
  input: z.infer<typeof expireApprovalActionSchema>,
  deps: StageDeps
): Promise<ApprovalActionResult> {
  const expired = await expireApproval(input.runId, deps);
  const error = expired ? { stage: input.stage, ...expired } : runErrorFromStates(input.stage, input.failure);
  if (!expired) await failRun(input.runId, error, deps);
  return {
    runId: input.runId,
    status: 'failed',
    cause: `${input.stage} failed: ${error.name}: ${error.message}`,
  };
}
