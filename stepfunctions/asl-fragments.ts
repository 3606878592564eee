/**
 * The building blocks every state shares: the plan's retry policy as Retry, the Catch that
 * hands a failure to the run-status Lambda, the Fargate network settings and the run-status tasks.
 */
import type { RetryPolicy } from '../stages/pipeline-plan';
import { NON_RETRYABLE_ERROR_NAMES } from '../stages/shared/errors';
import { SKIP_RUN_FIELD } from '../stages/shared/run-skip';
import type {
  Catcher,
  ChoiceState,
  FailState,
  JsonObject,
  Retrier,
  SucceedState,
  TaskState,
  Transition,
} from './asl-types';
import { FIXED_STATES, placeholders, ref } from './state-names';

/**
 * How long an ECS stage state waits for a heartbeat: 300 s. The window starts when RunTask is
 * called, so it must cover a Fargate cold start before the task's first heartbeat: capacity and
 * the ENI (typically 20-40 s), pulling the ~250 MB image onto a fresh host (20-90 s, more for a
 * cold registry path) and node's start; a minute was measured short of that. Once started, a task
 * heartbeats at once and every 20 s (containers/stage-task/task-env.ts), so 300 s means 15 lost
 * calls in a row, and a task that dies without reporting still fails its state (and is retried)
 * within 5 minutes instead of the stage's whole timeout. Passed to the task as HEARTBEAT_SECONDS.
 */
export const ECS_HEARTBEAT_SECONDS = 300;

/** The run-status Lambda writes one record and one event: a short timeout is plenty. */
export const RUN_STATUS_TIMEOUT_SECONDS = 30;

/** Where a stage's Catch puts the error ({ Error, Cause }) for the run-status Lambda. */
export const FAILURE_PATH = '$.failure';
/** Where the run-status result (or a caught error) lands; the Fail states read `Cause` from it. */
export const RECORDED_PATH = '$.recorded';

/** Errors of the Lambda service itself (not of our code): worth a quick retry on any Lambda task. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/**
 * The plan policy as ASL Retry. `maxAttempts` counts every attempt, ASL's MaxAttempts only the
 * retries. Errors no retry can heal come first with MaxAttempts 0 (the first matching retrier wins).
 */
export function retryFor(policy: RetryPolicy): Retrier[] {
  return [
    { ErrorEquals: [...NON_RETRYABLE_ERROR_NAMES], MaxAttempts: 0 },
    {
      ErrorEquals: ['States.ALL'],
      IntervalSeconds: policy.intervalSeconds,
      BackoffRate: policy.backoffRate,
      MaxAttempts: Math.max(0, policy.maxAttempts - 1),
      MaxDelaySeconds: policy.maxDelaySeconds,
      JitterStrategy: policy.jitter,
    },
  ];
}

/** The run-status tasks' own small retry. */
export const RUN_STATUS_RETRY: Retrier[] = [
  {
    ErrorEquals: LAMBDA_SERVICE_ERRORS,
    IntervalSeconds: 1,
    BackoffRate: 2,
    MaxAttempts: 3,
    JitterStrategy: 'FULL',
  },
];

export function catchAll(next: string, resultPath: string = FAILURE_PATH): Catcher[] {
  return [{ ErrorEquals: ['States.ALL'], ResultPath: resultPath, Next: next }];
}

export function transition(next: string | undefined): Transition {
  return next === undefined ? { End: true } : { Next: next };
}

/** Fargate in the stack's subnets and security group. */
export function networkConfiguration(): JsonObject {
  return {
    AwsvpcConfiguration: {
      Subnets: placeholders.subnetIds.map(ref),
      SecurityGroups: [ref(placeholders.securityGroupId)],
      AssignPublicIp: ref(placeholders.assignPublicIp),
    },
  };
}

/** Records the failure of `stage` through the run-status Lambda, then goes to the scope's Fail state. */
export function recordFailureState(stage: string, failState: string): TaskState {
  return runStatusFailureState(
    'fail',
    stage,
    failState,
    `Marks the run failed at ${stage} (status, error, run.failed event)`
  );
}

