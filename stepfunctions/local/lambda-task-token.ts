/**
 * Local `arn:aws:states:::lambda:invoke.waitForTaskToken` states (the approval gate): the state
 * gets a token of its own from a task-token registry (the executions share one `$$.Task.Token`
 * locally), invokes its Lambda with that token in the Payload's `taskToken`, and ends with what
 * SendTaskSuccess/SendTaskFailure answer for it. The state's TimeoutSeconds(Path) is applied by
 * aws-local-stepfunctions (States.Timeout), as on AWS. Under `serve` the registry is the edge's
 * (local-platform/stepfunctions/task-tokens.ts), so `runs approve` reaches it through the
 * Step Functions API; in-process tests pass one and answer through `tokenNotifier`.
 */
import type { TaskTokenNotifier } from '../../stages/shared/approval/approval-record';
import { TASK_TOKEN_FIELD } from '../approval-states';
import type { JsonObject, JsonValue } from '../asl-types';
import type { LocalTaskHandler } from './task-bindings';

/** What the local runners need of a task-token registry (TaskTokens under `serve`). */
export interface TaskTokenRegistry {
  issue(): { token: string; result: Promise<unknown>; fail(error: string, cause: string): void };
  success(token: string, output: string | undefined): void;
  failure(token: string, error: string | undefined, cause: string | undefined): void;
}

/** Answers tokens of a local registry the way SfnTaskTokenNotifier answers them on AWS. */
export function tokenNotifier(tokens: TaskTokenRegistry): TaskTokenNotifier {
  return {
    succeed: async (taskToken, output) => tokens.success(taskToken, JSON.stringify(output)),
    fail: async (taskToken, error, cause) => tokens.failure(taskToken, error, cause),
  };
}

/** `lambda` is the function the Parameters' FunctionName names, called as Lambda calls it. */
export function lambdaWaitForTaskToken(
  lambda: LocalTaskHandler,
  tokens: TaskTokenRegistry | undefined,
  name: string
): LocalTaskHandler {
  return async (parameters) => {
    if (!tokens) throw new Error(`state "${name}" waits for a task token: the local runner needs taskTokens`);
    const payload = ((parameters as JsonObject | null)?.Payload ?? {}) as JsonObject;
    const wait = tokens.issue();
    try {
      await lambda({ ...payload, [TASK_TOKEN_FIELD]: wait.token });
    } catch (error) {
      // The invocation failed: nobody will answer the token.
      wait.fail('States.Runtime', 'the invocation failed');
      throw error;
    }
    return (await wait.result) as JsonValue;
  };
}
