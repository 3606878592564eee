/**
 * Small, dependency-free HTML helpers (entities: html-entities.ts): balanced element lookup and
 * HTML to plain text with paragraph breaks. Used by scrape (article pages) and discover (feeds).
 */
import { decodeEntities } from './html-entities';

export interface ElementRange {
  /** Offset of the opening tag's "<". */
  start: number;
  /** Offset just after the closing tag (or the end of the input when it is never closed). */
  end: number;
  /** Offset just after the opening tag's ">". */
  innerStart: number;
  /** Offset of the closing tag's "<". */
  innerEnd: number;
  /** The opening tag itself, attributes included. */
  openTag: string;
}

/** A tag found by the scanner: `<name ...>` or `</name ...>`, with its offsets. */
interface ScannedTag {
  start: number;
  /** Offset just after its ">". */
  end: number;
  name: string;
  closing: boolean;
  raw: string;
}

/**
 * The tags of `html` in order, found with indexOf (linear in the input, whatever it holds: a
 * hostile page of "<" without ">" costs one pass, not one pass per "<"). A "<" with no ">" after it
 * ends the scan: nothing after it can be a tag.
 */
function* scanTags(html: string): Generator<ScannedTag> {
  let from = 0;
  for (;;) {
    const lt = html.indexOf('<', from);
    if (lt < 0) return;
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) return;
    const raw = html.slice(lt, gt + 1);
    const match = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s>/])/.exec(raw);
    if (match)
      yield {
        start: lt,
        end: gt + 1,
        name: (match[2] as string).toLowerCase(),
        closing: match[1] === '/',
        raw,
      };
    from = gt + 1;
  }
}

/**
 * The outermost elements named `tag`, matched with nesting depth (so `<div><div></div></div>` is
 * one range). Tolerates unclosed elements by running them to the end of the input.
 */
export function findElements(html: string, tag: string): ElementRange[] {
  const name = tag.toLowerCase();
  const ranges: ElementRange[] = [];
  let depth = 0;
  let open: { start: number; innerStart: number; openTag: string } | undefined;
  for (const found of scanTags(html)) {
    if (found.name !== name) continue;
    if (!found.closing) {
      if (found.raw.endsWith('/>')) continue;
      if (depth === 0) open = { start: found.start, innerStart: found.end, openTag: found.raw };
      depth++;
    } else if (depth > 0) {
      depth--;
      if (depth === 0 && open) {
        ranges.push({ ...open, innerEnd: found.start, end: found.end });
        open = undefined;
      }
    }
  }
  if (open) ranges.push({ ...open, innerEnd: html.length, end: html.length });
  return ranges;
}

/** Removes every element named in `tags` together with its content. */
export function removeElements(html: string, tags: readonly string[]): string {
  let out = html;
  for (const tag of tags) {
    const ranges = findElements(out, tag);
    for (let i = ranges.length - 1; i >= 0; i--) {
      const range = ranges[i];
      if (range) out = `${out.slice(0, range.start)} ${out.slice(range.end)}`;
    }
  }
  return out;
}

/** Elements whose content is never prose (and may hold "<" that is not markup). */
const RAW_TEXT = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'canvas']);

/**
 * Drops comments, doctype, processing instructions and elements whose content is never prose.
 * One linear scan: each construct's end is found with indexOf from where it starts, and a
 * construct that never ends drops the rest of the input (there is no prose after an unclosed
 * comment or script).
 */
export function stripNonContent(html: string): string {
  const lower = html.toLowerCase();
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const lt = html.indexOf('<', from);
    if (lt < 0) break;
    let skipTo: number | undefined;
    if (html.startsWith('<!--', lt)) skipTo = endAfter(html, '-->', lt + 4);
    else if (html.startsWith('<!', lt)) skipTo = endAfter(html, '>', lt + 2);
    else if (html.startsWith('<?', lt)) skipTo = endAfter(html, '?>', lt + 2);
    else {
      const name = /^<([a-z][a-z0-9-]*)(?=[\s>/])/.exec(lower.slice(lt, lt + 32))?.[1];
      if (name && RAW_TEXT.has(name)) {
        const close = lower.indexOf(`</${name}`, lt + name.length + 1);
        skipTo = close < 0 ? html.length : endAfter(html, '>', close);
      }
    }
    if (skipTo === undefined) {
      parts.push(html.slice(from, lt + 1));
      from = lt + 1;
      continue;
    }
    parts.push(html.slice(from, lt), ' ');
    from = skipTo;
    if (from >= html.length) break;
  }
  if (from < html.length) parts.push(html.slice(from));
  return parts.join('');
}

/** The offset just after the first `token` at or after `from`; the input's end when there is none. */
function endAfter(html: string, token: string, from: number): number {
  const at = html.indexOf(token, from);
  return at < 0 ? html.length : at + token.length;
}

/** Elements that end a paragraph in plain text. */
const BLOCK_TAGS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'table',
  'tr',
  'figure',
  'figcaption',
  'hr',
  'br',
  'header',
  'footer',
  'aside',
  'nav',
]);

/** Collapses runs of whitespace inside a paragraph (no line breaks left). */
export function collapseWhitespace(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/**
 * HTML to plain text: block elements become paragraph breaks, other tags disappear, entities are
 * decoded and whitespace collapsed. Paragraphs are separated by one blank line.
 */
export function htmlToText(html: string): string {
  const text = stripNonContent(html);
  // Block tags become paragraph breaks, other tags disappear (one linear scan of the tags).
  const parts: string[] = [];
  let from = 0;
  for (const tag of scanTags(text)) {
    parts.push(text.slice(from, tag.start), BLOCK_TAGS.has(tag.name) ? '\n\n' : '');
    from = tag.end;
  }
  parts.push(text.slice(from));
  return parts
    .join('')
    .split(/\n\s*\n/)
    .map((paragraph) => collapseWhitespace(decodeEntities(paragraph)))
    .filter((paragraph) => paragraph.length > 0)
    .join('\n\n');
}

/** Counts words (runs of letters or digits, with inner apostrophes, dots or dashes). */
export const WORD_PATTERN = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;

export function countWords(text: string): number {
  return text.match(WORD_PATTERN)?.length ?? 0;
}
