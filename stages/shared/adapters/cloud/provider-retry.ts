/**
 * In-process retries for cloud provider calls. Throttling and "not ready / unavailable" answers
 * are retried a few times with exponential backoff and full jitter; when they persist the call
 * fails with a RetryableStageError, so the registry's retry policy (a later attempt of the whole
 * unit, in either orchestrator) takes over. Everything else is left to the caller to map: a
 * malformed answer is never retried here.
 */
import { RetryableStageError } from '../../errors';

/** Error names (SDK v3 service exceptions) that mean "try again shortly". */
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

export interface RetryOptions {
  /** Calls in total, the first included. @default 4 */
  attempts?: number;
  /** Upper bound of the first backoff. @default 400 */
  baseDelayMs?: number;
  /** Upper bound of any backoff. @default 6000 */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
}

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
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

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full-jitter exponential backoff before retry number `retry` (1-based). */
export function backoffMs(retry: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 400;
  const cap = Math.min(options.maxDelayMs ?? 6000, base * 2 ** (retry - 1));
  return Math.floor((options.random ?? Math.random)() * cap);
}

/**
 * Runs `call`, retrying transient provider errors. `what` names the call in the final error
 * ("bedrock amazon.nova-lite-v1:0 summary of story s1").
 */
export async function withProviderRetry<T>(what: string, call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 4);
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isTransientProviderError(error)) throw error;
      if (attempt >= attempts) {
        throw new RetryableStageError(`${what}: still failing after ${attempts} attempts (${describeProviderError(error)})`, { cause: error });
      }
      await sleep(backoffMs(attempt, options));
    }
  }
}
