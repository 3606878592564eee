/**
 * What a unit attempt's core may touch, and when:
 * - once the attempt is aborted (its timeout, a stop signal, a begin that did not confirm it),
 *   every persistence call is refused, so nothing lands after the abort;
 * - while the attempt is not yet confirmed (stage-runner.ts starts a unit's core while the write
 *   that begins its attempt is under way), reads go ahead but every write and every provider call
 *   (a fetch, a model, the speech engine, the mixer) waits for the confirmation, and is refused if
 *   it never comes. So an attempt the run does not count has read, never written or spent.
 */
import type { ProviderSet } from './providers';
import type { StageDeps } from './stage';

/** The persistence ports a core reads and writes through. */
const FENCED_PORTS = ['podcasts', 'runs', 'events', 'episodes', 'media', 'feeds'] as const;

/**
 * Port methods that only read: they need no confirmation. Any other method (including one added
 * later) is treated as a write.
 */
const READ_METHODS: ReadonlySet<string> = new Set(['get', 'exists', 'list', 'listByPodcast', 'listCoverage']);

export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(`the attempt was aborted: ${String(reason)}`);
}

/** A promise and whether it has resolved yet (so a confirmed attempt's calls add no await). */
interface Confirmation {
  readonly promise: Promise<void>;
  confirmed(): boolean;
}

function watch(confirmation: Promise<void> | undefined): Confirmation | undefined {
  if (!confirmation) return undefined;
  let confirmed = false;
  const promise = confirmation.then(() => {
    confirmed = true;
  });
  promise.catch(() => undefined); // the runner reports a refused confirmation itself
  return { promise, confirmed: () => confirmed };
}

/** Calls `call` once the attempt is confirmed, unless it has been aborted by then. */
function whenConfirmed<T>(
  signal: AbortSignal,
  confirmation: Confirmation | undefined,
  call: () => T
): T | Promise<Awaited<T>> {
  if (signal.aborted) throw abortReason(signal);
  if (!confirmation || confirmation.confirmed()) return call();
  return confirmation.promise.then(() => {
    if (signal.aborted) throw abortReason(signal);
    return call() as Awaited<T>;
  });
}

/** Every method of `target` through `whenConfirmed` (all of them, or only those `held` names). */
function fenced<T extends object>(
  target: T,
  signal: AbortSignal,
  confirmation: Confirmation | undefined,
  held: (method: string) => boolean
): T {
  return new Proxy(target, {
    get(object, property) {
      const member = Reflect.get(object, property, object) as unknown;
      if (typeof member !== 'function') return member;
      const method = member as (...a: unknown[]) => unknown;
      const wait = typeof property === 'string' && held(property) ? confirmation : undefined;
      return (...args: unknown[]) => whenConfirmed(signal, wait, () => method.apply(object, args));
    },
  });
}

function fencedProviders(
  providers: ProviderSet,
  signal: AbortSignal,
  confirmation: Confirmation | undefined
): ProviderSet {
  const all = () => true;
  // Members are read when used: a provider set may build them lazily (or, in tests, not at all).
  return {
    get fetcher() {
      return fenced(providers.fetcher, signal, confirmation, all);
    },
    writerFor: (podcast) => fenced(providers.writerFor(podcast), signal, confirmation, all),
    speechFor: (podcast) => fenced(providers.speechFor(podcast), signal, confirmation, all),
    get mixer() {
      return fenced(providers.mixer, signal, confirmation, all);
    },
    get artwork() {
      return fenced(providers.artwork, signal, confirmation, all);
    },
  };
}

/**
 * The deps a core gets: the same adapters, every persistence call refused after `signal` aborts,
 * and, while `confirmation` is pending, writes and provider calls held until it resolves.
 */
export function fenceDeps(deps: StageDeps, signal: AbortSignal, confirmation?: Promise<void>): StageDeps {
  const watched = watch(confirmation);
  const fencedDeps: StageDeps = { ...deps };
  const isWrite = (method: string) => !READ_METHODS.has(method);
  for (const name of FENCED_PORTS)
    (fencedDeps as unknown as Record<string, object>)[name] = fenced(deps[name], signal, watched, isWrite);
  // Provider calls are refused after an abort only where they honour the signal; they are held
  // until the attempt is confirmed in any case (a model call costs money, a fetch reaches out).
  if (watched) fencedDeps.providers = fencedProviders(deps.providers, signal, watched);
  return fencedDeps;
}
