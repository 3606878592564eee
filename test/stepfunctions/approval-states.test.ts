/**
 * The approval gate's states in the generated definition (stepfunctions/approval-states.ts): the
 * Choice after review, the waitForTaskToken state that stores the token through run-status, its
 * deadline, and where a timeout, a rejection and a failed recording go. Executions of the gate
 * are in test/reliability/approval-gate-distributed.test.ts.
 */
import type { ChoiceState, TaskState } from '../../stepfunctions/asl-types';
import { buildDefinition } from '../../stepfunctions/generate-definition';
import { LAMBDA_SERVICE_ERRORS } from '../../stepfunctions/asl-fragments';
import { parametersTimeoutPath, withLocalTimeoutPaths } from '../../stepfunctions/local/timeout-paths';
import { validateDefinition } from '../../stepfunctions/validate-definition';
import { stubRegistry } from '../helpers/stub-registry';

const definition = buildDefinition();
const state = (name: string) => definition.States[name];

describe('the approval gate states', () => {
  it("goes from review to a Choice on prepare's approval, and on to the parallel stages by default", () => {
    expect((state('Review') as TaskState).Next).toBe('CheckReviewApproval');
    expect(state('CheckReviewApproval') as ChoiceState).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.stages.prepare.approval', IsPresent: true, Next: 'AwaitReviewApproval' }],
      Default: 'TtsAndArtworkInParallel',
    });
    // A switched-off review skips the gate: there is no reviewed script to approve.
    expect(state('SkipReview')).toMatchObject({ Next: 'TtsAndArtworkInParallel' });
  });

  it('waits on a task token that run-status stores, until the deadline, replacing the review manifest', () => {
    expect(state('AwaitReviewApproval')).toEqual({
      Type: 'Task',
      Comment: expect.any(String),
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: '${RunStatusFunctionArn}',
        Payload: {
          action: 'requestApproval',
          'runId.$': '$.runId',
          'taskToken.$': '$$.Task.Token',
          'stages.$': '$.stages',
        },
      },
      ResultPath: '$.stages.review',
      TimeoutSecondsPath: '$.stages.prepare.approval.deadlineSeconds',
      Retry: [expect.objectContaining({ ErrorEquals: LAMBDA_SERVICE_ERRORS })],
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.failure', Next: 'ExpireReviewApproval' },
        // RunRejectedError (SendTaskFailure) and anything else: the stage's failure is recorded.
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'RecordReviewFailure' },
      ],
      Next: 'TtsAndArtworkInParallel',
    });
  });

  it('expires the approval through run-status on a timeout, then ends failed even if recording fails', () => {
    expect(state('ExpireReviewApproval')).toMatchObject({
      Resource: '${RunStatusFunctionArn}',
      Parameters: {
        action: 'expireApproval',
        'runId.$': '$.runId',
        stage: 'review',
        'failure.$': '$.failure',
      },
      ResultSelector: { 'Cause.$': '$.cause' },
      ResultPath: '$.recorded',
      Retry: [expect.objectContaining({ ErrorEquals: LAMBDA_SERVICE_ERRORS })],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.recorded', Next: 'PipelineFailed' }],
      Next: 'PipelineFailed',
    });
  });

  it('is valid ASL, and a registry without a review stage has no gate', () => {
    expect(validateDefinition(definition)).toEqual({ isValid: true, errors: '' });
    const noReview = buildDefinition(stubRegistry().stages);
    expect(Object.keys(noReview.States).filter((n) => /Approval$/.test(n))).toEqual([]);
  });
});

describe('local TimeoutSecondsPath (aws-local-stepfunctions reads the evaluated Parameters)', () => {
  it('points the path into the Parameters field that copies it', () => {
    const parameters = { FunctionName: 'f', Payload: { 'runId.$': '$.runId', 'stages.$': '$.stages' } };
    expect(parametersTimeoutPath(parameters, '$.stages.prepare.approval.deadlineSeconds')).toBe(
      '$.Payload.stages.prepare.approval.deadlineSeconds'
    );
    expect(parametersTimeoutPath(parameters, '$.stagesX.deadline')).toBeUndefined();
    expect(parametersTimeoutPath(parameters, '$.deadline')).toBeUndefined();
  });

  it('rewrites only the Tasks that have one', () => {
    const local = withLocalTimeoutPaths(definition);
    expect((local.States.AwaitReviewApproval as TaskState).TimeoutSecondsPath).toBe(
      '$.Payload.stages.prepare.approval.deadlineSeconds'
    );
    expect(local.States.Review).toBe(definition.States.Review);
  });
});
