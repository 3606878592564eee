/**
 * End to end: the example podcast through the monolithic engine, on the embedded local DynamoDB
 * and S3 servers, exactly as `npm start` runs it; the records read back from local DynamoDB; then
 * parity: the same input through the committed state machine on the local runner (ECS stages as
 * processes) gives the same script, GUID, feed entry and event types per stage.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Parser from 'rss-parser';
import { startLocalServers } from '../../containers/orchestrator/local/local-servers';
import { createAwsPersistence } from '../../stages/shared/adapters/aws/create-aws-persistence';
import { artifactKeys } from '../../stages/shared/artifact-keys';
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
    const { title, guid, pubDate, enclosure, content } = feed.items[0]!;
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
    expect((mp3.length * 8) / 128_000).toBeGreaterThan(60); // CBR 128 kbps
    const feed = await new Parser().parseString(
      await readFile(path.join(work, 'out', 'tech-weekly', 'feed.xml'), 'utf8')
    );
    const item = feed.items[0]!;
    expect(item.enclosure).toMatchObject({
      url: 'https://podcasts.example.com/tech-weekly/episodes/2026-11-23/episode.mp3',
      type: 'audio/mpeg',
      length: String(mp3.length),
    });
    expect(item.guid).toMatch(/^[0-9a-f-]{36}$/);
    expect((item as unknown as { itunes: { duration: string } }).itunes.duration).toMatch(/^00:0[1-9]:\d\d$/);
    const chapters = JSON.parse(await readFile(path.join(dir, 'chapters.json'), 'utf8')) as {
      chapters: { startTime: number }[];
    };
    expect(chapters.chapters.length).toBeGreaterThanOrEqual(3);
    const vtt = await readFile(path.join(dir, 'transcript.vtt'), 'utf8');
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    const voices = new Set([...vtt.matchAll(/<v ([^>]+)>/g)].map((m) => m[1]));
    expect(voices).toEqual(new Set(['Ava', 'Ben']));
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
