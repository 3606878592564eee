/**
 * Trust boundaries end to end, as a new user would meet them: the real orchestrator process (its
 * heavy providers are the test preload's quick ones) reads a hostile HTTP feed served on loopback
 * (allowed with --allow-host for its one port) and a local feed in the podcast's own folder. Their items link to /etc/passwd,
 * /proc/self/environ, /dev/zero, a FIFO, a file outside the podcast folder (directly and through a
 * symlink), a second loopback port, and redirects to each. Canary strings sit in every target;
 * none may appear in any output (feed, notes, chapters, transcript, the script, events, the run
 * record, logs), and the episode still publishes from the good stories. Then one of four stories
 * on a closed port, in distributed mode: three stories publish and a story.skipped names the fourth.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadPodcastConfigFile } from '../../containers/orchestrator/local/podcast-config-file';
import { startLocalServers } from '../../containers/orchestrator/local/local-servers';
import { createAwsPersistence } from '../../stages/shared/adapters/aws/create-aws-persistence';
import { artifactKeys } from '../../stages/shared/artifact-keys';
import { startOrchestrator } from '../helpers/fault-injection-process';
import {
  closedPort,
  type LoopbackServer,
  redirect,
  respond,
  startLoopbackServer,
} from '../helpers/loopback-server';
import { EXAMPLE_DIR } from '../helpers/run-cli';

jest.setTimeout(180_000);

const ENVIRON_CANARY = 'ENVIRON-CANARY-6c1f0e';
const OUTSIDE_CANARY = 'OUTSIDE-CANARY-93ab27';
const NEIGHBOUR_CANARY = 'NEIGHBOUR-CANARY-a4d2c8';
const PASSWD_CANARY = 'root:x:0:0';
const CANARIES = [ENVIRON_CANARY, OUTSIDE_CANARY, NEIGHBOUR_CANARY, PASSWD_CANARY];
const GOOD = ['meridian-db-5', 'lumen-140-storage-partitioning', 'halvorsen-tern-risc-v'];

let work: string;
let origin: LoopbackServer;
let neighbour: LoopbackServer;

const rssItem = (title: string, link: string) =>
  `<item><title>${title}</title><link>${link.replace(/&/g, '&amp;')}</link><pubDate>Sun, 22 Nov 2026 09:00:00 GMT</pubDate><description>Open source database and chip news.</description></item>`;
const rss = (items: string[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>${items.join('')}</channel></rss>`;

async function article(name: string): Promise<string> {
  return readFile(path.join(EXAMPLE_DIR, 'articles', `${name}.html`), 'utf8');
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'hostile-sources-'));
  neighbour = await startLoopbackServer({
    '/secret.html': respond(
      200,
      'text/html',
      `<article><p>${NEIGHBOUR_CANARY} ${'filler words here '.repeat(40)}</p></article>`
    ),
  });
  const pages = Object.fromEntries(
    await Promise.all(
      GOOD.map(
        async (name) =>
          [`/${name}.html`, respond(200, 'text/html; charset=utf-8', await article(name))] as const
      )
    )
  );
  origin = await startLoopbackServer({
    ...pages,
    '/feed.xml': (req, res) =>
      respond(
        200,
        'application/rss+xml',
        rss([
          rssItem('Meridian DB 5 ships', `${origin.base}/meridian-db-5.html`),
          rssItem('Password file for open source', 'file:///etc/passwd'),
          rssItem('Environment of the database', 'file:///proc/self/environ'),
          rssItem('Neighbour port database chip', `http://127.0.0.1:${neighbour.port}/secret.html`),
          rssItem('Redirect to the password file', `${origin.base}/to-passwd`),
          rssItem('Redirect to the neighbour chip', `${origin.base}/to-neighbour`),
          rssItem('Redirect to the metadata service', `${origin.base}/to-metadata`),
        ])
      )(req, res),
    '/to-passwd': redirect('file:///etc/passwd'),
    '/to-neighbour': (req, res) => redirect(`http://127.0.0.1:${neighbour.port}/secret.html`)(req, res),
    '/to-metadata': redirect('http://169.254.169.254/latest/meta-data/iam/security-credentials/'),
  });

  // The podcast's own folder: a local feed, two articles, a FIFO and a symlink that leaves the folder.
  const show = path.join(work, 'show');
  await mkdir(path.join(show, 'feeds'), { recursive: true });
  await mkdir(path.join(show, 'articles'));
  await mkdir(path.join(work, 'outside'));
  await writeFile(
    path.join(work, 'outside', 'secret.html'),
    `<article><p>${OUTSIDE_CANARY} ${'more filler words '.repeat(40)}</p></article>`
  );
  for (const name of GOOD.slice(1))
    await cp(path.join(EXAMPLE_DIR, 'articles', `${name}.html`), path.join(show, 'articles', `${name}.html`));
  execFileSync('mkfifo', [path.join(show, 'articles', 'pipe.html')]);
  await symlink(path.join(work, 'outside', 'secret.html'), path.join(show, 'articles', 'escape.html'));
  await writeFile(
    path.join(show, 'feeds', 'local.xml'),
    rss([
      rssItem('Lumen 140 storage partitioning', '../articles/lumen-140-storage-partitioning.html'),
      rssItem('Halvorsen Tern RISC-V chip', '../articles/halvorsen-tern-risc-v.html'),
      rssItem('A pipe that never ends in open source', '../articles/pipe.html'),
      rssItem('Zero device for the database', 'file:///dev/zero'),
      rssItem('Outside the folder database', '../../outside/secret.html'),
      rssItem('Symlink escape chip', '../articles/escape.html'),
      rssItem('Absolute password file chip', 'file:///etc/passwd'),
      rssItem('Process environment chip', 'file:///proc/self/environ'),
    ])
  );
  const example = JSON.parse(await readFile(path.join(EXAMPLE_DIR, 'podcast.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  await writeFile(
    path.join(show, 'podcast.json'),
    JSON.stringify({
      ...example,
      sources: [
        { id: 'local', name: 'Local Desk', feedUrl: 'feeds/local.xml' },
        { id: 'hostile', name: 'Hostile Wire', feedUrl: `${origin.base}/feed.xml` },
      ],
      maxStories: 14,
    })
  );
  await writeFile(
    path.join(work, 'run.json'),
    JSON.stringify({ runId: 'hostile-1', podcastId: 'tech-weekly', episode: { date: '2026-11-23' } })
  );
});

afterAll(async () => {
  await origin?.close();
  await neighbour?.close();
  await rm(work, { recursive: true, force: true });
});

async function textFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return Promise.all(
    entries.filter((e) => e.isFile()).map((e) => readFile(path.join(e.parentPath, e.name), 'latin1'))
  );
}

it('publishes from the good stories and no canary reaches any output', async () => {
  const dataDir = path.join(work, 'data');
  const outDir = path.join(work, 'out');
  const proc = startOrchestrator(
    [
      '--podcast',
      path.join(work, 'show', 'podcast.json'),
      path.join(work, 'run.json'),
      '--allow-host',
      origin.hostPort,
      '--json',
      '--log-level',
      'debug',
      '--data-dir',
      dataDir,
      '--output-dir',
      outDir,
    ],
    {
      env: { FAKE_PROVIDER_SECRET: ENVIRON_CANARY },
    }
  );
  const exit = await proc.exited;
  expect(
    proc
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('error:'))
  ).toEqual([]);
  expect(exit.code).toBe(0);

  const skipped = proc.events.filter((e) => e.type === 'story.skipped').map((e) => String(e.detail?.reason));
  expect(skipped).toHaveLength(10);
  expect(skipped.join('\n')).toMatch(/port \d+ is not allowed/);
  expect(skipped.join('\n')).toMatch(/the file scheme is not allowed/);
  expect(skipped.join('\n')).toMatch(/169\.254\.169\.254 is a link-local/);
  expect(skipped.join('\n')).toMatch(/not a regular file/);
  expect(skipped.join('\n')).toMatch(/outside the podcast config's folder/);
  expect(neighbour.hits).toEqual([]);

  const servers = await startLocalServers({ dataDir, quiet: true });
  try {
    const db = createAwsPersistence(servers.env);
    const run = await db.runs.get('hostile-1');
    expect(run?.status).toBe('succeeded');
    const scrape = JSON.parse(
      (await db.media.get(artifactKeys.checkpoint('hostile-1', 'scrape')))!.body.toString('utf8')
    ) as { output: { stories: { id: string }[] } };
    expect(scrape.output.stories).toHaveLength(3);
    const everything = [
      JSON.stringify(run),
      JSON.stringify(await db.events.list('hostile-1')),
      proc.stdout(),
      proc.stderr(),
      ...(await textFiles(outDir)),
      ...(await textFiles(dataDir)),
    ].join('\n');
    for (const canary of CANARIES) expect(everything).not.toContain(canary);
    expect(everything).toContain('Meridian');
  } finally {
    await servers.stop();
  }
});

it('publishes three of four stories when one links to a closed port (distributed mode)', async () => {
  const port = await closedPort();
  const dir = path.join(work, 'four');
  await mkdir(dir);
  const feed = rss([
    ...GOOD.map((name) => rssItem(`${name} database chip`, `${origin.base}/${name}.html`)),
    rssItem('Closed port database chip', `http://127.0.0.1:${port}/story.html`),
  ]);
  const feedServer = await startLoopbackServer({ '/feed.xml': respond(200, 'application/rss+xml', feed) });
  try {
    const example = await loadPodcastConfigFile(path.join(EXAMPLE_DIR, 'podcast.json'));
    await writeFile(
      path.join(dir, 'podcast.json'),
      JSON.stringify({
        ...example,
        sources: [{ id: 'wire', name: 'Wire', feedUrl: `${feedServer.base}/feed.xml` }],
        maxStories: 4,
      })
    );
    await writeFile(
      path.join(dir, 'run.json'),
      JSON.stringify({ runId: 'closed-port-1', podcastId: 'tech-weekly', episode: { date: '2026-11-23' } })
    );
    const allow = [origin.hostPort, feedServer.hostPort, `127.0.0.1:${port}`].flatMap((h) => [
      '--allow-host',
      h,
    ]);
    const proc = startOrchestrator(
      [
        '--podcast',
        path.join(dir, 'podcast.json'),
        path.join(dir, 'run.json'),
        '--mode',
        'distributed',
        ...allow,
        '--json',
        '--data-dir',
        path.join(dir, 'data'),
        '--output-dir',
        path.join(dir, 'out'),
      ],
      {}
    );
    const exit = await proc.exited;
    expect(
      proc
        .stderr()
        .split('\n')
        .filter((l) => l.startsWith('error:'))
    ).toEqual([]);
    expect(exit.code).toBe(0);
    // The scrape stage ran as a stage-task process: its events are in the table, not on our stdout.
    const servers = await startLocalServers({ dataDir: path.join(dir, 'data'), quiet: true });
    const events = await createAwsPersistence(servers.env)
      .events.list('closed-port-1')
      .finally(() => servers.stop());
    const skipped = events.filter((e) => e.type === 'story.skipped');
    expect(skipped).toHaveLength(1);
    expect(String(skipped[0]?.detail?.reason)).toMatch(
      new RegExp(
        `GET http://127\\.0\\.0\\.1:${port}/story\\.html failed: .*ECONNREFUSED.*\\(after 3 attempts\\)`
      )
    );
    const notes = await readFile(path.join(dir, 'out', 'tech-weekly', '2026-11-23', 'chapters.json'), 'utf8');
    expect((JSON.parse(notes) as { chapters: unknown[] }).chapters.length).toBeGreaterThanOrEqual(3);
  } finally {
    await feedServer.close();
  }
});
