import { runCore } from '../../helpers/run-core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { discoverStage } from '../../../stages/discover/discover';
import { extractMainText } from '../../../stages/scrape/extract-text';
import { decodeEntities } from '../../../stages/scrape/html-entities';
import { scrapeStage } from '../../../stages/scrape/scrape';
import { exampleFetcher } from '../../fixtures/example-fetch-policy';
import { putJson } from '../../../stages/shared/artifact-keys';
import type { ScrapedStory, StoryCandidate } from '../../../stages/shared/content-types';
import { FatalStageError, RetryableStageError } from '../../../stages/shared/errors';
import type { FetchedDocument, Fetcher } from '../../../stages/shared/providers';
import {
  EXAMPLE_DIR,
  exampleFileUrl,
  loadExamplePodcast,
  prepareWorld,
  runStage,
  stageContext,
  stageInput,
  type ContentWorld,
} from './content-fixtures';

function candidate(id: string, url: string): StoryCandidate {
  return { id, sourceId: 'src', sourceName: 'Source', title: `Story ${id}`, url, snippet: '', score: 1 };
}

/** Puts a discover manifest with the given candidates into the world, as discover would. */
async function discovered(world: ContentWorld, candidates: StoryCandidate[]): Promise<void> {
  const storiesKey = 'runs/tech-weekly-2026-11-23/discover/stories.json';
  await putJson(world.deps.media, storiesKey, candidates);
  world.stages.discover = {
    storiesKey,
    storyIds: candidates.map((c) => c.id),
    candidates: candidates.length,
  };
}

describe('extractMainText', () => {
  it('keeps the article prose and drops navigation, headers, footers, asides, forms and scripts', () => {
    // Prepare
    const html = readFileSync(path.join(EXAMPLE_DIR, 'articles', 'halvorsen-tern-risc-v.html'), 'utf8');

    // Act
    const extracted = extractMainText(html);

    // Assess
    expect(extracted.strategy).toBe('article');
    expect(extracted.title).toBe(
      'Halvorsen unveils Tern, a 128-core RISC-V server processor | The Silicon Ledger'
    );
    expect(extracted.text.startsWith('Halvorsen Semiconductor on Saturday unveiled Tern')).toBe(true);
    for (const boilerplate of [
      'Semiconductors',
      'Chips, data centers',
      'dataLayer',
      'All rights reserved',
      'Share this story',
      'Sign up',
      'Erik Lindqvist',
      'enable JavaScript',
      'font-family',
    ]) {
      expect(extracted.text).not.toContain(boilerplate);
    }
    expect(extracted.text).toContain(
      '“Five years ago, people asked whether RISC-V could run a data center,” said Ingrid Solberg'
    );
    expect(extracted.text).toContain('the company’s developer conference');
    expect(extracted.text.split('\n\n')).toHaveLength(9); // 8 paragraphs and a subheading
    expect(extracted.wordCount).toBeGreaterThanOrEqual(300);
    expect(extracted.wordCount).toBeLessThanOrEqual(450);
  });

  it('falls back to <main>, then to the densest run of paragraphs', () => {
    const main = extractMainText(
      '<body><nav><p>Home About</p></nav><main><h2>Title</h2><p>First &amp; second.</p><p>Third&nbsp;one &#8212; &#x201C;quoted&#x201D;.</p></main></body>'
    );
    expect(main.strategy).toBe('main');
    expect(main.text).toBe('Title\n\nFirst & second.\n\nThird one — “quoted”.');

    const filler =
      '<div class="promo"><p>Subscribe now.</p></div>' + '<span>'.repeat(1) + 'x'.repeat(500) + '</span>';
    const story =
      '<div class="body"><p>Alpha beta gamma delta.</p><p>Epsilon zeta eta theta.</p><p>Iota kappa lambda mu.</p></div>';
    const clustered = extractMainText(
      `<html><body>${filler}${story}<div><p>Footer words</p></div></body></html>`
    );
    expect(clustered.strategy).toBe('paragraphs');
    expect(clustered.text).toBe(
      'Alpha beta gamma delta.\n\nEpsilon zeta eta theta.\n\nIota kappa lambda mu.'
    );
  });

  it('decodes named, decimal and hex entities and leaves unknown ones alone', () => {
    expect(decodeEntities('Caf&eacute; &amp; bar &#169; &#x2014; &bogus; &lt;b&gt;')).toBe(
      'Café & bar © — &bogus; <b>'
    );
  });
});

