/**
 * Host names must tell the hosts apart: the writer addresses hosts by name, review maps a name an
 * edited script uses back to its host (script-checks.ts), and the show notes credit them by name.
 * Two names that differ only in case, spacing or how their letters are encoded ("Ava", " ava ",
 * "AVA", fullwidth "Ａｖａ") would be one voice to a listener and an ambiguous speaker to review.
 */
import type * as z from 'zod';
import { foldLookAlikes } from './look-alike-letters';

/**
 * A name as hosts are told apart: NFKC, case-folded, with no whitespace or invisible format
 * characters, and Cyrillic or Greek letters drawn like Latin ones folded to them ("Avа" with a
 * Cyrillic а is "Ava").
 */
export function hostNameKey(name: string): string {
  return foldLookAlikes(
    name
      .normalize('NFKC')
      .toUpperCase()
      .toLowerCase()
      .replace(/[\s\p{Cf}]+/gu, '')
  );
}

/** One issue per host whose name an earlier host already has (hostNameKey), at `hosts.<i>.name`. */
export function checkHostNames(hosts: readonly { name: string }[], ctx: z.RefinementCtx): void {
  const first = new Map<string, number>();
  for (const [i, host] of hosts.entries()) {
    const key = hostNameKey(host.name);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, i);
      continue;
    }
    ctx.addIssue({
      code: 'custom',
      path: ['hosts', i, 'name'],
      message: `host name "${host.name}" is the name of hosts.${earlier}.name "${hosts[earlier]?.name ?? ''}" (names are compared ignoring case and spaces); give each host a different name, since scripts and show notes tell hosts apart by name`,
    });
  }
}
