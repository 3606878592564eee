/**
 * run-watchdog: the scheduled check that ends stalled runs. It lists the running runs, picks
 * those past the plan's stall deadline (stages/shared/stalled-runs.ts, the rule `runs list
 * --stalled` uses) and fails each through the run lifecycle `runs fail` uses (failRun: the run
 * record and one run.failed event, both conditional), with a reason naming how long the run was
 * silent and its last stage. It reports how many it failed; the handler turns that into a metric.
 */
import { describeError } from '../shared/errors';
import { failRun } from '../shared/run-lifecycle';
import type { StageDeps } from '../shared/stage';
import {
  isStalled,
  quietMs,
  selectStalled,
  STALLED_AFTER_MS,
  STALLED_ERROR_NAME,
  STALLED_SCAN_LIMIT,
  watchdogStallError,
} from '../shared/stalled-runs';

export interface WatchdogOptions {
  /** @default STALLED_AFTER_MS (the plan's deadline) */
  readonly stalledAfterMs?: number;
  /** @default STALLED_SCAN_LIMIT */
  readonly scanLimit?: number;
}

export interface FailedStalledRun {
  runId: string;
  stage: string;
  quietMs: number;
}

export interface WatchdogReport {
  /** Running runs examined. */
  running: number;
  /** Runs this check failed (a run that ended or moved meanwhile is not counted). */
  failed: FailedStalledRun[];
  /** Runs it could not fail (a write error); the next check tries them again. */
  errors: { runId: string; error: { name: string; message: string } }[];
}

/** Finds the stalled runs and fails each one; a failure to fail one does not stop the others. */
export async function failStalledRuns(
  deps: StageDeps,
  options: WatchdogOptions = {}
): Promise<WatchdogReport> {
  const stalledAfterMs = options.stalledAfterMs ?? STALLED_AFTER_MS;
  const now = deps.clock.now();
  const running = await deps.runs.list({ status: 'running', limit: options.scanLimit ?? STALLED_SCAN_LIMIT });
  const report: WatchdogReport = { running: running.length, failed: [], errors: [] };
  for (const listed of selectStalled(running, now, stalledAfterMs)) {
    try {
      // Read it again: the index is eventually consistent, and the run may have moved since.
      const run = await deps.runs.get(listed.runId);
      if (!run || !isStalled(run, now, stalledAfterMs)) continue;
      const error = watchdogStallError(run, now, stalledAfterMs);
      await failRun(run.runId, error, deps);
      const after = await deps.runs.get(run.runId);
      if (after?.status !== 'failed' || after.error?.name !== STALLED_ERROR_NAME) continue;
      const failed = { runId: run.runId, stage: error.stage ?? 'run', quietMs: quietMs(run, now) };
      deps.logger.warn('stalled run failed', { ...failed, error });
      report.failed.push(failed);
    } catch (caught) {
      const error = describeError(caught);
      deps.logger.error('could not fail a stalled run', { runId: listed.runId, error });
      report.errors.push({ runId: listed.runId, error });
    }
  }
  return report;
}
