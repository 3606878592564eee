/**
 * The engine's side of the script approval gate: when the prepare manifest asks for approval,
 * review's output is held (after its checkpoint is committed) until the run is approved, and the
 * stages after review get the approved manifest: an edited script's keys when it was edited, so
 * their inputs (and checkpoints' input hashes) follow the edit. Rejection and expiry fail the
 * stage (RunRejectedError / ApprovalExpiredError); the run record is already failed by then.
 * (A run edited after it was published goes on with the approved edit through review's own
 * handOut, in both modes.)
 */
import type { PrepareManifest } from '../../../stages/prepare/schema';
import { APPROVAL_STAGE } from '../../../stages/shared/approval/approval-record';
import { awaitApproval } from '../../../stages/shared/approval/await-approval';
import type { ApprovalStages } from '../../../stages/shared/approval/request-approval';
import type { StageDeps } from '../../../stages/shared/stage';
import { RunAbortedError } from './pipeline-engine';

/** The stage whose output waits for approval. */
export const GATED_STAGE = APPROVAL_STAGE;

/**
 * Why the state machine's monolithic task does not wait for an approval: it would hold a billed
 * Fargate task for up to the deadline, and Step Functions stops the task after its TimeoutSeconds
 * (the stages' worst case), long before a deadline of hours.
 */
export const MONOLITHIC_TASK_APPROVAL_REFUSAL =
  'the monolithic orchestrator run by the state machine cannot wait for an approval (its Fargate task would be billed while it waits, and Step Functions stops it after its TimeoutSeconds); start the run in distributed mode (without flags.useMonolithicOrchestrator): it waits with a task token at no cost';

export interface GateContext {
  runId: string;
  deps: StageDeps;
  /** Manifests of the finished stages (prepare, summarize, outline). */
  done: Record<string, unknown>;
  /** Settles when the gated stage's checkpoint and events are written. */
  committed: () => Promise<void> | undefined;
  sleep: (ms: number) => Promise<void>;
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * A stop signal during the wait ends it as the engine ends any interrupted run: RunAbortedError
 * (named RunInterruptedError), with the stop's own message (which names the signal) when it has one.
 */
export function approvalInterrupted(reason: unknown): Error {
  const why = reason instanceof Error ? reason.message : 'the run was interrupted (SIGTERM)';
  return new RunAbortedError(`${why}, while it awaited approval of its script`, { cause: reason });
}

export function gateStageOutput(
  stageId: string,
  plan: PrepareManifest,
  output: Promise<unknown>,
  ctx: GateContext
): Promise<unknown> {
  const approvalPlan = plan.approval;
  if (stageId !== GATED_STAGE) return output;
  if (!approvalPlan) return output;
  return output.then(async (value) => {
    // Review switched off or skipped: there is no reviewed script to approve.
    if (!value || typeof value !== 'object' || !('key' in value)) return value;
    await ctx.committed();
    const stages = {
      prepare: plan,
      summarize: ctx.done.summarize,
      outline: ctx.done.outline,
      review: value,
    } as ApprovalStages;
    return awaitApproval(ctx.runId, approvalPlan, stages, ctx.deps, {
      sleep: ctx.sleep,
      ...(ctx.pollMs !== undefined ? { pollMs: ctx.pollMs } : {}),
      ...(ctx.signal ? { signal: ctx.signal, interrupted: approvalInterrupted } : {}),
    });
  });
}
