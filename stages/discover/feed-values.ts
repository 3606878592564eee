/**
 * Reading values out of a parsed feed document (fast-xml-parser's plain objects) and cutting
 * untrusted text to size: what feed-parser.ts builds its items from.
 */

/** An element as the parser gives it: children by name, attributes as `@_name`, text as `#text`. */
export type Node = Record<string, unknown>;

/** The start of untrusted HTML, cut before a tag or reference the cut would leave open. */
export function head(html: string, max: number): string {
  if (html.length <= max) return html;
  const cut = html.slice(0, max);
  const lt = cut.lastIndexOf('<');
  const amp = cut.lastIndexOf('&');
  const end = Math.min(lt > cut.lastIndexOf('>') ? lt : max, amp > cut.lastIndexOf(';') ? amp : max);
  return cut.slice(0, end);
}

export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = value.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[,;:.\s]+$/, '')}…`;
}

export function asNode(value: unknown): Node | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : undefined;
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Text of a node: a string, or the #text of an element with attributes (e.g. Atom's type="html"). */
export function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return text(value[0]);
  const node = asNode(value);
  if (!node) return '';
  if ('#text' in node) return text(node['#text']);
  // Atom type="xhtml" content: the text of the nested elements.
  return Object.entries(node)
    .filter(([key]) => !key.startsWith('@_'))
    .map(([, child]) => text(child))
    .filter((part) => part.length > 0)
    .join(' ');
}

export function attr(value: unknown, name: string): string {
  const node = asNode(value);
  const raw = node?.[`@_${name}`];
  return typeof raw === 'string' ? raw.trim() : '';
}
