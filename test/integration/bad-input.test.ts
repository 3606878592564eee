/**
 * Bad input through the real command: one line on stderr naming the problem, exit 2 for input
 * and 1 for a run failure (recorded with the failing stage), nothing on stdout.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLocalServers } from '../../containers/orchestrator/local/local-servers';
import { createAwsPersistence } from '../../stages/shared/adapters/aws/create-aws-persistence';
import { EXAMPLE_DIR, runCli } from '../helpers/run-cli';

jest.setTimeout(60_000);

let work: string;
const podcastFile = path.join(EXAMPLE_DIR, 'podcast.json');
const base = () => ['--data-dir', path.join(work, 'data'), '--output-dir', path.join(work, 'out')];
const file = async (name: string, content: string) => {
  const p = path.join(work, name);
  await writeFile(p, content);
  return p;
};

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'bad-input-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function expectOneLineError(
  outcome: { stdout: string; stderr: string },
  pattern: RegExp,
  progressOnStdout = false
) {
  if (progressOnStdout) expect(outcome.stdout).not.toMatch(/Error|\n\s+at /);
  else expect(outcome.stdout).toBe('');
  const lines = outcome.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(outcome.stderr).not.toMatch(/\n\s+at /);
}

describe('bad input', () => {
  it('bad JSON: exit 2 naming the file', async () => {
    const outcome = await runCli([...base(), await file('broken.json', '{"runId": "r1",')]);
    expect(outcome.code).toBe(2);
    expectOneLineError(outcome, /^error: .*broken\.json is not valid JSON/);
  });

  it('unknown podcast: exit 2 naming it, and the run recorded as failed', async () => {
    const outcome = await runCli([
      ...base(),
      await file('unknown.json', '{"runId":"r-unknown","podcastId":"nobody-here"}'),
    ]);
    expect(outcome.code).toBe(2);
    expectOneLineError(
      outcome,
      /^error: podcastId: unknown podcast "nobody-here" \(store its config first: --podcast <file>/
    );
  });

  it('a missing field: exit 2 naming the field', async () => {
    const outcome = await runCli([...base(), '--podcast', podcastFile], { stdin: '{"runId":"r-missing"}' });
    expect(outcome.code).toBe(2);
    expectOneLineError(outcome, /input\.podcastId: required/);
  });

  it('a bad podcast config: exit 2 naming the field', async () => {
    const config = await file('bad-podcast.json', JSON.stringify({ podcastId: 'x1', title: 'X' }));
    const outcome = await runCli([...base(), '--podcast', config], { stdin: '{"podcastId":"x1"}' });
    expect(outcome.code).toBe(2);
    expectOneLineError(outcome, /podcast config bad-podcast\.json\.description/);
  });

  it('a podcast config without publicBaseUrl and no public origin: exit 2 naming the field, nothing written', async () => {
    const example = JSON.parse(
      await (await import('node:fs/promises')).readFile(podcastFile, 'utf8')
    ) as Record<string, unknown>;
    delete example.publicBaseUrl;
    const config = await file('no-base-url.json', JSON.stringify(example));
    const dataDir = path.join(work, 'data-no-base-url');
    const outcome = await runCli(['--data-dir', dataDir, '--podcast', config], {
      stdin: '{"podcastId":"tech-weekly"}',
    });
    expect(outcome.code).toBe(2);
    expectOneLineError(
      outcome,
      /^error: podcast config no-base-url\.json\.publicBaseUrl: not set.*`npm run serve`, or set PUBLIC_ORIGIN_URL/
    );
    expect(existsSync(dataDir)).toBe(false);

    const inline = await runCli(base(), {
      stdin: JSON.stringify({
        runId: 'r-inline-no-url',
        podcastId: 'tech-weekly',
        podcast: {
          ...example,
          sources: [{ id: 'news', name: 'News', feedUrl: 'https://news.example.com/feed.xml' }],
        },
      }),
    });
    expect(inline.code).toBe(2);
    expectOneLineError(inline, /^error: input\.podcast\.publicBaseUrl: not set/);

    const badOrigin = await runCli(['--data-dir', dataDir, '--podcast', config], {
      stdin: '{"podcastId":"tech-weekly"}',
      env: { PUBLIC_ORIGIN_URL: 'ftp://cdn.example.com' },
    });
    expect(badOrigin.code).toBe(2);
    expectOneLineError(
      badOrigin,
      /^error: PUBLIC_ORIGIN_URL: the public origin "ftp:\/\/cdn\.example\.com" must be/
    );
  });

  it('a source that cannot be read: exit 1, the run failed at discover with the source named', async () => {
    const example = JSON.parse(
      await (await import('node:fs/promises')).readFile(podcastFile, 'utf8')
    ) as Record<string, unknown>;
    const broken = {
      ...example,
      podcastId: 'broken-feeds',
      sources: [{ id: 'gone', name: 'Gone', feedUrl: 'feeds/does-not-exist.xml' }],
    };
    const config = await file('broken-feeds.json', JSON.stringify(broken));
    const outcome = await runCli([...base(), '--podcast', config], {
      stdin: '{"runId":"r-broken","podcastId":"broken-feeds","episode":{"date":"2026-11-23"}}',
    });
    expect(outcome.code).toBe(1);
    expectOneLineError(
      outcome,
      /^error: run r-broken failed at stage discover: FatalStageError: .*gone.*does-not-exist\.xml/,
      true
    );

    const servers = await startLocalServers({ dataDir: path.join(work, 'data'), quiet: true });
    try {
      const db = createAwsPersistence(servers.env);
      expect(await db.runs.get('r-broken')).toMatchObject({
        status: 'failed',
        error: { stage: 'discover', name: 'FatalStageError' },
      });
      expect((await db.events.list('r-broken')).map((e) => e.type)).toContain('run.failed');
      expect(await db.runs.get('r-unknown')).toMatchObject({
        status: 'failed',
        error: { stage: 'prepare', name: 'ValidationError' },
      });
      expect(await db.episodes.listByPodcast('broken-feeds')).toEqual([]);
    } finally {
      await servers.stop();
    }
  });
});
