/**
 * The script approval gate's shared vocabulary: what a run's approval looks like on its record,
 * the errors a rejected or expired approval ends the run with (their names are what Step
 * Functions and the CLI see), the deadline, and the status operators see while a run waits.
 */
import * as z from 'zod';
import type { RunApproval, RunRecord } from '../ports';

/** The stage whose reviewed output waits for approval (the engine's gate and the state machine's). */
export const APPROVAL_STAGE = 'review';

/** Hours a run waits for a decision when neither the run input nor the podcast says otherwise. */
export const DEFAULT_APPROVAL_DEADLINE_HOURS = 72;
/** The longest a run may wait: Step Functions' TimeoutSeconds and the run record stay sane. */
export const MAX_APPROVAL_DEADLINE_HOURS = 24 * 30;
/** Kept well inside the run record and Step Functions' 32,768-character cause. */
export const MAX_REJECT_REASON_CHARS = 1000;

export const APPROVAL_ERROR_NAMES = {
  rejected: 'RunRejectedError',
  expired: 'ApprovalExpiredError',
} as const;

/** Someone rejected the script: the run ends failed with their reason. */
export class RunRejectedError extends Error {
  override readonly name = APPROVAL_ERROR_NAMES.rejected;
}

/** Nobody decided before the deadline: the run ends failed. */
export class ApprovalExpiredError extends Error {
  override readonly name = APPROVAL_ERROR_NAMES.expired;
}

/** What prepare resolves from flags.approval and the podcast's `approval` (the prepare manifest's `approval`). */
export const approvalPlanSchema = z.object({
  script: z.literal(true),
  deadlineHours: z.number().positive().max(MAX_APPROVAL_DEADLINE_HOURS),
  /** The deadline in whole seconds (at least 1): the state machine's TimeoutSecondsPath reads it. */
  deadlineSeconds: z.number().int().positive(),
});
export type ApprovalPlan = z.infer<typeof approvalPlanSchema>;

/**
 * The gate this run has, if any: the run's `flags.approval: "script"` or the podcast's
 * `approval.script`, with the podcast's deadline (or the default).
 */
export function approvalPlan(
  flag: 'script' | 'none' | undefined,
  podcast: { script?: boolean; deadlineHours?: number } | undefined
): ApprovalPlan | undefined {
  const wanted = flag === undefined ? podcast?.script === true : flag === 'script';
  if (!wanted) return undefined;
  const deadlineHours = podcast?.deadlineHours ?? DEFAULT_APPROVAL_DEADLINE_HOURS;
  return { script: true, deadlineHours, deadlineSeconds: Math.max(1, Math.ceil(deadlineHours * 3600)) };
}

/**
 * The gate holds review's script, so a run with review switched off (`flags.enable.review: false`)
 * has nothing to approve. Rather than drop the gate silently, such a run input is bad input when
 * it asks for the gate itself (`flags.approval: "script"`) or leaves the podcast's default gate
 * (`approval.script: true`) in force; `flags.approval: "none"` runs it without the gate on purpose.
 * `podcastField` names the podcast's setting (`podcast.approval.script` for an inline config); the
 * message follows the field `path` names, as a zod issue's does.
 */
export function approvalWithoutReview(
  flags: { approval?: 'script' | 'none' | undefined; enable?: Record<string, boolean> | undefined },
  podcast: { script?: boolean } | undefined,
  podcastField: string
): { path: string[]; message: string } | undefined {
  if (flags.enable?.[APPROVAL_STAGE] !== false) return undefined;
  const why = `the approval gate holds review's script, so with review switched off there is no script to approve`;
  if (flags.approval === 'script')
    return {
      path: ['flags', 'approval'],
      message: `"script" asks for the approval gate, but flags.enable.${APPROVAL_STAGE} is false: ${why}; keep review on (drop flags.enable.${APPROVAL_STAGE}: false), or set flags.approval to "none" to run without the gate`,
    };
  if (flags.approval === undefined && podcast?.script === true)
    return {
      path: ['flags', 'enable', APPROVAL_STAGE],
      message: `review is switched off, but ${podcastField} is true (the podcast's runs wait for approval by default): ${why}; keep review on, or set flags.approval to "none" to run this one without the gate`,
    };
  return undefined;
}

export function approvalDeadline(requestedAt: string, deadlineHours: number): string {
  return new Date(Date.parse(requestedAt) + deadlineHours * 3_600_000).toISOString();
}

export function isPastDeadline(approval: Pick<RunApproval, 'deadline'>, now: Date): boolean {
  return now.getTime() > Date.parse(approval.deadline);
}

/** The status `runs list/show` print: `awaiting-approval` for a running run that waits on a person. */
export function displayStatus(run: Pick<RunRecord, 'status' | 'approval'>): string {
  return run.status === 'running' && run.approval?.state === 'awaiting' ? 'awaiting-approval' : run.status;
}

const runApprovalSchema = z.object({
  what: z.literal('script'),
  state: z.enum(['awaiting', 'approved', 'rejected', 'expired']),
  requestedAt: z.string(),
  deadline: z.string(),
  taskToken: z.string().optional(),
  review: z.record(z.string(), z.unknown()),
  rules: z.object({
    configKey: z.string(),
    knownStoryIds: z.array(z.string()),
    targetWords: z.number(),
  }),
  decidedAt: z.string().optional(),
  edited: z.boolean().optional(),
  reason: z.string().optional(),
});

/** A stored approval read back (a malformed one is dropped rather than trusted). */
export function asRunApproval(value: unknown): RunApproval | undefined {
  const parsed = runApprovalSchema.safeParse(value);
  return parsed.success ? (parsed.data as RunApproval) : undefined;
}

/**
 * How a decision reaches a state machine waiting on the approval's task token (SendTaskSuccess /
 * SendTaskFailure). Absent for a monolithic run: its engine reads the decision from the run record.
 */
export interface TaskTokenNotifier {
  succeed(taskToken: string, output: unknown): Promise<void>;
  fail(taskToken: string, error: string, cause: string): Promise<void>;
}
