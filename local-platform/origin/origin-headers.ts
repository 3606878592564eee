/**
 * The response headers the public origin adds around an S3 object, matching what the CDN in
 * front of the buckets sends: the stored Content-Type (or one from the extension when S3 holds
 * only its generic default), the stored Cache-Control (publish stores a year's `immutable` one
 * with the versioned episode files and the show cover, the feed stage 60 s with the feed), else
 * the default lifetimes (short for a feed, a day for everything else, as the CDN's cache policies
 * use), CORS for web players and `nosniff`. Also when a feed may be gzipped.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import { FEED_CACHE_CONTROL } from '../../stages/shared/cache-control';
import type { OriginTarget } from './origin-path';

export { FEED_CACHE_CONTROL };
/** For a media object stored without a Cache-Control (e.g. episode files from before versioned keys). */
export const MEDIA_CACHE_CONTROL = 'public, max-age=86400';
export const ERROR_CACHE_CONTROL = 'no-store';
export const FEED_CONTENT_TYPE = 'application/rss+xml; charset=utf-8';
/** CloudFront compresses objects from 1,000 to 10,000,000 bytes, and only those. */
export const COMPRESSIBLE_SIZE = { min: 1_000, max: 10_000_000 } as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  xml: 'application/xml; charset=utf-8',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  json: 'application/json',
  vtt: 'text/vtt; charset=utf-8',
  srt: 'application/x-subrip',
  html: 'text/html; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};
/** What S3 (and s3rver) store when an upload names no Content-Type: treated as "not set". */
const GENERIC_TYPES = new Set(['binary/octet-stream', 'application/octet-stream']);

/** The stored Content-Type when there is a real one, else one from the key's extension. */
export function contentTypeFor(target: OriginTarget, stored: string | undefined): string {
  const type = stored?.trim();
  if (type && !GENERIC_TYPES.has((type.split(';')[0] as string).trim().toLowerCase())) return type;
  if (target.isFeed) return FEED_CONTENT_TYPE;
  const extension = /\.([a-z0-9]+)$/i.exec(target.key)?.[1]?.toLowerCase();
  return (extension && CONTENT_TYPES[extension]) || 'application/octet-stream';
}

/** Headers every response carries, errors included: CORS and nosniff. */
export function commonHeaders(): OutgoingHttpHeaders {
  return {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': 'Accept-Ranges, Content-Length, Content-Range, Content-Encoding, ETag',
    'X-Content-Type-Options': 'nosniff',
  };
}

/** The object's stored Cache-Control when it has one, else the default for its kind. */
export function cacheControlFor(target: OriginTarget, stored: string | undefined): string {
  const cacheControl = stored?.trim();
  if (cacheControl) return cacheControl;
  return target.isFeed ? FEED_CACHE_CONTROL : MEDIA_CACHE_CONTROL;
}

/** Headers of every answer about an existing object (200, 206, 304, 412, 416). */
export function objectHeaders(
  target: OriginTarget,
  validators: { etag?: string; lastModified?: Date },
  storedCacheControl?: string
): OutgoingHttpHeaders {
  return {
    ...commonHeaders(),
    'Accept-Ranges': 'bytes',
    'Cache-Control': cacheControlFor(target, storedCacheControl),
    ...(target.isFeed ? { Vary: 'Accept-Encoding' } : {}),
    ...(validators.etag ? { ETag: validators.etag } : {}),
    ...(validators.lastModified ? { 'Last-Modified': validators.lastModified.toUTCString() } : {}),
  };
}

/**
 * Whether `Accept-Encoding` accepts gzip (RFC 9110 §12.5.3): `gzip`/`x-gzip` with a non-zero
 * q-value, or `*` with one when gzip is not listed.
 */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  let gzip: number | undefined;
  let any: number | undefined;
  for (const item of acceptEncoding.split(',')) {
    const [coding, ...params] = item.split(';').map((part) => part.trim().toLowerCase());
    const qParam = params.find((param) => param.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (Number.isNaN(q)) continue;
    if (coding === 'gzip' || coding === 'x-gzip') gzip = Math.max(gzip ?? 0, q);
    else if (coding === '*') any = q;
  }
  return (gzip ?? any ?? 0) > 0;
}

/** The weak form of an ETag, for a compressed variant of the object (RFC 9110 §8.8.3). */
export function weakEtag(etag: string | undefined): string | undefined {
  if (etag === undefined) return undefined;
  return etag.startsWith('W/') ? etag : `W/${etag}`;
}
