/**
 * The script approval gate in the state machine. After the approval stage (review) a Choice on
 * prepare's manifest (`approval`, set by flags.approval or the podcast's approval.script) leads
 * to a `lambda:invoke.waitForTaskToken` state: run-status's `requestApproval` stores the task
 * token on the run record (approval.requested) and the execution waits until `runs approve`
 * answers SendTaskSuccess with the review manifest the run goes on with (an edit's when edited;
 * it replaces the stage's manifest) or `runs reject` answers SendTaskFailure (RunRejectedError:
 * the run is already failed, the stage's failure state records it again, a no-op). The state's
 * TimeoutSecondsPath is the approval's deadline: States.Timeout goes to run-status's
 * `expireApproval` (approval.expired, the run failed with ApprovalExpiredError).
 */
import { APPROVAL_STAGE } from '../stages/shared/approval/approval-record';
import { FAILURE_PATH, RUN_STATUS_RETRY, catchAll, runStatusFailureState } from './asl-fragments';
import type { ChoiceState, TaskState } from './asl-types';
import { placeholders, ref, stateNames } from './state-names';

export { APPROVAL_STAGE };

export const LAMBDA_WAIT_FOR_TASK_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** The Payload field that carries `$$.Task.Token` (local runners put a token of their own there). */
export const TASK_TOKEN_FIELD = 'taskToken';

/** prepare's manifest: the approval plan, and the deadline in whole seconds. */
export const approvalPlanPath = (firstStageId: string) => `$.stages.${firstStageId}.approval`;

export function checkApprovalState(stageId: string, firstStageId: string, next: string): ChoiceState {
  return {
    Type: 'Choice',
    Comment: `flags.approval "script" (prepare's approval): ${stageId}'s output waits for a person's decision`,
    Choices: [
      { Variable: approvalPlanPath(firstStageId), IsPresent: true, Next: stateNames.awaitApproval(stageId) },
    ],
    Default: next,
  };
}

export function awaitApprovalState(stageId: string, firstStageId: string, next: string): TaskState {
  return {
    Type: 'Task',
    Comment: `Stores the task token on the run record; runs approve/reject answers it (the approved ${stageId} manifest, or RunRejectedError)`,
    Resource: LAMBDA_WAIT_FOR_TASK_TOKEN,
    Parameters: {
      FunctionName: ref(placeholders.runStatusFunctionArn),
      Payload: {
        action: 'requestApproval',
        'runId.$': '$.runId',
        [`${TASK_TOKEN_FIELD}.$`]: '$$.Task.Token',
        'stages.$': '$.stages',
      },
    },
    ResultPath: `$.stages.${stageId}`,
    TimeoutSecondsPath: `${approvalPlanPath(firstStageId)}.deadlineSeconds`,
    Retry: RUN_STATUS_RETRY,
    Catch: [
      { ErrorEquals: ['States.Timeout'], ResultPath: FAILURE_PATH, Next: stateNames.expireApproval(stageId) },
      ...catchAll(stateNames.recordFailure(stageId)),
    ],
    Next: next,
  };
}

export function expireApprovalState(stageId: string, failState: string): TaskState {
  return runStatusFailureState(
    'expireApproval',
    stageId,
    failState,
    'Nobody decided by the deadline: the approval expired, the run failed (ApprovalExpiredError)'
  );
}

/**
 * The states after the approval stage when it is followed by another (a gate at the very end
 * would have nothing to hold back): returns the state the stage hands over to.
 */
export function approvalStates(
  stageId: string,
  firstStageId: string,
  next: string,
  failState: string
): { entry: string; states: Record<string, ChoiceState | TaskState> } {
  return {
    entry: stateNames.checkApproval(stageId),
    states: {
      [stateNames.checkApproval(stageId)]: checkApprovalState(stageId, firstStageId, next),
      [stateNames.awaitApproval(stageId)]: awaitApprovalState(stageId, firstStageId, next),
      [stateNames.expireApproval(stageId)]: expireApprovalState(stageId, failState),
    },
  };
}
