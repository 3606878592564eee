/**
 * The benchmark's larger podcast: 3x the shipped example's stories and target length, written into
 * a folder of its own (config, RSS feeds, article pages) so the run reads it with file:// URLs like
 * the example. Articles are the example's real reporting recombined under new titles and URLs (each
 * base article's paragraphs in a rotated order, plus one paragraph from another article), so the
 * offline writer has real sentences to summarise and the dedupe in discover sees distinct stories.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface GeneratedPodcast {
  dir: string;
  configFile: string;
  runInput: { runId: string; podcastId: string; episode: { date: string } };
  articles: number;
}

export interface LargerPodcastOptions {
  /** The example to grow (its podcast.json and articles/). */
  exampleDir: string;
  /** Where to write the generated podcast (created). */
  outDir: string;
  /** Multiplies stories, articles and target minutes. @default 3 */
  scale?: number;
}

interface BaseArticle {
  slug: string;
  title: string;
  paragraphs: string[];
}

/** Title endings that keep variants of one story apart (no word shared between two of them). */
export const ANGLES = [
  'what operators should check first',
  'reactions across the wider industry',
  'the numbers behind this announcement',
  'open questions that remain unanswered',
  'a closer look at the timeline',
] as const;

const SOURCES = [
  { id: 'open-source-digest', name: 'Open Source Digest', weight: 1 },
  { id: 'silicon-ledger', name: 'The Silicon Ledger', weight: 1.2 },
  { id: 'infra-weekly', name: 'Infra Weekly', weight: 1.1 },
  { id: 'systems-review', name: 'Systems Review', weight: 0.9 },
  { id: 'kernel-notes', name: 'Kernel Notes', weight: 1 },
] as const;

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The headline and the story paragraphs of one of the example's article pages. */
export function parseArticle(slug: string, html: string): BaseArticle {
  const article = /<article[^>]*>([\s\S]*?)<\/article>/i.exec(html)?.[1];
  const title = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(article ?? '')?.[1]?.trim();
  if (!article || !title) throw new Error(`article ${slug}: no <article> with an <h1>`);
  const paragraphs = [...article.matchAll(/<p(?:\s[^>]*)?>([\s\S]*?)<\/p>/gi)]
    .filter((m) => !/class="byline"/.test(m[0]))
    .map((m) => (m[1] ?? '').trim())
    .filter((p) => p.length > 0);
  if (paragraphs.length < 3) throw new Error(`article ${slug}: fewer than 3 paragraphs`);
  return { slug, title, paragraphs };
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = ((by % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

function articlePage(title: string, source: string, date: string, paragraphs: readonly string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${title} | ${escapeXml(source)}</title></head>`,
    '<body>',
    `  <header class="site-header"><a class="logo" href="../index.html">${escapeXml(source)}</a></header>`,
    '  <main>',
    '    <article>',
    `      <header><h1>${title}</h1><p class="byline">By the ${escapeXml(source)} desk &middot; ${date}</p></header>`,
    ...paragraphs.map((p) => `      <p>${p}</p>`),
    '    </article>',
    '  </main>',
    '  <footer><p>&copy; 2026</p></footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

interface FeedItem {
  title: string;
  link: string;
  guid: string;
  pubDate: string;
  summary: string;
}

function rssFeed(source: (typeof SOURCES)[number], items: readonly FeedItem[]): string {
  const entries = items.map((item) =>
    [
      '    <item>',
      `      <title>${escapeXml(item.title)}</title>`,
      `      <link>${escapeXml(item.link)}</link>`,
      `      <guid isPermaLink="false">${escapeXml(item.guid)}</guid>`,
      `      <pubDate>${item.pubDate}</pubDate>`,
      `      <description>${escapeXml(item.summary)}</description>`,
      '    </item>',
    ].join('\n')
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0">',
    '  <channel>',
    `    <title>${escapeXml(source.name)}</title>`,
    `    <link>https://${source.id}.example.org/</link>`,
    `    <description>${escapeXml(source.name)}: generated benchmark feed.</description>`,
    ...entries,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

/** Plain text of an HTML fragment (tags dropped, the few entities the examples use decoded). */
function plain(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&rsquo;|&lsquo;/g, "'")
    .replace(/&ldquo;|&rdquo;/g, '"')
    .replace(/&mdash;|&ndash;/g, '-')
    .replace(/&amp;/g, '&')
    .replace(/&[a-z]+;/g, ' ');
}

/** Writes the larger podcast and returns where its config and run input are. */
export async function writeLargerPodcast(options: LargerPodcastOptions): Promise<GeneratedPodcast> {
  const scale = options.scale ?? 3;
  if (!Number.isInteger(scale) || scale < 1 || scale > ANGLES.length)
    throw new Error(`scale must be an integer from 1 to ${ANGLES.length}`);
  const example = JSON.parse(await readFile(path.join(options.exampleDir, 'podcast.json'), 'utf8')) as Record<
    string,
    unknown
  > & {
    podcastId: string;
    title: string;
    targetMinutes: number;
    maxStories: number;
  };
  const articleDir = path.join(options.exampleDir, 'articles');
  const files = (await readdir(articleDir)).filter((f) => f.endsWith('.html')).sort();
  const bases = await Promise.all(
    files.map(async (f) =>
      parseArticle(f.replace(/\.html$/, ''), await readFile(path.join(articleDir, f), 'utf8'))
    )
  );
  if (bases.length < 2) throw new Error(`${articleDir}: the example needs at least two articles`);

  await mkdir(path.join(options.outDir, 'articles'), { recursive: true });
  await mkdir(path.join(options.outDir, 'feeds'), { recursive: true });
  const sources = SOURCES.slice(0, Math.min(SOURCES.length, scale + 1));
  const feeds = new Map<string, FeedItem[]>(sources.map((s) => [s.id, []]));
  const episodeDate = '2026-11-23';
  let n = 0;
  for (let variant = 0; variant < scale; variant++) {
    for (const [b, base] of bases.entries()) {
      const source = sources[n % sources.length] as (typeof sources)[number];
      const borrowed = bases[(b + variant + 1) % bases.length] as BaseArticle;
      const paragraphs = [
        ...rotate(base.paragraphs, variant * 2),
        borrowed.paragraphs[1 + (variant % (borrowed.paragraphs.length - 1))] as string,
      ];
      const title = `${base.title}: ${ANGLES[variant]}`;
      const slug = `${base.slug}-${variant + 1}`;
      // Spread over the eight days before the episode, newest first within each variant.
      const published = new Date(
        Date.parse(`${episodeDate}T18:00:00Z`) - ((n * 7) % 8) * 86_400_000 - (n % 5) * 3_600_000
      );
      await writeFile(
        path.join(options.outDir, 'articles', `${slug}.html`),
        articlePage(title, source.name, published.toUTCString(), paragraphs)
      );
      feeds.get(source.id)?.push({
        title: plain(title),
        link: `../articles/${slug}.html`,
        guid: `bench-${slug}`,
        pubDate: published.toUTCString(),
        summary: plain(paragraphs[0] as string).slice(0, 240),
      });
      n++;
    }
  }
  for (const source of sources)
    await writeFile(
      path.join(options.outDir, 'feeds', `${source.id}.xml`),
      rssFeed(source, feeds.get(source.id) ?? [])
    );

  const podcastId = `${example.podcastId}-x${scale}`;
  const config = {
    ...example,
    podcastId,
    title: `${example.title} (x${scale} benchmark)`,
    publicBaseUrl: `https://podcasts.example.com/${podcastId}`,
    sources: sources.map((s) => ({ id: s.id, name: s.name, feedUrl: `feeds/${s.id}.xml`, weight: s.weight })),
    targetMinutes: example.targetMinutes * scale,
    maxStories: example.maxStories * scale,
  };
  const configFile = path.join(options.outDir, 'podcast.json');
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
  return {
    dir: options.outDir,
    configFile,
    runInput: { runId: `${podcastId}-${episodeDate}`, podcastId, episode: { date: episodeDate } },
    articles: n,
  };
}
