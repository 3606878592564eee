/**
 * Conditional GET/HEAD (RFC 9110 §13) for the public origin, evaluated in the RFC's order
 * (§13.2.2): If-Match, else If-Unmodified-Since (412 when they fail); then If-None-Match, else
 * If-Modified-Since (304 when the client's copy is current). If-Range is byte-range.ts's.
 * Pure functions over header values and the object's validators, no I/O.
 */

export interface Validators {
  /** As S3 returns it: a quoted entity-tag, e.g. `"9a0364b9e99bb480dd25e1f0284c8555"`. */
  readonly etag?: string;
  readonly lastModified?: Date;
}

export interface ConditionalHeaders {
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: string;
  readonly ifUnmodifiedSince?: string;
}

export type ConditionalOutcome = 'proceed' | 'not-modified' | 'precondition-failed';

interface EntityTag {
  readonly weak: boolean;
  readonly opaque: string;
}

const ENTITY_TAG = /(W\/)?("[^"]*")/g;

function parseEntityTag(value: string): EntityTag | undefined {
  const match = /^(W\/)?("[^"]*")$/.exec(value.trim());
  return match ? { weak: match[1] !== undefined, opaque: match[2] as string } : undefined;
}

/** The entity-tags of an If-Match / If-None-Match list (`*` is handled by the caller). */
function parseEntityTagList(value: string): EntityTag[] {
  return [...value.matchAll(ENTITY_TAG)].map((match) => ({
    weak: match[1] !== undefined,
    opaque: match[2] as string,
  }));
}

/** An ETag as S3 may return it, quoted for the `ETag` response header. */
export function quoteEtag(etag: string | undefined): string | undefined {
  if (etag === undefined || etag === '') return undefined;
  return parseEntityTag(etag) ? etag : `"${etag.replace(/"/g, '')}"`;
}

/** §8.8.3.2: weak comparison ignores the W/ prefix; strong needs both tags strong. */
function entityTagsMatch(a: EntityTag, b: EntityTag, strong: boolean): boolean {
  if (strong && (a.weak || b.weak)) return false;
  return a.opaque === b.opaque;
}

function listMatches(header: string, etag: string | undefined, strong: boolean): boolean {
  if (header.trim() === '*') return true; // the object exists, or we would not be here
  const current = etag === undefined ? undefined : parseEntityTag(etag);
  if (!current) return false;
  return parseEntityTagList(header).some((tag) => entityTagsMatch(tag, current, strong));
}

/** Seconds since the epoch of an HTTP-date, or undefined when it is not one. */
function httpDateSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** What a GET or HEAD of an existing object with `validators` should answer. */
export function evaluateConditionals(
  headers: ConditionalHeaders,
  validators: Validators
): ConditionalOutcome {
  const { etag, lastModified } = validators;
  if (headers.ifMatch !== undefined) {
    if (!listMatches(headers.ifMatch, etag, true)) return 'precondition-failed';
  } else {
    const since = httpDateSeconds(headers.ifUnmodifiedSince);
    if (since !== undefined && lastModified && seconds(lastModified) > since) return 'precondition-failed';
  }
  if (headers.ifNoneMatch !== undefined) {
    return listMatches(headers.ifNoneMatch, etag, false) ? 'not-modified' : 'proceed';
  }
  const since = httpDateSeconds(headers.ifModifiedSince);
  if (since !== undefined && lastModified && seconds(lastModified) <= since) return 'not-modified';
  return 'proceed';
}
