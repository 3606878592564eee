import { runCore } from '../../helpers/run-core';
import { discoverStage } from '../../../stages/discover/discover';
import { parseFeed, resolveLink } from '../../../stages/discover/feed-parser';
import { identityUrl, normaliseUrl, rankStories, recencyScore } from '../../../stages/discover/story-ranking';
import type { PodcastConfig } from '../../../stages/shared/config-schema';
import type { StoryCandidate } from '../../../stages/shared/content-types';
import { FatalStageError, RetryableStageError } from '../../../stages/shared/errors';
import type { FetchedDocument, Fetcher } from '../../../stages/shared/providers';
import {
  exampleFileUrl,
  loadExamplePodcast,
  prepareWorld,
  runStage,
  stageContext,
  stageInput,
} from './content-fixtures';

/** A Fetcher over a map of URL -> body (anything else is a missing file). */
class MapFetcher implements Fetcher {
  readonly readsLocalFiles = false;
  readonly calls: string[] = [];
  constructor(private readonly bodies: Record<string, string | Error>) {}
  async fetch(url: string): Promise<FetchedDocument> {
    this.calls.push(url);
    const body = this.bodies[url];
    if (body instanceof Error) throw body;
    if (body === undefined) throw new FatalStageError(`cannot read ${url}: no such file`);
    return { url, body: Buffer.from(body), contentType: 'application/xml' };
  }
}

const FEED_URL = 'https://news.example.com/feeds/main.xml';

