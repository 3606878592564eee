/**
 * The Cache-Control stored with public objects, which the CDN (infra/constructs/public-distribution.ts,
 * up to its media max TTL of a year) and the local origin (local-platform/origin/) pass on.
 */

/**
 * Objects whose key changes whenever their bytes do: an episode's files under its version folder
 * (`episodes/<episodeId>/<version>/`) and the content-hashed show cover. Cached a year, never revalidated.
 */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** The feed is rewritten in place: a new one is out within a minute with no invalidation. */
export const FEED_CACHE_CONTROL = 'public, max-age=60';
