/**
 * Parity: the example input run in both modes locally (the monolithic engine, and the committed
 * state machine on the local runner with ECS stages as processes) gives the same script, the same
 * episode GUID, the same feed entry and the same event types per stage.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Parser from 'rss-parser';
import { startLocalServers } from '../../containers/orchestrator/local/local-servers';
import { createAwsPersistence } from '../../stages/shared/adapters/aws/create-aws-persistence';
import { artifactKeys } from '../../stages/shared/artifact-keys';
import { EXAMPLE_DIR, runCli } from '../helpers/run-cli';

jest.setTimeout(240_000);

const RUN_ID = 'tech-weekly-2026-11-23';
let work: string;

interface ModeOutcome {
  code: number;
  scriptText: string;
  guid: string | undefined;
  feedItem: Record<string, unknown>;
  eventTypesByStage: Record<string, string[]>;
}

async function runMode(mode: 'monolithic' | 'distributed'): Promise<ModeOutcome> {
  const dataDir = path.join(work, mode);
  const outcome = await runCli(['--podcast', path.join(EXAMPLE_DIR, 'podcast.json'), path.join(EXAMPLE_DIR, 'run.json'), '--mode', mode, '--data-dir', dataDir, '--output-dir', path.join(work, `${mode}-out`)]);
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
    return { code: outcome.code, scriptText, guid: run?.guid, feedItem: { title, guid, pubDate, enclosure, content }, eventTypesByStage };
  } finally {
    await servers.stop();
  }
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'parity-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

it('gives the same episode in both modes', async () => {
  const monolithic = await runMode('monolithic');
  const distributed = await runMode('distributed');

  expect(monolithic.code).toBe(0);
  expect(distributed.code).toBe(0);
  expect(distributed.scriptText).toBe(monolithic.scriptText);
  expect(monolithic.scriptText.split('\n').length).toBeGreaterThan(10);
  expect(distributed.guid).toBe(monolithic.guid);
  expect(distributed.feedItem).toEqual(monolithic.feedItem);
  expect(distributed.eventTypesByStage).toEqual(monolithic.eventTypesByStage);
  expect(Object.keys(monolithic.eventTypesByStage).sort()).toEqual(
    ['artwork', 'discover', 'feed', 'mix', 'notes', 'outline', 'prepare', 'publish', 'review', 'run', 'scrape', 'script', 'summarize', 'tts'].sort()
  );
});
