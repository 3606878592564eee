/**
 * URL credentials in free text: feed and article URLs carry tokens in their query string
 * (`?token=…`, signed URLs) or user-info (`https://user:pass@host`), and they reach log lines,
 * events and run records inside error messages. `redactUrls` rewrites every URL in a string:
 *
 * - user-info becomes `[REDACTED]`: `https://user:pass@host/x` → `https://[REDACTED]@host/x`;
 * - every query value becomes `[REDACTED]`, names kept: `?token=abc&x=1` →
 *   `?token=[REDACTED]&x=[REDACTED]` (an empty value stays empty, a bare `?flag` is a name);
 * - a fragment holding `name=value` pairs (OAuth's `#access_token=…`) gets its values redacted
 *   the same way; a plain `#section` fragment stays;
 * - scheme, host, port and path stay as written (encoded characters untouched).
 *
 * A URL is `<scheme>://` up to whitespace, a quote, `<`, `>`, a backtick or a backslash (the
 * delimiters of messages and JSON), minus trailing sentence punctuation and unbalanced closing
 * brackets, so `(see https://h/x?t=1).` keeps its `).`. Applying it twice changes nothing.
 */
/** What stands in for a redacted value (secret-redaction.ts re-exports it). */
export const REDACTED = '[REDACTED]';

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`\\]+/gi;
const TRAILING_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?']);
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

const count = (text: string, char: string) => text.split(char).length - 1;

/** Splits a matched URL from the punctuation that ends the sentence around it. */
function trimTail(match: string): [url: string, tail: string] {
  let end = match.length;
  for (;;) {
    const last = match[end - 1] ?? '';
    const opener = CLOSERS[last];
    const body = match.slice(0, end);
    if (TRAILING_PUNCTUATION.has(last) || (opener !== undefined && count(body, last) > count(body, opener)))
      end--;
    else break;
  }
  return [match.slice(0, end), match.slice(end)];
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0 || eq === pair.length - 1) return pair;
      return `${pair.slice(0, eq + 1)}${REDACTED}`;
    })
    .join('&');
}

/** One URL (no surrounding text) with its user-info and query values redacted. */
export function redactUrl(url: string): string {
  const schemeEnd = url.indexOf('://') + 3;
  const rest = url.slice(schemeEnd);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const afterAuthority = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const at = authority.lastIndexOf('@');
  const host = at > 0 ? `${REDACTED}@${authority.slice(at + 1)}` : authority;

  const hash = afterAuthority.indexOf('#');
  const beforeFragment = hash < 0 ? afterAuthority : afterAuthority.slice(0, hash);
  const rawFragment = hash < 0 ? '' : afterAuthority.slice(hash + 1);
  const fragment = hash < 0 ? '' : `#${rawFragment.includes('=') ? redactQuery(rawFragment) : rawFragment}`;
  const question = beforeFragment.indexOf('?');
  const path = question < 0 ? beforeFragment : beforeFragment.slice(0, question);
  const query = question < 0 ? undefined : beforeFragment.slice(question + 1);
  return `${url.slice(0, schemeEnd)}${host}${path}${query === undefined ? '' : `?${redactQuery(query)}`}${fragment}`;
}

/** Every URL in `text` redacted (see the file comment); text without `://` is returned as is. */
export function redactUrls(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(URL_PATTERN, (match) => {
    const [url, tail] = trimTail(match);
    return redactUrl(url) + tail;
  });
}
