/**
 * HTTP byte ranges (RFC 9110 §14) for the public origin: which part of an object a `Range`
 * header asks for, whether an `If-Range` validator still lets it apply, and the `Content-Range`
 * values of the answers. Pure functions over header strings and the object's size, no I/O.
 *
 * Policy, as the RFC allows an origin to choose:
 * - one range only: `bytes=a-b`, `bytes=a-` and `bytes=-n` (the last n bytes). A request for
 *   several ranges is answered with the whole object (200) rather than multipart/byteranges;
 * - a header that does not parse (unknown unit, `b < a`, signs, spaces inside numbers) is ignored
 *   and the whole object is sent, as §14.2 permits;
 * - an end past the object is clamped to its last byte, and a suffix longer than the object
 *   means the whole object (still a 206);
 * - unsatisfiable (start at or past the end, `bytes=-0`, any range on an empty object) is a 416
 *   with `Content-Range: bytes *\/size`.
 */

/** The first and last byte to send, both inclusive (`Content-Range: bytes start-end/size`). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export type RangeDecision =
  /** No usable Range header: send the whole object with 200. */
  | { readonly kind: 'full' }
  /** Send `range` with 206. */
  | { readonly kind: 'partial'; readonly range: ByteRange }
  /** Answer 416 with `Content-Range: bytes *\/size`. */
  | { readonly kind: 'unsatisfiable' };

const FULL: RangeDecision = { kind: 'full' };
const UNSATISFIABLE: RangeDecision = { kind: 'unsatisfiable' };
/** Longer Range headers are not worth parsing (browsers and players send a few dozen bytes). */
const MAX_HEADER_LENGTH = 1024;
const DIGITS = /^[0-9]+$/;
const OWS = /^[ \t]+|[ \t]+$/g;

type RangeSpec = { first: number; last?: number } | { suffix: number };

/** One range-spec (`a-b`, `a-`, `-n`), or undefined when it does not parse or `b < a`. */
function parseSpec(text: string): RangeSpec | undefined {
  const dash = text.indexOf('-');
  if (dash < 0) return undefined;
  const first = text.slice(0, dash);
  const last = text.slice(dash + 1);
  if (first === '') return DIGITS.test(last) ? { suffix: Number(last) } : undefined;
  if (!DIGITS.test(first)) return undefined;
  if (last === '') return { first: Number(first) };
  if (!DIGITS.test(last)) return undefined;
  const spec = { first: Number(first), last: Number(last) };
  return spec.last < spec.first ? undefined : spec;
}

/**
 * What to send for a `Range` header on an object of `size` bytes. Numbers too large for a safe
 * integer still compare correctly against `size` (a huge start is unsatisfiable, a huge end is
 * clamped), so they need no special case.
 */
export function decideRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined || header.length > MAX_HEADER_LENGTH) return FULL;
  const equals = header.indexOf('=');
  if (equals < 0) return FULL;
  // The range unit is case-insensitive (§14.1); `bytes` is the only one there is.
  if (header.slice(0, equals).replace(OWS, '').toLowerCase() !== 'bytes') return FULL;
  // A list may carry empty elements, which a recipient ignores (§5.6.1).
  const specs = header
    .slice(equals + 1)
    .split(',')
    .map((part) => part.replace(OWS, ''))
    .filter((part) => part !== '');
  if (specs.length !== 1) return FULL;
  const spec = parseSpec(specs[0] as string);
  if (!spec) return FULL;
  if ('suffix' in spec) {
    if (spec.suffix === 0 || size === 0) return UNSATISFIABLE;
    return { kind: 'partial', range: { start: Math.max(0, size - spec.suffix), end: size - 1 } };
  }
  if (spec.first >= size) return UNSATISFIABLE;
  const end = spec.last === undefined ? size - 1 : Math.min(spec.last, size - 1);
  return { kind: 'partial', range: { start: spec.first, end } };
}

/** The number of bytes a range covers. */
export function rangeLength(range: ByteRange): number {
  return range.end - range.start + 1;
}

/** `Content-Range` of a 206. */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}

/** `Content-Range` of a 416. */
export function unsatisfiedContentRange(size: number): string {
  return `bytes */${size}`;
}

/** The value of `Range` to send to S3 for `range`. */
export function s3Range(range: ByteRange): string {
  return `bytes=${range.start}-${range.end}`;
}

/**
 * Whether a `Range` still applies given `If-Range` (§13.1.5): without the header, yes; with an
 * entity-tag, only when it strongly matches the current ETag (a weak tag never does); with a
 * date, only when it equals Last-Modified to the second. Anything else means "send it all".
 */
export function ifRangeAllows(
  ifRange: string | undefined,
  current: { etag?: string; lastModified?: Date }
): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) {
    // Strong comparison: a weak tag on either side never matches.
    return value.startsWith('"') && value === current.etag;
  }
  const date = Date.parse(value);
  if (Number.isNaN(date) || current.lastModified === undefined) return false;
  return Math.floor(date / 1000) === Math.floor(current.lastModified.getTime() / 1000);
}
