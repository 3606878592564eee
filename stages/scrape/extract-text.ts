/**
 * Main-text extraction from an article page: boilerplate out (scripts, navigation, headers,
 * footers, asides, forms), then the <article>, else <main>, else the densest cluster of <p>.
 */
import {
  collapseWhitespace,
  countWords,
  findElements,
  htmlToText,
  removeElements,
  stripNonContent,
  WORD_PATTERN,
} from './html-text';
import { decodeEntities } from './html-entities';

/** Elements that frame a page rather than carry its story. */
const BOILERPLATE_TAGS = [
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'button',
  'menu',
  'dialog',
  'figcaption',
] as const;

/** Paragraph-like blocks a story is made of. */
const PROSE_TAGS = ['p', 'h2', 'h3', 'h4', 'li', 'blockquote', 'pre'] as const;

/** Markup between two paragraphs beyond which they belong to different clusters. */
const MAX_CLUSTER_GAP_CHARS = 400;

export interface ExtractedText {
  title?: string;
  /** Plain text, paragraphs separated by a blank line. */
  text: string;
  wordCount: number;
  /** Which rule found the text: useful in logs when a page extracts badly. */
  strategy: 'article' | 'main' | 'paragraphs' | 'body';
}

/**
 * HTML read per page: a story is far shorter, and everything after this is left unread (the
 * fetch cap is 5 MiB; the scans below are linear, this bounds their constant too).
 */
export const MAX_PAGE_CHARS = 2 * 1024 * 1024;
const MAX_TITLE_CHARS = 1000;

export function extractMainText(fullHtml: string): ExtractedText {
  const html = fullHtml.length > MAX_PAGE_CHARS ? fullHtml.slice(0, MAX_PAGE_CHARS) : fullHtml;
  const title = pageTitle(html);
  const cleaned = removeElements(stripNonContent(html), BOILERPLATE_TAGS);

  const article = largest(cleaned, 'article');
  if (article !== undefined && countWords(htmlToText(article)) > 0) return result(article, 'article', title);
  const main = largest(cleaned, 'main');
  if (main !== undefined && countWords(htmlToText(main)) > 0) return result(main, 'main', title);
  const cluster = densestParagraphCluster(cleaned);
  if (cluster !== undefined) return result(cluster, 'paragraphs', title);
  const body = largest(cleaned, 'body') ?? cleaned;
  return result(body, 'body', title);
}

function result(html: string, strategy: ExtractedText['strategy'], title: string | undefined): ExtractedText {
  return { ...(title ? { title } : {}), ...capStoryText(proseText(html)), strategy };
}

/** Words kept of one story: a long feature is ~10,000; the rest of a hostile page is dropped. */
export const MAX_STORY_WORDS = 20_000;

/** The text cut after MAX_STORY_WORDS words (at a word boundary), with its word count. */
export function capStoryText(text: string): { text: string; wordCount: number } {
  const words = countWords(text);
  if (words <= MAX_STORY_WORDS) return { text, wordCount: words };
  const pattern = new RegExp(WORD_PATTERN.source, 'gu');
  let end = 0;
  for (let n = 0; n < MAX_STORY_WORDS; n++) {
    const match = pattern.exec(text);
    if (!match) break;
    end = match.index + match[0].length;
  }
  const cut = text.slice(0, end);
  return { text: cut, wordCount: countWords(cut) };
}

/** The text of the prose blocks inside `html`; all of its text when it has no such blocks. */
function proseText(html: string): string {
  const blocks = proseBlocks(html);
  if (blocks.length === 0) return htmlToText(html);
  return blocks
    .map((block) => htmlToText(html.slice(block.start, block.end)))
    .filter((text) => text.length > 0)
    .join('\n\n');
}

interface Block {
  start: number;
  end: number;
}

/** Outermost prose blocks in document order (a <p> inside a <blockquote> is not counted twice). */
function proseBlocks(html: string): Block[] {
  const all: Block[] = PROSE_TAGS.flatMap((tag) =>
    findElements(html, tag).map((r) => ({ start: r.start, end: r.end }))
  );
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  const outer: Block[] = [];
  for (const block of all) {
    const last = outer[outer.length - 1];
    if (last && block.start < last.end) continue;
    outer.push(block);
  }
  return outer;
}

function largest(html: string, tag: string): string | undefined {
  let best: string | undefined;
  let bestWords = -1;
  for (const range of findElements(html, tag)) {
    const inner = html.slice(range.innerStart, range.innerEnd);
    const words = countWords(htmlToText(inner));
    if (words > bestWords) {
      best = inner;
      bestWords = words;
    }
  }
  return best;
}

/**
 * Groups <p> elements that follow each other inside one container, with little markup in
 * between, and returns the group with the most words, from its first paragraph to its last.
 */
function densestParagraphCluster(html: string): string | undefined {
  const paragraphs = findElements(html, 'p');
  let best: { start: number; end: number; words: number } | undefined;
  let current: { start: number; end: number; words: number } | undefined;
  for (const p of paragraphs) {
    const words = countWords(htmlToText(html.slice(p.innerStart, p.innerEnd)));
    if (
      current &&
      p.start - current.end <= MAX_CLUSTER_GAP_CHARS &&
      !leavesContainer(html.slice(current.end, p.start))
    ) {
      current = { start: current.start, end: p.end, words: current.words + words };
    } else {
      current = { start: p.start, end: p.end, words };
    }
    if (!best || current.words > best.words) best = current;
  }
  return best && best.words > 0 ? html.slice(best.start, best.end) : undefined;
}

const CONTAINER_TAG = /<(\/?)(div|section|article|main|td|li|ul|ol|table|body)\b[^>]*>/gi;

/** True when the markup between two paragraphs closes an element it did not open (the paragraphs have different parents). */
function leavesContainer(gap: string): boolean {
  let depth = 0;
  for (const match of gap.matchAll(CONTAINER_TAG)) {
    depth += match[1] === '/' ? -1 : 1;
    if (depth < 0) return true;
  }
  return false;
}

/** The page's <title>, found by the linear tag scan and cut to a sane length before it is cleaned. */
function pageTitle(html: string): string | undefined {
  const range = findElements(html, 'title')[0];
  if (!range) return undefined;
  const raw = html.slice(range.innerStart, Math.min(range.innerEnd, range.innerStart + MAX_TITLE_CHARS));
  const title = collapseWhitespace(decodeEntities(raw.replace(/<[^>]*>/g, ' ')));
  return title.length > 0 ? title : undefined;
}
