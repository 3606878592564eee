/**
 * The run watchdog's Lambda entry (an EventBridge schedule invokes it; the event is not read).
 * Deps are built once per container from the environment; each check writes its metric as one
 * EMF line on stdout and fails the invocation when a run could not be failed (the Lambda's error
 * alarm, and the schedule's next check tries again).
 */
import { createDepsFromEnv } from '../shared/adapters/deps-from-env';
import { ENV, requireEnv } from '../shared/env';
import type { StageDeps } from '../shared/stage';
import { failStalledRuns, type WatchdogOptions, type WatchdogReport } from './run-watchdog';
import { watchdogMetricDocument } from './watchdog-metric';

export interface WatchdogRuntime {
  deps: StageDeps;
  /** The metric's dimension value. */
  stackName: string;
  /** Writes one log line (stdout in Lambda, where EMF lines are read). */
  writeLine: (line: string) => void;
  options?: WatchdogOptions;
}

export class StalledRunsNotFailedError extends Error {
  override readonly name = 'StalledRunsNotFailedError';
}

export const createRunWatchdogHandler = (buildRuntime: () => WatchdogRuntime) => {
  let runtime: WatchdogRuntime | undefined;
  return async (): Promise<WatchdogReport> => {
    runtime ??= buildRuntime();
    const report = await failStalledRuns(runtime.deps, runtime.options);
    const metric = watchdogMetricDocument(report.failed.length, runtime.stackName, runtime.deps.clock.now());
    runtime.writeLine(JSON.stringify(metric));
    if (report.errors.length > 0) {
      throw new StalledRunsNotFailedError(
        `could not fail ${report.errors.length} stalled run(s): ${report.errors.map((e) => `${e.runId} (${e.error.name}: ${e.error.message})`).join('; ')}`
      );
    }
    return report;
  };
};

export const handler = createRunWatchdogHandler(() => ({
  deps: createDepsFromEnv([], 'the run watchdog'),
  stackName: requireEnv(ENV.stackName),
  writeLine: (line) => process.stdout.write(`${line}\n`),
}));
