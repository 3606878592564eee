import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ANGLES, parseArticle, writeLargerPodcast } from '../../bench/larger-podcast';
import { loadPodcastConfigFile } from '../../containers/orchestrator/local/podcast-config-file';
import { parseFeed } from '../../stages/discover/feed-parser';
import { TITLE_SIMILARITY, titleSimilarity } from '../../stages/discover/story-ranking';
import { extractMainText } from '../../stages/scrape/extract-text';

const EXAMPLE_DIR = path.resolve(__dirname, '..', '..', 'examples', 'tech-weekly');

describe('writeLargerPodcast', () => {
  let outDir: string;
  beforeAll(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'bench-larger-'));
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('writes a valid podcast with 3x the example stories, target length and articles', async () => {
    // Prepare
    const example = await loadPodcastConfigFile(path.join(EXAMPLE_DIR, 'podcast.json'));

    // Act
    const generated = await writeLargerPodcast({ exampleDir: EXAMPLE_DIR, outDir, scale: 3 });
    const config = await loadPodcastConfigFile(generated.configFile);

    // Assess
    expect(config.podcastId).toBe('tech-weekly-x3');
    expect(config.maxStories).toBe(example.maxStories * 3);
    expect(config.targetMinutes).toBe(example.targetMinutes * 3);
    expect(config.hosts).toEqual(example.hosts);
    expect(generated.articles).toBe(24);
    expect(generated.runInput).toEqual({
      runId: 'tech-weekly-x3-2026-11-23',
      podcastId: 'tech-weekly-x3',
      episode: { date: '2026-11-23' },
    });
    expect(config.sources.every((s) => s.feedUrl.startsWith('file://'))).toBe(true);
  });

  it('lists every article once in feeds the discover stage parses, dated on or before the episode, with distinct titles', async () => {
    const generated = await writeLargerPodcast({ exampleDir: EXAMPLE_DIR, outDir, scale: 3 });
    const config = await loadPodcastConfigFile(generated.configFile);

    const items = (
      await Promise.all(
        config.sources.map(
          async (s) => parseFeed(await readFile(new URL(s.feedUrl), 'utf8'), s.feedUrl).items
        )
      )
    ).flat();

    expect(items).toHaveLength(24);
    expect(new Set(items.map((i) => i.url)).size).toBe(24);
    for (const item of items)
      expect(Date.parse(item.publishedAt ?? '')).toBeLessThanOrEqual(Date.parse('2026-11-23T23:59:59Z'));
    for (const [i, a] of items.entries()) {
      for (const b of items.slice(i + 1))
        expect(titleSimilarity(a.title, b.title)).toBeLessThan(TITLE_SIMILARITY);
    }
  });

  it('builds each article from real paragraphs of the example that the scrape stage extracts', async () => {
    const generated = await writeLargerPodcast({ exampleDir: EXAMPLE_DIR, outDir, scale: 3 });
    const base = parseArticle(
      'meridian-db-5',
      await readFile(path.join(EXAMPLE_DIR, 'articles', 'meridian-db-5.html'), 'utf8')
    );

    const page = await readFile(path.join(generated.dir, 'articles', 'meridian-db-5-2.html'), 'utf8');
    const extracted = extractMainText(page);

    expect(extracted.title).toContain(ANGLES[1]);
    expect(extracted.wordCount).toBeGreaterThan(300);
    // The variant's text starts two paragraphs into the original, rotated.
    const third = extractMainText(`<article><p>${base.paragraphs[2]}</p></article>`).text;
    expect(extracted.text.startsWith(third.slice(0, 80))).toBe(true);
  });

  it('rejects an example without article markup', () => {
    expect(() => parseArticle('broken', '<html><body><p>no article</p></body></html>')).toThrow(
      'article broken: no <article> with an <h1>'
    );
  });
});
