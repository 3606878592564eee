/**
 * What a cloud provider's error means for the pipeline, once the SDK's own retry strategy
 * (configured in sdk-clients.ts) has given up on the call. Nothing is retried here: a throttle or
 * an unavailable service or model that outlived the SDK's budget becomes a RetryableStageError
 * naming the call, so the plan's retry policy (the only stage-level layer) runs the unit again;
 * the adapters map the permanent errors they know (access denied, a rejected request, a bad
 * voice) to FatalStageError or ValidationError with their own advice. The error names are what
 * the state machine's Retry and the monolithic engine match on (stages/shared/errors.ts).
 */
import { RetryableStageError } from '../../errors';

/** Error names (SDK v3 service exceptions) that mean "try again later". */
export const TRANSIENT_ERROR_NAMES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'ModelNotReadyException',
  'ModelTimeoutException',
  'InternalServerException',
  'ServiceFailureException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown; attempts?: unknown };
}

/** True for a throttle, an unavailable service or model, a 5xx or an SDK-flagged retryable error. */
export function isTransientProviderError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const shape = error as ErrorShape;
  if (typeof shape.name === 'string' && TRANSIENT_ERROR_NAMES.has(shape.name)) return true;
  if (shape.$retryable) return true;
  const status = shape.$metadata?.httpStatusCode;
  return typeof status === 'number' && (status === 429 || status >= 500);
}

/** `Name: message` of an SDK error, for the messages we raise. */
export function describeProviderError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const shape = error as ErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const message = typeof shape.message === 'string' ? shape.message.split('\n')[0] : '';
  return message ? `${name}: ${message}` : name;
}

/** The calls the SDK's retry strategy made before it gave up (it records them on the error). */
export function sdkAttempts(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const attempts = (error as ErrorShape).$metadata?.attempts;
  return typeof attempts === 'number' ? attempts : undefined;
}

/**
 * A transient error as a RetryableStageError naming the call (`what`: "bedrock model
 * amazon.nova-lite-v1:0 (summary of story s1)"); any other error is returned unchanged for the
 * caller to map.
 */
export function retryableIfTransient(what: string, error: unknown): unknown {
  if (!isTransientProviderError(error)) return error;
  const attempts = sdkAttempts(error);
  const after =
    attempts === undefined
      ? "after the SDK's retries"
      : `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  return new RetryableStageError(`${what}: still failing ${after} (${describeProviderError(error)})`, {
    cause: error,
  });
}