describe('scrape', () => {
  it('scrapes the discovered example stories into ScrapedStory JSON, reporting progress', async () => {
    // Prepare
    const world = await prepareWorld();
    await runStage(world, discoverStage);
    world.progress.length = 0;

    // Act
    const manifest = await runStage(world, scrapeStage);

    // Assess
    expect(manifest.skipped).toEqual([]);
    expect(manifest.stories.map((s) => s.id)).toEqual(
      (world.stages.discover as { storyIds: string[] }).storyIds
    );
    for (const entry of manifest.stories) {
      const story = world.deps.media.json<ScrapedStory>(entry.key);
      expect(entry.key).toBe(`runs/tech-weekly-2026-11-23/scrape/${entry.id}.json`);
      expect(story.wordCount).toBe(entry.wordCount);
      expect(story.wordCount).toBeGreaterThanOrEqual(280);
      expect(story.text).not.toMatch(/All rights reserved|Share this story|window\.dataLayer/);
      // Read from the shipped snapshot; the story keeps the canonical link the notes publish.
      expect(story.url).toMatch(/^https:\/\//);
    }
    expect(world.progress[world.progress.length - 1]).toBe(1);
  });

  it("reads a story's snapshot instead of its link, and only inside the config's folder", async () => {
    // Prepare
    const world = await prepareWorld();
    const asked: string[] = [];
    world.deps.providers = {
      ...world.deps.providers,
      fetcher: {
        readsLocalFiles: true,
        fetch: async (url, request) => {
          asked.push(url);
          return exampleFetcher().fetch(url, request);
        },
      },
    };
    // A real page outside the examples folder (the fetch policy's root).
    const dir = mkdtempSync(path.join(os.tmpdir(), 'outside-'));
    writeFileSync(
      path.join(dir, 'page.html'),
      readFileSync(path.join(EXAMPLE_DIR, 'articles', 'meridian-db-5.html'))
    );
    const outside = pathToFileURL(path.join(dir, 'page.html')).href;
    await discovered(world, [
      {
        ...candidate('lumen', 'https://opensourcedigest.example.org/2026/11/18/lumen'),
        snapshotUrl: exampleFileUrl('articles/lumen-140-storage-partitioning.html'),
      },
      {
        ...candidate('meridian', 'https://opensourcedigest.example.org/2026/11/19/meridian'),
        snapshotUrl: exampleFileUrl('articles/meridian-db-5.html'),
      },
      { ...candidate('escape', 'https://evil.example.org/a'), snapshotUrl: outside },
    ]);

    // Act
    const manifest = await runStage(world, scrapeStage);

    // Assess
    expect(asked.every((url) => url.startsWith('file:'))).toBe(true);
    expect(manifest.stories.map((s) => s.id)).toEqual(['lumen', 'meridian']);
    const lumen = world.deps.media.json<ScrapedStory>(manifest.stories[0]!.key);
    expect(lumen.url).toBe('https://opensourcedigest.example.org/2026/11/18/lumen');
    expect(lumen.text).toContain('Lumen');
    expect(manifest.skipped).toEqual([
      { id: 'escape', reason: expect.stringMatching(/outside the podcast config's folder/) },
    ]);
    const skipped = [...world.deps.events.events.values()].find((e) => e.type === 'story.skipped');
    expect(skipped?.detail).toMatchObject({ url: 'https://evil.example.org/a', snapshotUrl: outside });
    rmSync(dir, { recursive: true, force: true });
  });

  it('skips a story whose page is missing or too short, and keeps the rest', async () => {
    const world = await prepareWorld();
    const missing = exampleFileUrl('articles/withdrawn-story.html');
    const short = 'data:text/html,short';
    const shortPage: Fetcher = {
      readsLocalFiles: true,
      fetch: async (url, request): Promise<FetchedDocument> =>
        url === short
          ? {
              url,
              body: Buffer.from('<article><p>Only a teaser paragraph here.</p></article>'),
              contentType: 'text/html',
            }
          : exampleFetcher().fetch(url, request),
    };
    world.deps.providers = { ...world.deps.providers, fetcher: shortPage };
    await discovered(world, [
      candidate('gone', missing),
      candidate('teaser', short),
      candidate('lumen', exampleFileUrl('articles/lumen-140-storage-partitioning.html')),
      candidate('meridian', exampleFileUrl('articles/meridian-db-5.html')),
    ]);

    const manifest = await runStage(world, scrapeStage);

    expect(manifest.stories.map((s) => s.id)).toEqual(['lumen', 'meridian']);
    expect(manifest.skipped).toEqual([
      { id: 'gone', reason: `cannot read ${missing}: no such file` },
      { id: 'teaser', reason: `only 5 words of text at ${short} (at least 80 needed)` },
    ]);
    const skippedEvents = [...world.deps.events.events.values()]
      .filter((e) => e.type === 'story.skipped')
      .sort((a, b) => a.eventKey.localeCompare(b.eventKey));
    expect(skippedEvents.map((e) => [e.eventKey, e.detail?.id, e.detail?.reason])).toEqual([
      ['scrape#001#story.skipped#gone', 'gone', `cannot read ${missing}: no such file`],
      ['scrape#001#story.skipped#teaser', 'teaser', `only 5 words of text at ${short} (at least 80 needed)`],
    ]);
  });

  it('fails when fewer than minStories remain, naming each skipped story, and lets transient-only faults through', async () => {
    const world = await prepareWorld();
    await discovered(world, [
      candidate('gone', exampleFileUrl('articles/nope.html')),
      candidate('lumen', exampleFileUrl('articles/lumen-140-storage-partitioning.html')),
    ]);
    const error = await runCore(scrapeStage, stageInput(world), stageContext(world)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalStageError);
    expect((error as Error).message).toMatch(
      /^only 1 of 2 stories could be scraped \(at least 2 needed\): gone: cannot read .*nope\.html: no such file$/
    );

    const lenient = await prepareWorld({ podcast: loadExamplePodcast({ minStories: 1 }) });
    await discovered(lenient, [
      candidate('gone', exampleFileUrl('articles/nope.html')),
      candidate('lumen', exampleFileUrl('articles/lumen-140-storage-partitioning.html')),
    ]);
    expect((await runStage(lenient, scrapeStage)).stories.map((s) => s.id)).toEqual(['lumen']);

    world.deps.providers = {
      ...world.deps.providers,
      fetcher: {
        readsLocalFiles: false,
        fetch: async () => {
          throw new RetryableStageError('GET https://x.example/ failed: HTTP 503');
        },
      },
    };
    await expect(runCore(scrapeStage, stageInput(world), stageContext(world))).rejects.toThrow(
      RetryableStageError
    );
  });

  it('rejects an input without the discover manifest, naming the field', () => {
    const result = scrapeStage.inputSchema.safeParse({
      runId: 'r',
      podcastId: 'p',
      stages: { prepare: undefined },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['stages.prepare', 'stages.discover'])
    );
  });
});
