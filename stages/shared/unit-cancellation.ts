/**
 * Cancellation of one unit attempt: its AbortSignal (the unit's timeout, a stop signal) and a race
 * that ends the attempt when it is aborted: after the core has stopped, or after a short grace
 * when the core ignores the signal (attempt-fence.ts refuses its writes by then). So a timed-out
 * attempt writes nothing after its timeout, and a retry starts only once it has stopped.
 */
import { abortReason } from './attempt-fence';

/** How long an aborted attempt's core may take to stop before the attempt ends without it. */
export const STOP_GRACE_MS = 2_000;

/**
 * Awaits `work` unless `signal` aborts first; then waits for `work` to settle (at most `graceMs`)
 * and throws the abort reason.
 */
export async function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal,
  graceMs: number = STOP_GRACE_MS
): Promise<T> {
  if (signal.aborted) {
    await settledWithin(work, graceMs);
    throw abortReason(signal);
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const first = await Promise.race([work.then((value) => ({ value })), aborted]);
    if (first !== 'aborted') return first.value;
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
  await settledWithin(work, graceMs);
  throw abortReason(signal);
}

/** Waits until `work` settles (either way), at most `ms`. */
export async function settledWithin(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!work) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.then(
      () => undefined,
      () => undefined
    ),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

/**
 * An AbortSignal for one attempt: aborted by `parent` (a stop signal) with its reason, or after
 * `timeoutMs` with `timeoutError()`. `dispose` clears the timer and the listener.
 */
export function attemptSignal(
  parent: AbortSignal | undefined,
  timeoutMs: number | undefined,
  timeoutError: () => Error
): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onParent = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  // Not unref'd: a process whose only pending work is a hung attempt stays alive until it times out
  // (and reports it) instead of exiting as if nothing had happened. `dispose` clears it.
  const timer =
    timeoutMs !== undefined && Number.isFinite(timeoutMs)
      ? setTimeout(() => controller.abort(timeoutError()), Math.max(0, timeoutMs))
      : undefined;
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}
