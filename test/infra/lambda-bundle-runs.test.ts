/**
 * A stage Lambda's bundle, built with infra's settings (the SDK's ES module builds inlined,
 * minified), does real work, not only load: the prepare bundle's handler runs in a fresh node
 * process against the local DynamoDB and S3 servers, claims the run, stores the podcast, writes its
 * checkpoint and events, and returns its manifest.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildOne, lambdaFunctions } from '../../bench/lambda-bundles';
import { artifactKeys } from '../../stages/shared/artifact-keys';
import { podcastConfig } from '../fixtures/podcast-config';
import { startTestServers, type TestServers } from '../helpers/local-servers';
import { PROJECT_ROOT } from './stack-fixture';

jest.setTimeout(120_000);

let work: string;
let local: TestServers;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'lambda-bundle-runs-'));
  local = await startTestServers();
});
afterAll(async () => {
  await local?.stop();
  await rm(work, { recursive: true, force: true });
});

/**
 * Builds a stage's bundle as infra builds it and invokes its handler once in a fresh node process
 * with only what a Lambda gets (its environment, no project node_modules). Asynchronous: the
 * local servers answer from this process. Resolves with what the handler returned or threw.
 */
async function invokeBundle(
  stageId: string,
  event: unknown
): Promise<{ output?: unknown; error?: { name: string; message: string }; stderr: string }> {
  const fn = lambdaFunctions(PROJECT_ROOT).find((f) => f.id === stageId);
  if (!fn) throw new Error(`no ${stageId} function`);
  const built = await buildOne(fn, { name: 'infra', sdk: 'bundled' }, PROJECT_ROOT, work);
  const script = `require(${JSON.stringify(built.outfile)}).handler(${JSON.stringify(event)}, { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60000 })
    .then((output) => { process.stdout.write(JSON.stringify({ output })); process.exit(0); }, (e) => { process.stdout.write(JSON.stringify({ error: { name: e.name, message: e.message } })); process.exit(0); });`;
  const result = await promisify(execFile)(process.execPath, ['-e', script], {
    cwd: path.dirname(built.outfile),
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      // Lambdas run Node 22; this machine's Node 20 would get the SDK's end-of-support notice.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...local.servers.env,
    },
  });
  return {
    ...(JSON.parse(result.stdout) as { output?: unknown; error?: { name: string; message: string } }),
    stderr: result.stderr,
  };
}

it('the prepare bundle claims a run on the local servers and returns its manifest', async () => {
  // Prepare
  const event = {
    runId: 'bundle-run-1',
    podcastId: 'test-pod',
    input: {
      runId: 'bundle-run-1',
      podcastId: 'test-pod',
      episode: { date: '2026-11-20' },
      podcast: podcastConfig({
        sources: [{ id: 'news', name: 'News', feedUrl: 'https://192.0.2.10/feed.xml', weight: 1 }],
      }),
    },
    stages: {},
    mode: 'distributed',
  };

  // Act
  const result = await invokeBundle('prepare', event);

  // Assess
  expect(result.stderr).toBe('');
  expect(result.error).toBeUndefined();
  const manifest = result.output as { episode: { date: string }; configKey: string };
  expect(manifest.episode.date).toBe('2026-11-20');
  expect(await local.persistence.runs.get('bundle-run-1')).toMatchObject({
    status: 'running',
    mode: 'distributed',
  });
  expect(await local.persistence.podcasts.get('test-pod')).toMatchObject({ podcastId: 'test-pod' });
  expect(await local.persistence.media.get(artifactKeys.checkpoint('bundle-run-1', 'prepare'))).toBeDefined();
  expect((await local.persistence.events.list('bundle-run-1')).map((e) => e.type)).toEqual(
    expect.arrayContaining(['run.started', 'stage.started', 'stage.succeeded'])
  );
});

it('the discover bundle reads the config snapshot back from S3 and reports an unreadable feed by name', async () => {
  const prepare = JSON.parse(
    (await local.persistence.media.get(artifactKeys.checkpoint('bundle-run-1', 'prepare')))!.body.toString(
      'utf8'
    )
  ) as { output: unknown };
  // The feed's host (192.0.2.10, a documentation address) is refused before connecting: no traffic leaves.
  const result = await invokeBundle('discover', {
    runId: 'bundle-run-1',
    podcastId: 'test-pod',
    stages: { prepare: prepare.output },
  });
  expect(result.error).toMatchObject({
    name: 'FatalStageError',
    message: expect.stringMatching(
      /^no source feed could be read \(1 tried\): source "news": .*blocked by the fetch policy/
    ),
  });
});
