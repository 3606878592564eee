/**
 * The feed's `podcast:guid` as the Podcasting 2.0 namespace defines it: a UUIDv5 of the feed URL
 * without its scheme and trailing slashes, in the namespace ead4c236-bf58-58c6-a2c6-a6b28d128cb6
 * (https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md#guid). Directories
 * compute the same value from the URL, so the feed keeps its identity across hosts.
 */
import { createHash } from 'node:crypto';

export const PODCAST_GUID_NAMESPACE = 'ead4c236-bf58-58c6-a2c6-a6b28d128cb6';

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`"${uuid}" is not a UUID`);
  return Buffer.from(hex, 'hex');
}

/** RFC 4122 version 5 (SHA-1, name-based) UUID. */
export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The podcast:guid of a feed URL (scheme and trailing slashes removed first, as the spec says). */
export function podcastGuid(feedUrl: string): string {
  const name = feedUrl.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '');
  return uuidV5(name, PODCAST_GUID_NAMESPACE);
}