/**
 * A run-status action that ends the run failed at `stage` (`fail`, `expireApproval`) with the
 * failure at FAILURE_PATH, then the scope's Fail state.
 */
export function runStatusFailureState(
  action: string,
  stage: string,
  failState: string,
  comment: string
): TaskState {
  return {
    Type: 'Task',
    Comment: comment,
    Resource: ref(placeholders.runStatusFunctionArn),
    Parameters: { action, 'runId.$': '$.runId', stage, 'failure.$': FAILURE_PATH },
    // run-status answers with `<stage> failed: <error name>: <message>`: the execution's cause.
    ResultSelector: { 'Cause.$': '$.cause' },
    ResultPath: RECORDED_PATH,
    TimeoutSeconds: RUN_STATUS_TIMEOUT_SECONDS,
    Retry: RUN_STATUS_RETRY,
    // A recording that still fails after its retries ends the execution FAILED all the same (its
    // cause is then run-status's error; the stage's failure stays in `$.failure`). The run record
    // stays `running` until the stalled-run check fails it.
    Catch: catchAll(failState, RECORDED_PATH),
    Next: failState,
  };
}

/** Ends a scope (the machine or a Parallel branch) after the failure was recorded. */
export function pipelineFailedState(): FailState {
  return { Type: 'Fail', Error: FIXED_STATES.pipelineFailed, CausePath: `${RECORDED_PATH}.Cause` };
}

/** After the last stage: the run succeeded, with the published episode (run-status reads `publish`). */
export function recordSuccessState(publishStageId: string): TaskState {
  return {
    Type: 'Task',
    Comment: 'Marks the run succeeded (status, episode, run.succeeded event)',
    Resource: ref(placeholders.runStatusFunctionArn),
    Parameters: { action: 'succeed', 'runId.$': '$.runId', 'publish.$': `$.stages.${publishStageId}` },
    ResultPath: '$.runStatus',
    TimeoutSeconds: RUN_STATUS_TIMEOUT_SECONDS,
    Retry: RUN_STATUS_RETRY,
    Catch: catchAll(FIXED_STATES.pipelineFailed, RECORDED_PATH),
    End: true,
  };
}

/** After a stage that may skip the run: its manifest's `skipRun` leads to `recordSkip`, else on to `next`. */
export function checkSkipState(stageId: string, recordSkip: string, next: string): ChoiceState {
  return {
    Type: 'Choice',
    Comment: `${stageId} may find nothing to publish: its manifest's ${SKIP_RUN_FIELD} ends the run skipped`,
    Choices: [{ Variable: `$.stages.${stageId}.${SKIP_RUN_FIELD}`, IsPresent: true, Next: recordSkip }],
    Default: next,
  };
}

/** Records the run `skipped` with the stage's reason through the run-status Lambda, then ends the execution. */
export function recordSkipState(stageId: string, skippedState: string, failState: string): TaskState {
  return {
    Type: 'Task',
    Comment: `Marks the run skipped at ${stageId} (status, reason, run.skipped event): nothing is published`,
    Resource: ref(placeholders.runStatusFunctionArn),
    Parameters: {
      action: 'skip',
      'runId.$': '$.runId',
      stage: stageId,
      'skip.$': `$.stages.${stageId}.${SKIP_RUN_FIELD}`,
    },
    ResultPath: '$.runStatus',
    TimeoutSeconds: RUN_STATUS_TIMEOUT_SECONDS,
    Retry: RUN_STATUS_RETRY,
    // As RecordSuccess: a recording that still fails ends the execution FAILED (the run record
    // stays `running` until the stalled-run check fails it).
    Catch: catchAll(failState, RECORDED_PATH),
    Next: skippedState,
  };
}

/** Ends an execution whose run ended `skipped`: it succeeded, with nothing published. */
export function pipelineSkippedState(): SucceedState {
  return { Type: 'Succeed', Comment: 'The run was recorded skipped: nothing new to publish' };
}
