/**
 * Small, dependency-free HTML helpers: entity decoding, balanced element lookup and HTML to plain
 * text with paragraph breaks. Used by scrape (article pages) and discover (feed descriptions).
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ',
  mdash: '—', ndash: '–', hellip: '…', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„',
  laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›', bull: '•', middot: '·', prime: '′', Prime: '″',
  copy: '©', reg: '®', trade: '™', deg: '°', plusmn: '±', times: '×', divide: '÷', minus: '−', frac12: '½',
  frac14: '¼', frac34: '¾', sup2: '²', sup3: '³', micro: 'µ', para: '¶', sect: '§', euro: '€', pound: '£',
  yen: '¥', cent: '¢', iexcl: '¡', iquest: '¿', shy: '', zwj: '', zwnj: '', larr: '←', rarr: '→',
  aacute: 'á', agrave: 'à', acirc: 'â', auml: 'ä', atilde: 'ã', aring: 'å', aelig: 'æ', ccedil: 'ç',
  eacute: 'é', egrave: 'è', ecirc: 'ê', euml: 'ë', iacute: 'í', igrave: 'ì', icirc: 'î', iuml: 'ï',
  ntilde: 'ñ', oacute: 'ó', ograve: 'ò', ocirc: 'ô', ouml: 'ö', otilde: 'õ', oslash: 'ø', szlig: 'ß',
  uacute: 'ú', ugrave: 'ù', ucirc: 'û', uuml: 'ü', yacute: 'ý', yuml: 'ÿ', Aacute: 'Á', Eacute: 'É',
  Oacute: 'Ó', Uacute: 'Ú', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', Ntilde: 'Ñ', Ccedil: 'Ç', Aring: 'Å', Oslash: 'Ø',
};

/** Decodes named (common set), decimal and hex character references; unknown ones stay as they are. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

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

/**
 * The outermost elements named `tag`, matched with nesting depth (so `<div><div></div></div>` is
 * one range). Tolerates unclosed elements by running them to the end of the input.
 */
export function findElements(html: string, tag: string): ElementRange[] {
  const pattern = new RegExp(`<(/?)${tag}(?=[\\s>/])[^>]*>`, 'gi');
  const ranges: ElementRange[] = [];
  let depth = 0;
  let open: { start: number; innerStart: number; openTag: string } | undefined;
  for (let match = pattern.exec(html); match; match = pattern.exec(html)) {
    const closing = match[1] === '/';
    const selfClosing = !closing && match[0].endsWith('/>');
    if (!closing) {
      if (selfClosing) continue;
      if (depth === 0) open = { start: match.index, innerStart: match.index + match[0].length, openTag: match[0] };
      depth++;
    } else if (depth > 0) {
      depth--;
      if (depth === 0 && open) {
        ranges.push({ ...open, innerEnd: match.index, end: match.index + match[0].length });
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

/** Drops comments, doctype, processing instructions and elements whose content is never prose. */
export function stripNonContent(html: string): string {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, ' ').replace(/<![^>]*>/g, ' ').replace(/<\?[\s\S]*?\?>/g, ' ');
  // Raw-text elements are matched lazily: their content may hold "<" that is not markup.
  return withoutComments.replace(/<(script|style|noscript|template|svg|iframe|object|canvas)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ');
}

const BLOCK_TAGS = 'p|div|section|article|main|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|pre|table|tr|figure|figcaption|hr|br|header|footer|aside|nav';

/** Collapses runs of whitespace inside a paragraph (no line breaks left). */
export function collapseWhitespace(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/**
 * HTML to plain text: block elements become paragraph breaks, other tags disappear, entities are
 * decoded and whitespace collapsed. Paragraphs are separated by one blank line.
 */
export function htmlToText(html: string): string {
  const marked = stripNonContent(html)
    .replace(new RegExp(`<\\/?(?:${BLOCK_TAGS})\\b[^>]*>`, 'gi'), '\n\n')
    .replace(/<[^>]+>/g, '');
  return marked
    .split(/\n\s*\n/)
    .map((paragraph) => collapseWhitespace(decodeEntities(paragraph)))
    .filter((paragraph) => paragraph.length > 0)
    .join('\n\n');
}

/** Counts words (runs of letters or digits, with inner apostrophes, dots or dashes). */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}
