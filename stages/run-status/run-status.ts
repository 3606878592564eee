/**
 * run-status: the state machine's way to end a run through the same code as the monolithic
 * engine. `succeed` after feed; `skip` when a stage found nothing to publish (the Choice after
 * it); `fail` from every stage's Catch, with the stage named; `requestApproval` and
 * `expireApproval` for the approval gate (approval-actions.ts). Each action is one call of the run
 * lifecycle (run-lifecycle.ts), so any other caller (the CLI, an API) ends runs the same way.
 */
import * as z from 'zod';
import type { TaskTokenNotifier } from '../shared/approval/approval-record';
import { completeRun, failRun, runErrorFromStates, skipRun } from '../shared/run-lifecycle';
import { runSkipRequestSchema } from '../shared/run-skip';
import type { StageDeps } from '../shared/stage';
import { parseOrThrow } from '../shared/validation';
import {
  expireApprovalAction,
  expireApprovalActionSchema,
  requestApprovalAction,
  requestApprovalActionSchema,
} from './approval-actions';

export const runStatusInputSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('succeed'),
    runId: z.string().min(1),
    publish: z.object({ episodeId: z.string(), guid: z.string() }).passthrough(),
  }),
  z.object({
    action: z.literal('skip'),
    runId: z.string().min(1),
    stage: z.string().min(1),
    /** The stage manifest's `skipRun` (run-skip.ts). */
    skip: runSkipRequestSchema,
  }),
  z.object({
    action: z.literal('fail'),
    runId: z.string().min(1),
    stage: z.string().optional(),
    failure: z
      .object({ Error: z.string().optional(), Cause: z.string().optional() })
      .passthrough()
      .optional(),
  }),
  requestApprovalActionSchema,
  expireApprovalActionSchema,
]);

export type RunStatusInput = z.infer<typeof runStatusInputSchema>;

export interface RunStatusResult {
  runId: string;
  /** `running`: the run waits for approval of its script (requestApproval). */
  status: 'succeeded' | 'skipped' | 'failed' | 'running';
  /** Skipped: the reason. Failed: `<stage> failed: <error name>: <message>`, the execution's cause. */
  cause?: string;
}

/** Kept well inside Step Functions' 32,768-character cause. */
const MAX_CAUSE_CHARS = 2000;

/** `notifier` answers a task token (requestApproval on a run already approved). */
export async function recordRunStatus(
  raw: unknown,
  deps: StageDeps,
  notifier?: TaskTokenNotifier
): Promise<RunStatusResult> {
  const input = parseOrThrow(runStatusInputSchema, raw, 'input');
  if (input.action === 'requestApproval') return requestApprovalAction(input, deps, notifier);
  if (input.action === 'expireApproval') return expireApprovalAction(input, deps);
  if (input.action === 'succeed') {
    await completeRun(input.runId, { episodeId: input.publish.episodeId, guid: input.publish.guid }, deps);
    return { runId: input.runId, status: 'succeeded' };
  }
  if (input.action === 'skip') {
    deps.logger.info('run skipped', { runId: input.runId, stage: input.stage, reason: input.skip.reason });
    await skipRun(input.runId, { stage: input.stage, reason: input.skip.reason }, deps);
    return { runId: input.runId, status: 'skipped', cause: input.skip.reason };
  }
  const error = runErrorFromStates(input.stage, input.failure);
  deps.logger.error('run failed', { runId: input.runId, error });
  await failRun(input.runId, error, deps);
  // The execution's own cause (its Fail state reads it): what an operator sees in the console.
  const cause = `${error.stage ?? 'run'} failed: ${error.name}: ${error.message}`.slice(0, MAX_CAUSE_CHARS);
  return { runId: input.runId, status: 'failed', cause };
}
