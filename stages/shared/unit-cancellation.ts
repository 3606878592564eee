/**
 * Cancellation of one unit attempt: its AbortSignal (the unit's timeout, a stop signal), a fence
 * that makes every write the attempt's core still tries after the abort fail instead of landing,
 * and a race that ends the attempt when it is aborted — after the core has stopped, or after a
 * short grace when the core ignores the signal (its writes are fenced by then). So a timed-out
 * attempt writes nothing after its timeout, and a retry starts only once it has stopped.
 */
import type { StageDeps } from './stage';

/** How long an aborted attempt's core may take to stop before the attempt ends without it. */
export const STOP_GRACE_MS = 2_000;

/** The persistence ports a core writes through; each is fenced once the attempt is aborted. */
const FENCED_PORTS = ['podcasts', 'runs', 'events', 'episodes', 'media', 'feeds'] as const;

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(`the attempt was aborted: ${String(reason)}`);
}

/** A port whose every method throws the abort reason once `signal` is aborted (nothing lands). */
function fencedPort<T extends object>(port: T, signal: AbortSignal): T {
  return new Proxy(port, {
    get(target, property) {
      const member = Reflect.get(target, property, target) as unknown;
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        if (signal.aborted) throw abortReason(signal);
        return (member as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** The deps a core gets: the same adapters, with every persistence call refused after `signal` aborts. */
export function fenceDeps(deps: StageDeps, signal: AbortSignal): StageDeps {
  const fenced: StageDeps = { ...deps };
  for (const name of FENCED_PORTS)
    (fenced as unknown as Record<string, object>)[name] = fencedPort(deps[name], signal);
  return fenced;
}

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
