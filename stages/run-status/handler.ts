import { createDepsFromEnv } from '../shared/adapters/deps-from-env';
import type { StageDeps } from '../shared/stage';
import { recordRunStatus, type RunStatusResult } from './run-status';

/** The handler's work on the deps a composition root passes (the local runner passes its own). */
export const createRunStatusHandler = (buildDeps: () => StageDeps) => {
  let deps: StageDeps | undefined;
  return async (event: unknown): Promise<RunStatusResult> => recordRunStatus(event, (deps ??= buildDeps()));
};

export const handler = createRunStatusHandler(() => createDepsFromEnv([], 'the run-status Lambda'));
