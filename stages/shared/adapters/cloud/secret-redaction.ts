/**
 * The redaction guard: provider secret values and URL credentials never reach a log line, an
 * event or the run record. ProviderSecrets registers every value it loads with the process's
 * SecretRedactor; the composition root wraps the logger, the event log and the run repository
 * with `redactDeps`, so whatever they are handed (a message, an error copied from a provider's
 * answer, a detail object) is scrubbed before it is written: of those values, and of every URL's
 * user-info and query values (url-redaction.ts), secret loaded or not. A value with nothing to
 * scrub passes through as the same object.
 *
 * One field is passed on verbatim: the run input (`input` of RunRepository `claim` and
 * `recordRejected`). `claim` stores it as the run record's `input`, the accepted run input that
 * `--resume <runId>` replays: a redacted copy would replay another input (a feed URL without its
 * token) whose hash no longer matches the run's, so the resume would be refused as a reused runId.
 * `recordRejected` keeps only the input's size and hash, which must be the real input's. It is the
 * operator's own input (trusted, written by them); provider secrets never come from it.
 */
import type { EventLog, Logger, RunRepository } from '../../ports';
import type { StageDeps } from '../../stage';
import { REDACTED, redactUrls } from './url-redaction';

export { REDACTED };
/** Values shorter than this are not treated as secrets (they would scrub ordinary words). */
export const MIN_SECRET_LENGTH = 6;

export class SecretRedactor {
  private readonly values = new Set<string>();

  /** Registers a secret value (and its JSON-escaped form, in case a caller pre-serialised it). */
  add(value: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    this.values.add(value);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) this.values.add(escaped);
  }

  get size(): number {
    return this.values.size;
  }

  scrubText(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      if (out.includes(value)) out = out.split(value).join(REDACTED);
    }
    return redactUrls(out);
  }

  /**
   * `value` with every secret and URL credential replaced, in strings, keys, arrays, objects and
   * errors: a copy when something changes, the value itself when nothing does.
   */
  scrub<T>(value: T): T {
    if (!this.changes(value, new WeakSet())) return value;
    return this.walk(value, new WeakMap()) as T;
  }

  /** Whether scrubbing would change anything in `value` (walks what `walk` walks). */
  private changes(value: unknown, seen: WeakSet<object>): boolean {
    if (typeof value === 'string') return this.scrubText(value) !== value;
    if (typeof value !== 'object' || value === null || seen.has(value)) return false;
    if (Buffer.isBuffer(value) || value instanceof Date) return false;
    seen.add(value);
    if (value instanceof Error) return this.changes(value.message, seen) || this.changes(value.stack, seen);
    if (Array.isArray(value)) return value.some((item) => this.changes(item, seen));
    return Object.entries(value).some(([key, item]) => this.changes(key, seen) || this.changes(item, seen));
  }

  private walk(value: unknown, seen: WeakMap<object, unknown>): unknown {
    if (typeof value === 'string') return this.scrubText(value);
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return seen.get(value);
    if (Buffer.isBuffer(value) || value instanceof Date) return value;
    if (value instanceof Error) {
      const copy = new Error(this.scrubText(value.message));
      copy.name = value.name;
      if (value.stack) copy.stack = this.scrubText(value.stack);
      seen.set(value, copy);
      return copy;
    }
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      seen.set(value, copy);
      for (const item of value) copy.push(this.walk(item, seen));
      return copy;
    }
    const copy: Record<string, unknown> = {};
    seen.set(value, copy);
    for (const [key, item] of Object.entries(value)) copy[this.scrubText(key)] = this.walk(item, seen);
    return copy;
  }
}

/** Per method, a field of the first argument that is passed on verbatim (see the file comment). */
export type VerbatimFields = Readonly<Record<string, string>>;

/** The run record's replayed input: the one field the guard leaves as written. */
export const RUN_VERBATIM_FIELDS: VerbatimFields = { claim: 'input', recordRejected: 'input' };

function scrubExcept(redactor: SecretRedactor, arg: unknown, field: string | undefined): unknown {
  if (field === undefined || typeof arg !== 'object' || arg === null || !(field in arg))
    return redactor.scrub(arg);
  const { [field]: kept, ...rest } = arg as Record<string, unknown>;
  return { ...redactor.scrub(rest), [field]: kept };
}

/**
 * A port whose every method gets its arguments scrubbed first. Works for the logger (including
 * Powertools' addContext/appendKeys), the event log and the run repository alike.
 */
export function redactingPort<T extends object>(
  port: T,
  redactor: SecretRedactor,
  verbatim: VerbatimFields = {}
): T {
  return new Proxy(port, {
    get(target, property) {
      const member = Reflect.get(target, property, target) as unknown;
      if (typeof member !== 'function') return member;
      const field =
        typeof property === 'string' && Object.hasOwn(verbatim, property) ? verbatim[property] : undefined;
      return (...args: unknown[]) =>
        (member as (...a: unknown[]) => unknown).apply(
          target,
          args.map((arg, i) => scrubExcept(redactor, arg, i === 0 ? field : undefined))
        );
    },
  });
}

/** The deps with their logger, events and run records behind the redaction guard. */
export function redactDeps<D extends Pick<StageDeps, 'logger' | 'events' | 'runs'>>(
  deps: D,
  redactor: SecretRedactor
): D {
  return {
    ...deps,
    logger: redactingPort<Logger>(deps.logger, redactor),
    events: redactingPort<EventLog>(deps.events, redactor),
    runs: redactingPort<RunRepository>(deps.runs, redactor, RUN_VERBATIM_FIELDS),
  };
}
