import { SFNClient } from '@aws-sdk/client-sfn';
import type { TaskTokenNotifier } from '../shared/approval/approval-record';
import { SfnTaskTokenNotifier } from '../shared/adapters/aws/sfn-task-token-notifier';
import { createDepsFromEnv } from '../shared/adapters/deps-from-env';
import type { StageDeps } from '../shared/stage';
import { recordRunStatus, type RunStatusResult } from './run-status';

/**
 * The handler's work on the deps a composition root passes (the local runners pass their own, and
 * their task tokens as the notifier).
 */
export const createRunStatusHandler = (
  buildDeps: () => StageDeps,
  buildNotifier?: () => TaskTokenNotifier
) => {
  let deps: StageDeps | undefined;
  let notifier: TaskTokenNotifier | undefined;
  return async (event: unknown): Promise<RunStatusResult> =>
    recordRunStatus(
      event,
      (deps ??= buildDeps()),
      buildNotifier ? (notifier ??= buildNotifier()) : undefined
    );
};

export const handler = createRunStatusHandler(
  () => createDepsFromEnv([], 'the run-status Lambda'),
  () => new SfnTaskTokenNotifier(new SFNClient({}))
);