function rss(items: string): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Main</title>${items}</channel></rss>`;
}

function item(title: string, link: string, date?: string, description = 'A story.'): string {
  return `<item><title>${title}</title><link>${link}</link>${date ? `<pubDate>${date}</pubDate>` : ''}<description>${description}</description></item>`;
}

function onePodcast(overrides: Partial<PodcastConfig> = {}): PodcastConfig {
  return loadExamplePodcast({
    sources: [{ id: 'main', name: 'Main News', feedUrl: FEED_URL, weight: 1 }],
    topics: [],
    maxStories: 10,
    ...overrides,
  });
}

describe('discover with the shipped example feeds', () => {
  it('ranks, dedupes, drops the future item and keeps the top four', async () => {
    // Prepare
    const world = await prepareWorld();

    // Act
    const manifest = await runStage(world, discoverStage);

    // Assess
    const stories = world.deps.media.json<StoryCandidate[]>(manifest.storiesKey);
    expect(manifest.storiesKey).toBe('runs/tech-weekly-2026-11-23/discover/stories.json');
    expect(manifest.candidates).toBe(7); // 9 items, 1 dated after the episode, 1 duplicate
    expect(stories.map((s) => s.id)).toEqual(manifest.storyIds);
    expect(stories).toHaveLength(4);
    expect(stories.map((s) => s.title)).not.toContain(
      'Lattice Photonics demonstrates optical links between processor chiplets'
    );
    const scores = stories.map((s) => s.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    // The QuillMQ story is in both feeds: one story, credited to the feed that published it first.
    const quill = stories.filter((s) => /QuillMQ/i.test(s.title));
    expect(quill).toHaveLength(1);
    expect(quill[0]?.sourceId).toBe('open-source-digest');
    // The Silicon Ledger's copy links the same page with tracking parameters: one canonical URL.
    expect(quill[0]?.url).toBe('https://opensourcedigest.example.org/2026/11/20/quillmq-license-change');
    expect(quill[0]?.snapshotUrl).toBe(exampleFileUrl('articles/quillmq-license-change.html'));

    // Every story keeps its canonical https:// link, and is read from the snapshot shipped next to
    // the feed; HTML and entities in descriptions become plain text.
    for (const story of stories) {
      expect(story.url).toMatch(
        /^https:\/\/(opensourcedigest\.example\.org|siliconledger\.example\.com)\/2026\//
      );
      expect(story.snapshotUrl?.startsWith(exampleFileUrl('articles/'))).toBe(true);
    }
    const tern = stories.find((s) => s.title.startsWith('Halvorsen'));
    expect(tern?.snippet).toBe(
      'The 3-nanometer chip targets cloud servers in 2027 with 40% better performance per watt.'
    );
    expect(world.progress.length).toBeGreaterThan(0);
  });

  it('gives stories stable ids: the same feeds twice give the same ids and scores', async () => {
    const first = await prepareWorld();
    const second = await prepareWorld({ runId: 'another-run' });
    const a = await runStage(first, discoverStage);
    const b = await runStage(second, discoverStage);
    expect(b.storyIds).toEqual(a.storyIds);
    expect(second.deps.media.text(b.storiesKey)).toBe(first.deps.media.text(a.storiesKey));
    for (const id of a.storyIds) expect(id).toMatch(/^(open-source-digest|silicon-ledger)-[0-9a-f]{10}$/);
  });
});

describe('discover ranking rules', () => {
  it('prefers recent items, then topic matches, and weights sources', () => {
    const source = { id: 'a', name: 'A', feedUrl: FEED_URL, weight: 1 };
    const heavy = { ...source, id: 'b', name: 'B', weight: 3 };
    const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`;
    const items = [
      {
        source,
        item: { title: 'Old gardening tips', url: 'https://x.example/1', publishedAt: at(10), snippet: '' },
      },
      {
        source,
        item: { title: 'Fresh gardening tips', url: 'https://x.example/2', publishedAt: at(22), snippet: '' },
      },
      {
        source,
        item: {
          title: 'Browser privacy update',
          url: 'https://x.example/3',
          publishedAt: at(19),
          snippet: '',
        },
      },
      {
        source: heavy,
        item: {
          title: 'Weighted gardening tips',
          url: 'https://y.example/4',
          publishedAt: at(19),
          snippet: '',
        },
      },
    ];
    const { ranked } = rankStories(items, '2026-11-23', ['browser', 'privacy']);
    expect(ranked.map((s) => s.title)).toEqual([
      'Weighted gardening tips',
      'Browser privacy update',
      'Fresh gardening tips',
      'Old gardening tips',
    ]);
    expect(recencyScore(at(24), '2026-11-23')).toBeUndefined();
    expect(recencyScore('2026-11-23T23:00:00.000Z', '2026-11-23')).toBeGreaterThan(0.98);
    expect(recencyScore(undefined, '2026-11-23')).toBeGreaterThan(0);
  });

  it('treats tracking parameters, fragments, trailing slashes and near-identical titles as duplicates', async () => {
    expect(normaliseUrl('https://News.Example.com/a/b/?utm_source=x&id=2&fbclid=9#top')).toBe(
      'https://news.example.com/a/b?id=2'
    );
    const world = await prepareWorld({
      podcast: onePodcast(),
      fetcher: new MapFetcher({
        [FEED_URL]: rss(
          item('Chip maker ships new processor', '../a/chip.html', 'Sun, 22 Nov 2026 09:00:00 GMT') +
            item(
              'Chip maker ships new processor',
              '../a/chip.html?utm_campaign=feed#comments',
              'Sun, 22 Nov 2026 08:00:00 GMT'
            ) +
            item(
              'Chip Maker Ships New Processor!',
              'https://mirror.example.org/chip',
              'Sun, 22 Nov 2026 11:00:00 GMT'
            ) +
            item('A different story about databases', '/b/db.html', 'Sat, 21 Nov 2026 09:00:00 GMT')
        ),
      }),
    });
    const manifest = await runStage(world, discoverStage);
    const stories = world.deps.media.json<StoryCandidate[]>(manifest.storiesKey);
    expect(stories.map((s) => s.url)).toEqual([
      'https://news.example.com/a/chip.html',
      'https://news.example.com/b/db.html',
    ]);
    expect(manifest.candidates).toBe(2);
  });

  it('keeps items without a date, behind dated recent ones', async () => {
    const world = await prepareWorld({
      podcast: onePodcast(),
      fetcher: new MapFetcher({
        [FEED_URL]: rss(
          item('Undated explainer on compilers', 'https://x.example/u') +
            item('Dated news on compilers', 'https://x.example/d', 'Sun, 22 Nov 2026 09:00:00 GMT')
        ),
      }),
    });
    const manifest = await runStage(world, discoverStage);
    const stories = world.deps.media.json<StoryCandidate[]>(manifest.storiesKey);
    expect(stories.map((s) => s.title)).toEqual([
      'Dated news on compilers',
      'Undated explainer on compilers',
    ]);
    expect(stories[1]?.publishedAt).toBeUndefined();
  });
});

