/**
 * The redaction guard: provider secret values never reach a log line, an event or the run record.
 * ProviderSecrets registers every value it loads with the process's SecretRedactor; the
 * composition root wraps the logger, the event log and the run repository with `redactDeps`, so
 * whatever they are handed (a message, an error copied from a provider's answer, a detail object)
 * is scrubbed of those values before it is written. With no secret loaded it passes values through.
 */
import type { EventLog, Logger, RunRepository } from '../../ports';
import type { StageDeps } from '../../stage';

export const REDACTED = '[REDACTED]';
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
    return out;
  }

  /** A copy of `value` with every secret replaced, in strings, keys, arrays, objects and errors. */
  scrub<T>(value: T): T {
    if (this.values.size === 0) return value;
    return this.walk(value, new WeakMap()) as T;
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

/**
 * A port whose every method gets its arguments scrubbed first. Works for the logger (including
 * Powertools' addContext/appendKeys), the event log and the run repository alike.
 */
export function redactingPort<T extends object>(port: T, redactor: SecretRedactor): T {
  return new Proxy(port, {
    get(target, property) {
      const member = Reflect.get(target, property, target) as unknown;
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => (member as (...a: unknown[]) => unknown).apply(target, args.map((arg) => redactor.scrub(arg)));
    },
  });
}

/** The deps with their logger, events and run records behind the redaction guard. */
export function redactDeps<D extends Pick<StageDeps, 'logger' | 'events' | 'runs'>>(deps: D, redactor: SecretRedactor): D {
  return {
    ...deps,
    logger: redactingPort<Logger>(deps.logger, redactor),
    events: redactingPort<EventLog>(deps.events, redactor),
    runs: redactingPort<RunRepository>(deps.runs, redactor),
  };
}
