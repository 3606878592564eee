/**
 * Which bucket object a public origin URL names: `<prefix>/podcasts/<id>/feed.xml` is the feed
 * in the RSS bucket, any other `<prefix>/podcasts/<id>/<rest>` the object `podcasts/<id>/<rest>`
 * in the media bucket (public-urls.ts's rule, seen from the CDN's side). Nothing outside a
 * podcast's public prefix can be named, so `runs/` scratch keys are never reachable.
 *
 * The raw request path is split and each segment percent-decoded on its own, never through
 * `new URL()` (which resolves `%2e%2e` into `..` and would let a path climb out of the prefix).
 * Refused: empty, `.` and `..` segments, encoded `/` or `\`, a raw `\`, control characters and
 * podcast ids that config-schema.ts would not accept. Query strings are ignored, as CloudFront's
 * default cache policy does for an S3 origin.
 */
import { artifactKeys } from '../../stages/shared/artifact-keys';
import { podcastPrefix } from '../../stages/shared/public-urls';

/** config-schema.ts's podcastId rule. */
export const PODCAST_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
/** S3's limit on a key's UTF-8 length. */
const MAX_KEY_BYTES = 1024;
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_SEGMENT = /[\u0000-\u001f\u007f/\\]/;

export type OriginBucket = 'media' | 'rss';

export interface OriginTarget {
  readonly bucket: OriginBucket;
  readonly key: string;
  readonly podcastId: string;
  /** True for the podcast's feed.xml (short cache, compressible). */
  readonly isFeed: boolean;
}

export type OriginPathResult =
  | { readonly ok: true; readonly target: OriginTarget }
  | { readonly ok: false; readonly status: 400 | 404; readonly reason: string };

/** `/_origin/` and `_origin` both become `/_origin`; `/` and `` become `` (the root). */
export function normalizePathPrefix(pathPrefix: string): string {
  const trimmed = pathPrefix.replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** The path of a request target, without query or fragment. */
function pathOf(rawUrl: string): string {
  const end = rawUrl.search(/[?#]/);
  return end < 0 ? rawUrl : rawUrl.slice(0, end);
}

/** Whether a request target lies under `pathPrefix` (exactly, or followed by `/`). */
export function isUnderPathPrefix(rawUrl: string, pathPrefix: string): boolean {
  const path = pathOf(rawUrl);
  const prefix = normalizePathPrefix(pathPrefix);
  return path === prefix || path.startsWith(`${prefix}/`);
}

type Refusal = Extract<OriginPathResult, { ok: false }>;

const notFound = (reason: string): Refusal => ({ ok: false, status: 404, reason });

/** One raw path segment, percent-decoded, or why it is refused. */
function decodeSegment(raw: string): string | Refusal {
  if (raw.includes('\\')) return notFound('backslash in path');
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-encoding' };
  }
  if (value === '') return notFound('empty path segment');
  if (value === '.' || value === '..') return notFound('dot segment in path');
  if (FORBIDDEN_IN_SEGMENT.test(value)) return notFound('forbidden character in path segment');
  return value;
}

/** The bucket object that `rawUrl` (a request target such as `req.url`) names, if any. */
export function resolveOriginPath(rawUrl: string, pathPrefix: string): OriginPathResult {
  if (!rawUrl.startsWith('/')) return notFound('not an origin-form request target');
  const path = pathOf(rawUrl);
  const prefix = normalizePathPrefix(pathPrefix);
  if (!path.startsWith(`${prefix}/`)) return notFound('outside the origin path');
  const segments: string[] = [];
  for (const raw of path.slice(prefix.length + 1).split('/')) {
    const decoded = decodeSegment(raw);
    if (typeof decoded !== 'string') return decoded;
    segments.push(decoded);
  }
  const [root, podcastId, ...rest] = segments;
  if (root !== 'podcasts' || podcastId === undefined || rest.length === 0) {
    return notFound('not a public podcast object');
  }
  if (!PODCAST_ID_PATTERN.test(podcastId)) return notFound('not a podcast id');
  const isFeed = rest.length === 1 && rest[0] === 'feed.xml';
  const key = isFeed ? artifactKeys.feed(podcastId) : `${podcastPrefix(podcastId)}${rest.join('/')}`;
  // Belt and braces: whatever the parsing above, only a podcast's public prefix is served.
  if (!key.startsWith(podcastPrefix(podcastId)) || key.startsWith('runs/')) {
    return notFound('not a public podcast object');
  }
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return notFound('key too long');
  return { ok: true, target: { bucket: isFeed ? 'rss' : 'media', key, podcastId, isFeed } };
}
