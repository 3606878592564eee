/**
 * Story memory in discover: earlier episodes' records (in the episodes fake) keep discover from
 * choosing their stories again, unless a feed marks one updated; with nothing new left, the
 * manifest asks for the run to be skipped. Also the update dates the feed parser reads.
 */
import { discoverStage } from '../../../stages/discover/discover';
import { parseFeed } from '../../../stages/discover/feed-parser';
import type { StoryCandidate } from '../../../stages/shared/content-types';
import type { EpisodeRecord } from '../../../stages/shared/ports';
import type { Fetcher } from '../../../stages/shared/providers';
import { coveredStory } from '../../../stages/shared/story-memory';
import type { FakeDeps } from '../../fakes/fake-deps';
import { exampleFetcher } from '../../fixtures/example-fetch-policy';
import { loadExamplePodcast, prepareWorld, runStage } from './content-fixtures';

/** An earlier episode's record holding these stories (everything else as publish would write it). */
async function publishedEarlier(deps: FakeDeps, date: string, stories: readonly StoryCandidate[]) {
  const record: EpisodeRecord = {
    podcastId: 'tech-weekly',
    episodeId: date,
    guid: `guid-${date}`,
    runId: `tech-weekly-${date}`,
    title: `Episode ${date}`,
    description: 'An earlier episode.',
    publishedAt: `${date}T00:00:00.000Z`,
    durationSeconds: 180,
    media: { url: 'https://cdn.example/e.mp3', key: 'e.mp3', bytes: 1, type: 'audio/mpeg' },
    imageUrl: 'https://cdn.example/c.png',
    notesHtml: '<p>notes</p>',
    stories: stories.map(coveredStory),
  };
  await deps.episodes.putOnce(record);
}

/** The candidates discover ranks for the example on its date, all of them (no memory). */
async function allCandidates(): Promise<StoryCandidate[]> {
  const world = await prepareWorld({ podcast: loadExamplePodcast({ maxStories: 20 }) });
  const manifest = await runStage(world, discoverStage);
  return world.deps.media.json<StoryCandidate[]>(manifest.storiesKey);
}

describe('discover with story memory (the example feeds, 2026-11-23)', () => {
  it('leaves out the stories an earlier episode covered and picks the next ones', async () => {
    // Prepare
    const candidates = await allCandidates();
    expect(candidates).toHaveLength(7);
    const world = await prepareWorld();
    await publishedEarlier(world.deps, '2026-11-22', candidates.slice(0, 3));

    // Act
    const manifest = await runStage(world, discoverStage);

    // Assess
    expect(manifest.storyIds).toEqual(candidates.slice(3, 7).map((s) => s.id));
    expect(manifest).toMatchObject({ candidates: 7, covered: 3 });
    expect(manifest.skipRun).toBeUndefined();
  });

  it('asks to skip the run, with the reason, when every candidate was covered', async () => {
    const candidates = await allCandidates();
    const world = await prepareWorld();
    await publishedEarlier(world.deps, '2026-11-21', candidates.slice(0, 4));
    await publishedEarlier(world.deps, '2026-11-22', candidates.slice(4));

    const manifest = await runStage(world, discoverStage);

    expect(manifest).toMatchObject({
      storyIds: [],
      candidates: 7,
      covered: 7,
      skipRun: { reason: 'no new stories: all 7 candidates were covered in episodes 2026-11-21, 2026-11-22' },
    });
    expect(world.deps.media.json<StoryCandidate[]>(manifest.storiesKey)).toEqual([]);
  });

  it('asks to skip the run when story memory leaves fewer new stories than minStories', async () => {
    const candidates = await allCandidates();
    const world = await prepareWorld({ podcast: loadExamplePodcast({ minStories: 2 }) });
    await publishedEarlier(world.deps, '2026-11-22', candidates.slice(0, 6));

    const manifest = await runStage(world, discoverStage);

    expect(manifest).toMatchObject({
      storyIds: [candidates[6]?.id],
      covered: 6,
      skipRun: {
        reason:
          'only 1 new story, fewer than minStories 2: the other 6 candidates were covered in episode 2026-11-22',
      },
    });
  });

  it("ignores the record of this run's own date (a rerun is not affected by its own episode)", async () => {
    const candidates = await allCandidates();
    const world = await prepareWorld();
    await publishedEarlier(world.deps, '2026-11-23', candidates);
    await publishedEarlier(world.deps, '2026-11-30', candidates);

    const manifest = await runStage(world, discoverStage);

    expect(manifest.storyIds).toEqual(candidates.slice(0, 4).map((s) => s.id));
    expect(manifest.covered).toBe(0);
  });

  it('chooses a covered story again once its feed marks it updated after the covering episode', async () => {
    // Prepare: every candidate covered on 2026-11-22. Halvorsen's Tern entry says
    // <published>2026-11-21T11:30</published> <updated>2026-11-21T14:05</updated>: seen then.
    const candidates = await allCandidates();
    const tern = candidates.find((s) => s.title.startsWith('Halvorsen'));
    expect(tern?.updatedAt).toBe('2026-11-21T14:05:00.000Z');
    // (A one-story episode is allowed: fewer new stories than minStories would skip the run.)
    const podcast = loadExamplePodcast({ minStories: 1 });
    const unchanged = await prepareWorld({ podcast });
    await publishedEarlier(unchanged.deps, '2026-11-22', candidates);
    // The same feeds, except that The Silicon Ledger now marks the Tern entry updated on 11-23.
    const updated = await prepareWorld({
      podcast,
      fetcher: rewritingFetcher(
        '<updated>2026-11-21T14:05:00Z</updated>',
        '<updated>2026-11-23T06:00:00Z</updated>'
      ),
    });
    await publishedEarlier(updated.deps, '2026-11-22', candidates);

    // Act
    const stillCovered = await runStage(unchanged, discoverStage);
    const chosenAgain = await runStage(updated, discoverStage);

    // Assess
    expect(stillCovered).toMatchObject({ storyIds: [], covered: 7 });
    expect(stillCovered.skipRun?.reason).toBe(
      'no new stories: all 7 candidates were covered in episode 2026-11-22'
    );
    expect(chosenAgain).toMatchObject({ storyIds: [tern?.id], covered: 6 });
    expect(chosenAgain.skipRun).toBeUndefined();
  });
});