describe('feed parsing', () => {
  it('reads Atom entries: html titles, alternate links, published or updated dates', () => {
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
      <entry><title type="html">Rust &lt;b&gt;2.0&lt;/b&gt; &amp;amp; more</title>
        <link rel="replies" href="/comments/1"/><link href="posts/1.html"/>
        <updated>2026-11-20T10:00:00Z</updated><content type="html">&lt;p&gt;Big&amp;nbsp;news&lt;/p&gt;</content></entry>
      <entry><title>No link here</title><updated>2026-11-20T10:00:00Z</updated></entry></feed>`;
    const feed = parseFeed(atom, 'https://blog.example.com/feed/atom.xml');
    expect(feed.kind).toBe('atom');
    expect(feed.items).toEqual([
      {
        title: 'Rust 2.0 & more',
        url: 'https://blog.example.com/feed/posts/1.html',
        publishedAt: '2026-11-20T10:00:00.000Z',
        snippet: 'Big news',
      },
    ]);
  });

  it('neither expands nested entities (billion laughs) nor reads external ones', () => {
    const levels = Array.from({ length: 8 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join(
      ''
    );
    const bomb = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lollollol">${levels}]>${rss(item('&l8;', 'https://a.example/x')).replace('<?xml version="1.0"?>', '')}`;
    const parsed = parseFeed(bomb, FEED_URL);
    expect(parsed.items[0]?.title.length ?? 0).toBeLessThan(1000);
    const external = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${rss(item('&x;', 'https://a.example/y')).replace('<?xml version="1.0"?>', '')}`;
    expect(() => parseFeed(external, FEED_URL)).toThrow(/External entities are not supported/);
  });

  it('bounds the work a hostile item can cause (HTML that costs quadratic time, endless items)', () => {
    // 200 KB of unclosed comments would take seconds in htmlToText; a snippet needs only the start.
    const slow = `<![CDATA[<p>Real text first.</p>${'<!--'.repeat(50_000)}]]>`;
    const started = Date.now();
    const feed = parseFeed(
      rss(item(`Long ${'&lt;b '.repeat(50_000)}`, 'https://a.example/1', undefined, slow)),
      FEED_URL
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(feed.items[0]?.snippet).toMatch(/^Real text first\./);
    expect(feed.items[0]?.title.length).toBeLessThan(2000);
    const many = parseFeed(
      rss(Array.from({ length: 2000 }, (_, i) => item(`Story ${i}`, `https://a.example/${i}`)).join('')),
      FEED_URL
    );
    expect(many.items).toHaveLength(500);
    expect(many.items[0]?.title).toBe('Story 0');
  });

  it('keeps what a hostile feed can put into events short: no giant links, no giant parse errors', () => {
    // A 100 KB link or tag name would travel into story.skipped / source.skipped events, the stage
    // manifest and the run record (DynamoDB items stop at 400 KB, Step Functions payloads at 256 KB).
    const long = 'a'.repeat(100_000);
    const feed = parseFeed(
      rss(item('Long link', `https://x.example/${long}`) + item('Fine', 'https://x.example/ok')),
      FEED_URL
    );
    expect(feed.items.map((i) => i.url)).toEqual(['https://x.example/ok']);
    expect(resolveLink(`/${long}`, FEED_URL)).toBeUndefined();
    for (const xml of [
      `<rss><channel><${long}></b></channel></rss>`,
      `<rss><channel><item ${long}></item></channel></rss>`,
    ]) {
      let message = '';
      try {
        parseFeed(xml, FEED_URL);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^malformed XML \(/);
      expect(message.length).toBeLessThan(400);
    }
  });

  it('reads RSS with CDATA descriptions and tolerates a bad date', () => {
    const feed = parseFeed(
      rss(
        item(
          'Hello',
          'story.html',
          'not a date',
          '<![CDATA[<p>One &amp; <em>two</em></p><script>x()</script>]]>'
        )
      ),
      FEED_URL
    );
    expect(feed.items).toEqual([
      { title: 'Hello', url: 'https://news.example.com/feeds/story.html', snippet: 'One & two' },
    ]);
  });
});

