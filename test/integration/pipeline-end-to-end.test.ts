/**
 * End to end: the example podcast through the monolithic engine, on the embedded local DynamoDB
 * and S3 servers, exactly as `npm start` runs it; the records read back from local DynamoDB; then
 * parity: the same input through the committed state machine on the local runner (ECS stages as
 * processes) gives the same script, GUID, feed entry and event types per stage.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseFeed } from 'podcast-partytime';
import Parser from 'rss-parser';
import { podcastGuid } from '../../stages/feed/podcast-guid';
import { startLocalServers } from '../../containers/orchestrator/local/local-servers';
import { createAwsPersistence } from '../../stages/shared/adapters/aws/create-aws-persistence';
import { artifactKeys } from '../../stages/shared/artifact-keys';
import { showCoverKey } from '../../stages/shared/public-urls';
import { probe } from '../helpers/ffprobe';
import { EXAMPLE_DIR, runCli } from '../helpers/run-cli';

jest.setTimeout(240_000);

let work: string;
const podcastFile = path.join(EXAMPLE_DIR, 'podcast.json');
const runFile = path.join(EXAMPLE_DIR, 'run.json');
const args = (dir: string) => [
  '--podcast',
  podcastFile,
  runFile,
  '--data-dir',
  path.join(dir, 'data'),
  '--output-dir',
  path.join(dir, 'out'),
  '--json',
];

const RUN_ID = 'tech-weekly-2026-11-23';

interface ModeOutcome {
  code: number;
  scriptText: string;
  guid: string | undefined;
  feedItem: Record<string, unknown>;
  eventTypesByStage: Record<string, string[]>;
}

/** What a finished run left in a data dir: the script, GUID, feed entry and event types per stage. */
async function readOutcome(dataDir: string): Promise<Omit<ModeOutcome, 'code'>> {
  const servers = await startLocalServers({ dataDir, quiet: true });
  try {
    const db = createAwsPersistence(servers.env);
    const run = await db.runs.get(RUN_ID);
    const review = await db.media.get(artifactKeys.checkpoint(RUN_ID, 'review'));
    const { output } = JSON.parse(review!.body.toString('utf8')) as { output: { textKey: string } };
    const scriptText = (await db.media.get(output.textKey))!.body.toString('utf8');
    const feedXml = (await db.feeds.get(artifactKeys.feed('tech-weekly')))!.body.toString('utf8');
    const feed = await new Parser().parseString(feedXml);
    const { title, guid, pubDate, content, ...item } = feed.items[0]!;
    // The version folder is derived from the files' bytes, and eSpeak's audio is not byte-stable
    // from one process to the next (its length is): the rest of the enclosure URL must match.
    const enclosure = {
      ...item.enclosure,
      url: item.enclosure?.url.replace(
        /\/episodes\/2026-11-23\/[0-9a-f]{16}\//,
        '/episodes/2026-11-23/<version>/'
      ),
    };
    const eventTypesByStage: Record<string, string[]> = {};
    for (const event of await db.events.list(RUN_ID)) {
      const key = event.stage ?? 'run';
      eventTypesByStage[key] = [...new Set([...(eventTypesByStage[key] ?? []), event.type])].sort();
    }
    return {
      scriptText,
      guid: run?.guid,
      feedItem: { title, guid, pubDate, enclosure, content },
      eventTypesByStage,
    };
  } finally {
    await servers.stop();
  }
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'monolithic-e2e-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('monolithic run of the example podcast', () => {
  let first: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    first = await runCli(args(work));
  });

  it('publishes an episode and prints one JSON line per event', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const lines = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(lines.at(-1)).toMatchObject({ type: 'result', status: 'succeeded', episodeId: '2026-11-23' });
    expect(lines.map((l) => l.type)).toEqual(
      expect.arrayContaining(['run.started', 'stage.started', 'stage.succeeded', 'run.succeeded'])
    );
  });

  it('writes an MP3 of at least 60 s, a feed a podcast parser reads, chapters and a WebVTT transcript', async () => {
    const dir = path.join(work, 'out', 'tech-weekly', '2026-11-23');
    const mp3 = await readFile(path.join(dir, 'episode.mp3'));
    expect((mp3.length * 8) / 96_000).toBeGreaterThan(60); // CBR 96 kbps (plus the ID3 tag)
    // An independent reader sees one 96 kbps channel, the episode's tags and the notes' chapters.
    const probed = probe(path.join(dir, 'episode.mp3'));
    expect(Number(probed.format.duration)).toBeGreaterThan(60);
    expect(probed.streams.find((s) => s.codec_type === 'audio')).toMatchObject({
      channels: 1,
      bit_rate: '96000',
    });
    expect(probed.format.tags).toMatchObject({ album: 'Tech Weekly', date: '2026-11-23', track: '1' });
    const feed = await new Parser().parseString(
      await readFile(path.join(work, 'out', 'tech-weekly', 'feed.xml'), 'utf8')
    );
    const item = feed.items[0]!;
    expect(item.enclosure).toMatchObject({ type: 'audio/mpeg', length: String(mp3.length) });
    // Under the episode's version folder (16 hex digits derived from its files' bytes).
    expect(item.enclosure?.url).toMatch(
      /^https:\/\/podcasts\.example\.com\/tech-weekly\/episodes\/2026-11-23\/[0-9a-f]{16}\/episode\.mp3$/
    );
    expect(item.guid).toMatch(/^[0-9a-f-]{36}$/);
    expect((item as unknown as { itunes: { duration: string } }).itunes.duration).toMatch(/^00:0[1-9]:\d\d$/);
    const chapters = JSON.parse(await readFile(path.join(dir, 'chapters.json'), 'utf8')) as {
      chapters: { startTime: number; title: string }[];
    };
    expect(chapters.chapters.length).toBeGreaterThanOrEqual(3);
    expect(probed.chapters.map((c) => [c.tags?.title, Number(c.start_time)])).toEqual(
      chapters.chapters.map((c) => [c.title, c.startTime])
    );
    const vtt = await readFile(path.join(dir, 'transcript.vtt'), 'utf8');
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    const voices = new Set([...vtt.matchAll(/<v ([^>]+)>/g)].map((m) => m[1]));
    expect(voices).toEqual(new Set(['Ava', 'Ben']));
  });

  it('publishes a feed a Podcasting 2.0 parser (podcast-partytime) reads: owner, lock, people, transcript, chapters, links', async () => {
    const out = path.join(work, 'out', 'tech-weekly');
    const xml = await readFile(path.join(out, 'feed.xml'), 'utf8');
    const feed = parseFeed(xml);
    const base = 'https://podcasts.example.com/tech-weekly';

    expect(feed).not.toBeNull();
    expect(feed!.owner).toEqual({ name: 'Tech Weekly', email: 'podcasts@example.com' });
    expect(feed!.locked).toBe(true);
    expect(feed!.podcastOwner).toBe('podcasts@example.com');
    expect(feed!.podcastPeople).toEqual([
      { name: 'Ava', role: 'Host', group: 'Cast' },
      { name: 'Ben', role: 'Co-Host', group: 'Cast' },
    ]);
    expect(feed!.guid).toBe(podcastGuid(`${base}/feed.xml`));
    expect(feed!.pc20support).toMatchObject({
      1: expect.arrayContaining(['locked', 'transcript', 'chapters']),
      2: expect.arrayContaining(['person']),
      3: expect.arrayContaining(['guid']),
    });
    expect(feed!.itunesCategory).toEqual(['Technology']);
    // The channel image is the show's own cover (drawn from the title), not the episode's.
    expect(feed!.itunesImage).toMatch(new RegExp(`^${base}/cover-[0-9a-f]{16}\\.png$`));
    expect(feed!.image?.url).toBe(feed!.itunesImage);

    const item = feed!.items[0]!;
    // Every URL of the item is in the episode's version folder, the enclosure's.
    const episode = item.enclosure.url.slice(0, item.enclosure.url.lastIndexOf('/'));
    expect(episode).toMatch(new RegExp(`^${base}/episodes/2026-11-23/[0-9a-f]{16}$`));
    expect(item.link).toBe(`${episode}/notes.html`);
    expect(item.itunesImage).toBe(`${episode}/cover.png`);
    expect(item.podcastTranscripts).toEqual([
      { url: `${episode}/transcript.vtt`, type: 'text/vtt', language: 'en-us' },
    ]);
    expect(item.podcastChapters).toEqual({
      url: `${episode}/chapters.json`,
      type: 'application/json+chapters',
    });

    // Every story the episode covers is linked by its canonical https:// URL in the notes page,
    // the item's description and its content; nothing links a local file.
    const notes = await readFile(path.join(out, '2026-11-23', 'notes.html'), 'utf8');
    const links = [...notes.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThanOrEqual(2);
    for (const link of links) {
      expect(link).toMatch(/^https:\/\/(opensourcedigest\.example\.org|siliconledger\.example\.com)\/2026\//);
      expect(item.description).toContain(link);
      expect(item.content).toContain(`href="${link}"`);
    }
    expect(`${xml}${notes}`).not.toContain('file:');
  });

  it('runs the same input again without new work, the same GUID and no second episode record', async () => {
    const again = await runCli(args(work));
    expect(again.code).toBe(0);
    const started = again.stdout.split('\n').filter((l) => l.includes('"stage.started"'));
    expect(started).toEqual([]);
    const firstResult = JSON.parse(first.stdout.trim().split('\n').at(-1)!) as { guid: string };
    const againResult = JSON.parse(again.stdout.trim().split('\n').at(-1)!) as { guid: string };
    expect(againResult.guid).toBe(firstResult.guid);
  });

  it('leaves run, event and episode records readable in the local DynamoDB', async () => {
    const servers = await startLocalServers({ dataDir: path.join(work, 'data'), quiet: true });
    try {
      const db = createAwsPersistence(servers.env);
      const run = await db.runs.get('tech-weekly-2026-11-23');
      expect(run).toMatchObject({ status: 'succeeded', episodeId: '2026-11-23', progressPercent: 100 });
      const events = await db.events.list('tech-weekly-2026-11-23');
      expect(events.filter((e) => e.type === 'run.succeeded')).toHaveLength(1);
      expect(new Set(events.map((e) => e.stage).filter(Boolean)).size).toBe(13);
      const episodes = await db.episodes.listByPodcast('tech-weekly');
      expect(episodes).toHaveLength(1);
      expect(episodes[0]).toMatchObject({ guid: run!.guid, runId: 'tech-weekly-2026-11-23' });
      expect(await db.feeds.exists(artifactKeys.feed('tech-weekly'))).toBe(true);
      // The show cover, beside the episode's own: a different image, drawn once for the title.
      const podcast = await db.podcasts.get('tech-weekly');
      const showCover = await db.media.get(showCoverKey(podcast!));
      const episodeDir = episodes[0]!.media.key.slice(0, episodes[0]!.media.key.lastIndexOf('/'));
      const episodeCover = await db.media.get(`${episodeDir}/cover.png`);
      expect(episodeCover?.cacheControl).toBe('public, max-age=31536000, immutable');
      expect(showCover?.cacheControl).toBe('public, max-age=31536000, immutable');
      expect((await db.feeds.get(artifactKeys.feed('tech-weekly')))?.cacheControl).toBe('public, max-age=60');
      expect(showCover?.contentType).toBe('image/png');
      expect(showCover && episodeCover && showCover.body.equals(episodeCover.body)).toBe(false);
    } finally {
      await servers.stop();
    }
  });

  it('gives the same script, GUID, feed entry and event types per stage in distributed mode', async () => {
    const monolithic = await readOutcome(path.join(work, 'data'));
    const distributedDir = path.join(work, 'distributed');
    const run = await runCli([
      '--podcast',
      podcastFile,
      runFile,
      '--mode',
      'distributed',
      '--data-dir',
      distributedDir,
      '--output-dir',
      path.join(work, 'distributed-out'),
    ]);
    expect(run.code).toBe(0);
    // The stage tasks' own events (written by other processes) are shown too, in pipeline order.
    const done = run.stdout
      .split('\n')
      .map((line) => / (\w+)(?:\/\d+)? done in /.exec(line)?.[1])
      .filter((stage): stage is string => stage !== undefined);
    expect(done.indexOf('scrape')).toBeGreaterThan(done.indexOf('discover'));
    expect(done.indexOf('scrape')).toBeLessThan(done.indexOf('summarize'));
    expect(done.indexOf('mix')).toBeGreaterThan(done.lastIndexOf('tts'));
    expect(done.indexOf('mix')).toBeLessThan(done.indexOf('notes'));
    const distributed = await readOutcome(distributedDir);

    expect(distributed.scriptText).toBe(monolithic.scriptText);
    expect(monolithic.scriptText.split('\n').length).toBeGreaterThan(10);
    expect(distributed.guid).toBe(monolithic.guid);
    expect(distributed.feedItem).toEqual(monolithic.feedItem);
    expect(distributed.eventTypesByStage).toEqual(monolithic.eventTypesByStage);
    expect(Object.keys(monolithic.eventTypesByStage).sort()).toEqual(
      [
        'artwork',
        'discover',
        'feed',
        'mix',
        'notes',
        'outline',
        'prepare',
        'publish',
        'review',
        'run',
        'scrape',
        'script',
        'summarize',
        'tts',
      ].sort()
    );
  });
});