/** The example's fetcher, with one text replaced in every feed it reads (the pages are left alone). */
function rewritingFetcher(from: string, to: string): Fetcher {
  const real = exampleFetcher();
  return {
    readsLocalFiles: real.readsLocalFiles,
    async fetch(url, request) {
      const fetched = await real.fetch(url, request);
      if (!url.endsWith('.xml')) return fetched;
      const body = fetched.body.toString('utf8');
      expect(body.includes(from) || !url.includes('silicon-ledger')).toBe(true);
      return { ...fetched, body: Buffer.from(body.replace(from, to)) };
    },
  };
}

describe('update dates in feeds', () => {
  const FEED_URL = 'https://news.example.com/feed.xml';

  it('reads Atom <updated> after <published>, and not an <updated> equal to it', () => {
    const feed = parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
        <entry><title>A</title><link href="https://news.example.com/a"/>
          <published>2026-11-20T10:00:00Z</published><updated>2026-11-22T08:30:00Z</updated></entry>
        <entry><title>B</title><link href="https://news.example.com/b"/>
          <published>2026-11-20T10:00:00Z</published><updated>2026-11-20T10:00:00Z</updated></entry>
        <entry><title>C</title><link href="https://news.example.com/c"/>
          <updated>2026-11-21T10:00:00Z</updated></entry>
      </feed>`,
      FEED_URL
    );

    expect(feed.items.map((i) => [i.title, i.publishedAt, i.updatedAt])).toEqual([
      ['A', '2026-11-20T10:00:00.000Z', '2026-11-22T08:30:00.000Z'],
      ['B', '2026-11-20T10:00:00.000Z', undefined],
      // Only <updated>: it is the entry's date, not an update of it.
      ['C', '2026-11-21T10:00:00.000Z', undefined],
    ]);
  });

  it('reads RSS atom:updated, dc:modified, dcterms:modified and a dc:date beside the pubDate, the latest one', () => {
    const item = (title: string, extra: string) =>
      `<item><title>${title}</title><link>https://news.example.com/${title}</link>` +
      `<pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate>${extra}</item>`;
    const feed = parseFeed(
      `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
        xmlns:dcterms="http://purl.org/dc/terms/"><channel><title>T</title>
        ${item('a', '<atom:updated>2026-11-21T09:00:00Z</atom:updated>')}
        ${item('b', '<dc:modified>2026-11-22T09:00:00Z</dc:modified><dcterms:modified>2026-11-23T09:00:00Z</dcterms:modified>')}
        ${item('c', '<dc:date>2026-11-24T09:00:00Z</dc:date>')}
        ${item('d', '<atom:updated>not a date</atom:updated>')}
        ${item('e', '<dc:modified>2026-11-19T09:00:00Z</dc:modified>')}
      </channel></rss>`,
      FEED_URL
    );

    expect(feed.items.map((i) => [i.title, i.updatedAt])).toEqual([
      ['a', '2026-11-21T09:00:00.000Z'],
      ['b', '2026-11-23T09:00:00.000Z'],
      ['c', '2026-11-24T09:00:00.000Z'],
      ['d', undefined],
      // Before the publication: not an update.
      ['e', undefined],
    ]);
  });

  it('takes a lone dc:date as the publication date', () => {
    const feed = parseFeed(
      `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>
        <item><title>x</title><link>https://news.example.com/x</link><dc:date>2026-11-21T09:00:00Z</dc:date></item>
      </channel></rss>`,
      FEED_URL
    );

    expect(feed.items[0]).toMatchObject({ publishedAt: '2026-11-21T09:00:00.000Z' });
    expect(feed.items[0]?.updatedAt).toBeUndefined();
  });
});
