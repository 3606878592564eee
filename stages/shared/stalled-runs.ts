/**
 * When a run is stalled: the one rule behind `runs list --stalled`, `runs fail` and the run
 * watchdog (stages/run-watchdog), derived from the plan rather than picked by hand.
 *
 * A running run's record is written at every unit's start (beginUnit, once per attempt), at its
 * progress steps (touch) and at its end (completeUnit), and the run's end is recorded by the
 * orchestrator or the state machine's Catch. The longest the record can legitimately stay unwritten
 * is therefore one unit of work using all of its attempts: the plan's timeout times its attempts,
 * plus the longest waits between them (an ECS unit whose tasks never start writes nothing until
 * the last attempt gives up; a stage that reports no progress writes nothing inside an attempt).
 * The deadline is the longest such unit in the plan plus STALL_MARGIN_SECONDS. A running run not
 * updated for longer than that has lost its process (a killed task or host, a failure that could
 * not be recorded, an execution that timed out or was stopped): nothing will ever end it but a
 * failure recorded from outside.
 */
import { type RetryPolicy, STAGES, type StagePlanEntry } from '../pipeline-plan';
import { formatDuration } from './durations';
import type { RunError, RunRecord } from './ports';
import { isFinalRunStatus } from './run-statuses';

/** The error name of a run failed because it stalled (by the watchdog or an operator). */
export const STALLED_ERROR_NAME = 'RunStalledError';

/**
 * Time the deadline allows beyond the longest unit: the hops between states and stages (Step
 * Functions transitions, the run-status Lambda, a Fargate start before a unit's first write, as in
 * the state machine's CONTAINER_START_SECONDS) and clock skew between writers and the checker.
 */
export const STALL_MARGIN_SECONDS = 300;

/** How many running runs one check examines (the byStatus index, newest update first). */
export const STALLED_SCAN_LIMIT = 1000;

/**
 * The longest total wait between a policy's attempts: Step Functions waits
 * min(interval x rate^(n-1), maxDelay) before retry n (FULL jitter only shortens it).
 */
export function retryWaitSeconds(retry: RetryPolicy): number {
  let total = 0;
  for (let retryIndex = 0; retryIndex < retry.maxAttempts - 1; retryIndex++) {
    total += Math.min(retry.intervalSeconds * retry.backoffRate ** retryIndex, retry.maxDelaySeconds);
  }
  return total;
}

/** The longest one unit of the stage can take, every attempt timing out: timeout x attempts + waits. */
export function longestUnitSeconds(stage: Pick<StagePlanEntry, 'timeoutSeconds' | 'retry'>): number {
  return stage.timeoutSeconds * stage.retry.maxAttempts + retryWaitSeconds(stage.retry);
}

/** Quiet time after which a running run is stalled: the plan's longest unit plus the margin. */
export function stallDeadlineMs(
  stages: readonly Pick<StagePlanEntry, 'timeoutSeconds' | 'retry'>[] = STAGES
): number {
  if (stages.length === 0) throw new Error('stallDeadlineMs: the plan has no stages');
  const longest = Math.max(...stages.map(longestUnitSeconds));
  return Math.ceil((longest + STALL_MARGIN_SECONDS) * 1000);
}

/** The deadline of this plan (stages/pipeline-plan.ts). */
export const STALLED_AFTER_MS = stallDeadlineMs();

/** How long the run's record has gone without a write (NaN for an unreadable updatedAt). */
export function quietMs(run: Pick<RunRecord, 'updatedAt'>, now: Date): number {
  return now.getTime() - Date.parse(run.updatedAt);
}

/**
 * Running and not updated for longer than `afterMs`. A run in a final status (succeeded, failed,
 * skipped: run-statuses.ts) is never stalled, however long ago it ended.
 */
export function isStalled(
  run: Pick<RunRecord, 'status' | 'updatedAt'> & Partial<Pick<RunRecord, 'approval'>>,
  now: Date,
  afterMs: number = STALLED_AFTER_MS
): boolean {
  if (isFinalRunStatus(run.status)) return false;
  // Waiting for approval of its script is quiet by design: stalled only once past its deadline
  // (its orchestrator expires it then) by more than the usual allowance.
  if (run.approval?.state === 'awaiting') return now.getTime() - Date.parse(run.approval.deadline) > afterMs;
  return quietMs(run, now) > afterMs;
}

/** The stalled runs among `runs`, the longest quiet first. */
export function selectStalled<
  R extends Pick<RunRecord, 'status' | 'updatedAt'> & Partial<Pick<RunRecord, 'approval'>>,
>(runs: readonly R[], now: Date, afterMs: number = STALLED_AFTER_MS): R[] {
  return runs
    .filter((run) => isStalled(run, now, afterMs))
    .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
}

/** The stage a stalled run is failed at: the last one it started (`run` before any). */
export function stalledStage(run: Pick<RunRecord, 'currentStage'>): string {
  return run.currentStage ?? 'run';
}

/**
 * The failure recorded on a run the watchdog found stalled: how long it was silent, since when,
 * its last stage, and the deadline it passed.
 */
export function watchdogStallError(
  run: Pick<RunRecord, 'currentStage' | 'updatedAt'>,
  now: Date,
  afterMs: number = STALLED_AFTER_MS
): RunError {
  const stage = stalledStage(run);
  const where = run.currentStage ? `at stage ${run.currentStage}` : 'before any stage started';
  return {
    stage,
    name: STALLED_ERROR_NAME,
    message:
      `no update for ${formatDuration(quietMs(run, now))} (since ${run.updatedAt}, ${where}), past the ` +
      `${formatDuration(afterMs)} deadline (the plan's longest unit with all its retries, plus a margin): ` +
      'its process or task was lost; failed by the run watchdog',
  };
}
