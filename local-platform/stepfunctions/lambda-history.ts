/**
 * History events of a Task state whose Resource is a Lambda function ARN (the stage Lambdas and
 * run-status): AWS records those as LambdaFunctionScheduled/Started/Succeeded/Failed.
 */
import type { NewHistoryEvent } from './execution-store';

const json = (value: unknown) => JSON.stringify(value ?? null);

export function lambdaEvents(functionArn: string) {
  return {
    scheduled: (input: unknown): NewHistoryEvent => ({
      type: 'LambdaFunctionScheduled',
      details: {
        member: 'lambdaFunctionScheduledEventDetails',
        value: { resource: functionArn, input: json(input), inputDetails: { truncated: false } },
      },
    }),
    started: (): NewHistoryEvent => ({ type: 'LambdaFunctionStarted' }),
    succeeded: (output: unknown): NewHistoryEvent => ({
      type: 'LambdaFunctionSucceeded',
      details: {
        member: 'lambdaFunctionSucceededEventDetails',
        value: { output: json(output), outputDetails: { truncated: false } },
      },
    }),
    failed: (error: string, cause: string): NewHistoryEvent => ({
      type: 'LambdaFunctionFailed',
      details: { member: 'lambdaFunctionFailedEventDetails', value: { error, cause } },
    }),
  };
}
