/**
 * The monolithic engine's copy of Step Functions' Retry semantics, fed by the same registry
 * numbers as the generated ASL: IntervalSeconds * BackoffRate^(n-1), capped at MaxDelaySeconds,
 * with FULL jitter drawing uniformly in [0, delay).
 */
import { isRetryable } from '../../../stages/shared/errors';
import type { RetryPolicy } from '../../../stages/pipeline-plan';

export function retryDelayMs(
  policy: RetryPolicy,
  failedAttempt: number,
  random: () => number = Math.random
): number {
  const base = policy.intervalSeconds * Math.pow(policy.backoffRate, Math.max(0, failedAttempt - 1));
  const capped = Math.min(base, policy.maxDelaySeconds) * 1000;
  return policy.jitter === 'FULL' ? Math.floor(random() * capped) : Math.round(capped);
}

/** Whether a failure on attempt `attempt` (1-based) should be tried again. */
export function shouldRetry(policy: RetryPolicy, error: unknown, attempt: number): boolean {
  return attempt < policy.maxAttempts && isRetryable(error);
}

export { StageTimeoutError } from '../../../stages/shared/errors';

/** Runs tasks with at most `limit` in flight; results keep the tasks' order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}
