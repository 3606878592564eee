/**
 * Which links are published: only absolute http(s) URLs. The show notes link a story only
 * through safeHttpUrl, and the script promises links in the notes only when every story it
 * covers has one (the offline writer's outro), so both follow this one rule.
 */

/**
 * The URL when it is an absolute http(s) URL, normalised by the URL parser (so quotes, spaces and
 * angle brackets come back percent-encoded); undefined otherwise. `javascript:`, `data:` and
 * `file:` links from sources are never published.
 */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  return parsed.href;
}