describe('discover failures', () => {
  it('names the source and URL when a feed cannot be read or parsed', async () => {
    const unreadable = await prepareWorld({ podcast: onePodcast(), fetcher: new MapFetcher({}) });
    const error = await runCore(discoverStage, stageInput(unreadable), stageContext(unreadable)).catch(
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(FatalStageError);
    expect((error as Error).message).toBe(
      `no source feed could be read (1 tried): source "main": cannot read the feed ${FEED_URL}: cannot read ${FEED_URL}: no such file`
    );

    const html = await prepareWorld({
      podcast: onePodcast(),
      fetcher: new MapFetcher({ [FEED_URL]: '<html><body><p>Not a feed</p></body></html>' }),
    });
    await expect(runCore(discoverStage, stageInput(html), stageContext(html))).rejects.toThrow(
      `source "main": cannot parse the feed ${FEED_URL}: neither an RSS 2.0`
    );

    const broken = await prepareWorld({
      podcast: onePodcast(),
      fetcher: new MapFetcher({ [FEED_URL]: '<rss><channel><item>' }),
    });
    await expect(runCore(discoverStage, stageInput(broken), stageContext(broken))).rejects.toThrow(
      /cannot parse the feed \S+: malformed XML/
    );
  });

  it('tries a transient failure a few times, then lets it through for the stage retry when no feed is left', async () => {
    const fetcher = new MapFetcher({ [FEED_URL]: new RetryableStageError('GET feed failed: HTTP 503') });
    const world = await prepareWorld({ podcast: onePodcast(), fetcher });
    await expect(runCore(discoverStage, stageInput(world), stageContext(world))).rejects.toThrow(
      RetryableStageError
    );
    expect(fetcher.calls).toEqual([FEED_URL, FEED_URL, FEED_URL]);
  });

  it('skips a feed that cannot be read while another delivers, with a source.skipped event', async () => {
    const other = 'https://other.example.com/rss.xml';
    const world = await prepareWorld({
      podcast: onePodcast({
        sources: [
          { id: 'main', name: 'Main News', feedUrl: FEED_URL, weight: 1 },
          { id: 'other', name: 'Other', feedUrl: other, weight: 1 },
        ],
      }),
      fetcher: new MapFetcher({
        [other]: rss(
          item('Compilers get faster', 'https://other.example.com/c', 'Sun, 22 Nov 2026 09:00:00 GMT')
        ),
      }),
    });
    const manifest = await runStage(world, discoverStage);
    expect(manifest.storyIds).toHaveLength(1);
    expect(manifest.skippedSources).toEqual([
      { id: 'main', reason: `cannot read the feed ${FEED_URL}: cannot read ${FEED_URL}: no such file` },
    ]);
    const events = [...world.deps.events.events.values()].filter((e) => e.type === 'source.skipped');
    expect(events).toEqual([
      expect.objectContaining({
        stage: 'discover',
        detail: expect.objectContaining({ id: 'main', feedUrl: FEED_URL }),
      }),
    ]);
  });

  it("never resolves a link in an http(s) feed to file:, and keeps a local feed's relative links local", () => {
    const hostile = rss(
      item('Passwords', 'file:///etc/passwd') +
        item('Environ', 'file:///proc/self/environ') +
        item('Fine', 'https://ok.example/a')
    );
    expect(parseFeed(hostile, FEED_URL).items.map((i) => i.url)).toEqual(['https://ok.example/a']);
    const local = parseFeed(rss(item('Local', '../articles/a.html')), 'file:///podcasts/show/feeds/main.xml');
    expect(local.items.map((i) => i.url)).toEqual(['file:///podcasts/show/articles/a.html']);
    expect(
      parseFeed(
        rss(item('Remote host', 'file://evil.example/share/a.html')),
        'file:///podcasts/show/feeds/main.xml'
      ).items
    ).toEqual([]);
  });

  it("takes a local feed's snapshot of a page, and only a local feed's, only as a local path", () => {
    const ns = 'xmlns:local="urn:podcast-platform:local-snapshot"';
    const withSnapshot = (href: string, link = 'https://news.example.org/a') =>
      `<item><title>A</title><link>${link}</link><local:snapshot href="${href}"/></item>`;
    const feed = (items: string, declaration = ns) =>
      `<?xml version="1.0"?><rss version="2.0" ${declaration}><channel><title>Main</title>${items}</channel></rss>`;
    const local = 'file:///podcasts/show/feeds/main.xml';

    expect(parseFeed(feed(withSnapshot('../articles/a.html')), local).items).toEqual([
      {
        title: 'A',
        url: 'https://news.example.org/a',
        snapshotUrl: 'file:///podcasts/show/articles/a.html',
        snippet: '',
      },
    ]);
    // Atom, the namespace bound to another prefix.
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:snap="urn:podcast-platform:local-snapshot"><title>T</title><entry><title>B</title><link href="https://news.example.org/b"/><snap:snapshot href="b.html"/></entry></feed>`;
    expect(parseFeed(atom, local).items[0]?.snapshotUrl).toBe('file:///podcasts/show/feeds/b.html');
    // Ignored: in an http(s) feed, under an undeclared or foreign prefix, pointing off the machine.
    expect(parseFeed(feed(withSnapshot('../articles/a.html')), FEED_URL).items[0]).not.toHaveProperty(
      'snapshotUrl'
    );
    expect(
      parseFeed(feed(withSnapshot('a.html'), 'xmlns:local="urn:other"'), local).items[0]
    ).not.toHaveProperty('snapshotUrl');
    for (const href of [
      'https://evil.example/a.html',
      'file://evil.example/share/a.html',
      'javascript:alert(1)',
    ])
      expect([href, parseFeed(feed(withSnapshot(href)), local).items[0]?.snapshotUrl]).toEqual([
        href,
        undefined,
      ]);
    // An item needs its own link: a snapshot alone is not a story.
    expect(parseFeed(feed(withSnapshot('a.html', '')), local).items).toEqual([]);
  });

  it('fails with a clear reason when every item is dated after the episode', async () => {
    const world = await prepareWorld({
      podcast: onePodcast(),
      fetcher: new MapFetcher({
        [FEED_URL]: rss(item('Tomorrow', 'https://x.example/t', 'Tue, 24 Nov 2026 09:00:00 GMT')),
      }),
    });
    await expect(runCore(discoverStage, stageInput(world), stageContext(world))).rejects.toThrow(
      'no stories for tech-weekly on 2026-11-23: 1 item(s) read from 1 feed(s), 1 dated after 2026-11-23, 0 duplicate(s)'
    );
  });

  it('rejects an input without the prepare manifest, naming the field', () => {
    const result = discoverStage.inputSchema.safeParse({ runId: 'r', podcastId: 'p', stages: {} });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['stages', 'prepare']);
  });
});

describe('story identity', () => {
  it('keeps a local feed’s story ids when the podcast folder moves, and uses the URL otherwise', () => {
    expect(identityUrl('file:///home/a/show/articles/x.html', 'file:///home/a/show/feeds/main.xml')).toBe(
      'file:../articles/x.html'
    );
    expect(
      identityUrl('file:///tmp/run-9f2/show/articles/x.html', 'file:///tmp/run-9f2/show/feeds/main.xml')
    ).toBe('file:../articles/x.html');
    expect(identityUrl('file:///srv/show/feeds/x.html', 'file:///srv/show/feeds/main.xml')).toBe(
      'file:x.html'
    );
    expect(identityUrl('https://news.example.com/a', 'file:///srv/show/feeds/main.xml')).toBe(
      'https://news.example.com/a'
    );
    expect(identityUrl('https://news.example.com/a', 'https://news.example.com/feed.xml')).toBe(
      'https://news.example.com/a'
    );
  });
});
