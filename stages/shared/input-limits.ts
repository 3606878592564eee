/**
 * Limits on what a run may be started with, checked wherever input enters (the CLI's file,
 * PIPELINE_INPUT and stdin, `--podcast` files, and prepare, which is where Step Functions input
 * arrives): a byte cap on the serialized JSON, and no `__proto__` / `constructor` / `prototype`
 * keys anywhere (JSON.parse makes `__proto__` an own property; zod's default objects and records
 * drop such keys silently instead of rejecting them). Pure: no I/O, no environment.
 */
import { ValidationError } from './errors';
import { sha256 } from './hashing';

/** The whole run input, as serialized JSON. Step Functions' own state cap is 256 KiB. */
export const RUN_INPUT_MAX_BYTES = 64 * 1024;
/** A `--podcast` config file. */
export const PODCAST_CONFIG_MAX_BYTES = 256 * 1024;

const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** `64 KiB`, `9.5 MiB`, `512 bytes`: for messages. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [size, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / (1024 * 1024), 'MiB'];
  return `${Number.isInteger(size) ? size : size.toFixed(1)} ${unit}`;
}

/** Bytes of the value's JSON text (UTF-8); own `__proto__` properties count, as JSON.stringify writes them. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');
}

/**
 * Throws a ValidationError naming `field` when `bytes` is over `maxBytes`. `atLeast` says the
 * count stopped at the cap (a stream that was not read to its end).
 */
export function checkByteSize(
  bytes: number,
  maxBytes: number,
  what: string,
  field: string,
  atLeast = false
): void {
  if (bytes <= maxBytes) return;
  const size = atLeast ? `more than ${formatBytes(maxBytes)}` : `${formatBytes(bytes)} (${bytes} bytes)`;
  throw new ValidationError(`${what} is ${size}, over the ${formatBytes(maxBytes)} cap`, field);
}

/** The path of the first `__proto__` / `constructor` / `prototype` key, depth first, e.g. `input.podcast.hosts.0.__proto__`. */
export function findUnsafeKey(value: unknown, path: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findUnsafeKey(item, `${path}.${i}`);
      if (found) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (UNSAFE_KEYS.has(key)) return `${path}.${key}`;
    const found = findUnsafeKey((value as Record<string, unknown>)[key], `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/** Throws a ValidationError naming the key's path when the value holds an unsafe key. */
export function rejectUnsafeKeys(value: unknown, what: string): void {
  const found = findUnsafeKey(value, what);
  if (found)
    throw new ValidationError(`${found}: the key "${found.split('.').pop() ?? ''}" is not allowed`, found);
}

/** The run input checks that do not need its schema: the byte cap and the unsafe keys. */
export function checkRunInputLimits(raw: unknown): void {
  checkByteSize(jsonBytes(raw), RUN_INPUT_MAX_BYTES, 'input: the run input', 'input');
  rejectUnsafeKeys(raw, 'input');
}

/** What a rejected run keeps of its input: the size and hash of its JSON text, never the text. */
export function inputFootprint(value: unknown): { bytes: number; sha256: string } {
  const json = JSON.stringify(value) ?? 'null';
  return { bytes: Buffer.byteLength(json, 'utf8'), sha256: sha256(json) };
}
