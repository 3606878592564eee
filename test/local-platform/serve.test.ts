/**
 * `serve` end to end, driven only through the real AWS SDK v3 clients and plain HTTP: the example
 * in each mode (the Choice's two branches), name idempotency, StopExecution, a restart that keeps
 * the executions and fails the one it cut short, redrives that finish without redoing finished
 * stages, and the public origin serving the feed and byte ranges of the MP3.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  type ExecutionStatus,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { REPO_ROOT, type ServeProcess, startServeProcess } from '../helpers/serve-process';

jest.setTimeout(240_000);

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'tech-weekly');
const TABLES = {
  runs: 'podcast-platform-local-runs',
  events: 'podcast-platform-local-events',
  episodes: 'podcast-platform-local-episodes',
};

let dataDir: string;
let serve: ServeProcess;

/** The example's config inline, without publicBaseUrl (serve's origin is the default), under another id. */
async function inlinePodcast(podcastId: string): Promise<Record<string, unknown>> {
  const config = JSON.parse(await readFile(path.join(EXAMPLE, 'podcast.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  delete config.publicBaseUrl;
  const sources = config.sources as { feedUrl: string }[];
  for (const source of sources) source.feedUrl = pathToFileURL(path.join(EXAMPLE, source.feedUrl)).href;
  return { ...config, podcastId };
}

async function start(name: string, input: Record<string, unknown>) {
  return serve.clients.sfn.send(
    new StartExecutionCommand({ stateMachineArn: serve.stateMachineArn, name, input: JSON.stringify(input) })
  );
}

async function until(executionArn: string, done: (status: ExecutionStatus | undefined) => boolean) {
  for (let i = 0; i < 600; i += 1) {
    const described = await serve.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (done(described.status)) return described;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`execution ${executionArn} did not get there`);
}
const ended = (arn: string) => until(arn, (status) => status !== 'RUNNING');

async function historyTypes(executionArn: string): Promise<string[]> {
  const { events } = await serve.clients.sfn.send(
    new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 })
  );
  return (events ?? []).map((e) => e.type as string);
}

async function runRecord(runId: string) {
  const { Item } = await serve.clients.dynamo.send(
    new GetCommand({ TableName: TABLES.runs, Key: { runId } })
  );
  return Item as { status: string; error?: { name: string; message: string; stage?: string } } | undefined;
}

async function stageEvents(runId: string, type: string, stage: string): Promise<number> {
  const { Items } = await serve.clients.dynamo.send(
    new QueryCommand({
      TableName: TABLES.events,
      KeyConditionExpression: 'runId = :r',
      ExpressionAttributeValues: { ':r': runId },
    })
  );
  return (Items ?? []).filter((e) => e.type === type && e.stage === stage).length;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'serve-test-'));
  serve = await startServeProcess(['--data-dir', dataDir, '--podcast', path.join(EXAMPLE, 'podcast.json')]);
});

afterAll(async () => {
  await serve?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test('the state machine is the committed definition, named as the stack names it', async () => {
  const { stateMachines } = await serve.clients.sfn.send(new ListStateMachinesCommand({}));
  expect(stateMachines?.map((m) => m.stateMachineArn)).toEqual([
    'arn:aws:states:us-east-1:000000000000:stateMachine:PodcastPlatform-pipeline',
  ]);
  const described = await serve.clients.sfn.send(
    new DescribeStateMachineCommand({ stateMachineArn: serve.stateMachineArn })
  );
  const definition = JSON.parse(described.definition ?? '{}') as { StartAt: string };
  expect(definition.StartAt).toBe('CheckOrchestrationMode');
  expect(described.definition).not.toContain('${');
});

test('monolithic: the example is published and the origin serves the feed and MP3 ranges', async () => {
  const input = {
    runId: 'serve-mono',
    podcastId: 'tech-weekly',
    episode: { date: '2026-11-23' },
    flags: { useMonolithicOrchestrator: true },
  };
  const { executionArn } = await start('serve-mono', input);
  const described = await ended(executionArn as string);
  expect(described.status).toBe('SUCCEEDED');
  expect(await historyTypes(executionArn as string)).toEqual(
    expect.arrayContaining([
      'ExecutionStarted',
      'ChoiceStateEntered',
      'TaskStateEntered',
      'TaskSubmitted',
      'TaskSucceeded',
      'ExecutionSucceeded',
    ])
  );
  expect((await runRecord('serve-mono'))?.status).toBe('succeeded');
  const { Item: episode } = await serve.clients.dynamo.send(
    new GetCommand({ TableName: TABLES.episodes, Key: { podcastId: 'tech-weekly', episodeId: '2026-11-23' } })
  );
  expect(episode).toMatchObject({ runId: 'serve-mono', media: { type: 'audio/mpeg' } });

  // The feed is in the RSS bucket (read with the S3 client and any key) and at the origin.
  const object = await serve.clients.s3.send(
    new GetObjectCommand({ Bucket: 'podcast-platform-local-rss', Key: 'podcasts/tech-weekly/feed.xml' })
  );
  expect(await object.Body?.transformToString()).toContain('<rss');
  const feed = await fetch(`${serve.originUrl}/podcasts/tech-weekly/feed.xml`);
  expect(feed.status).toBe(200);
  expect(feed.headers.get('cache-control')).toBe('public, max-age=60');
  // The MP3 the feed announces, under its version folder (the record's URL, whatever the base).
  const enclosure =
    /<enclosure url="[^"]*\/(episodes\/2026-11-23\/[0-9a-f]{16}\/episode\.mp3)" length="(\d+)"/.exec(
      await feed.text()
    );
  expect(enclosure).not.toBeNull();
  const media = `${serve.originUrl}/podcasts/tech-weekly/${enclosure![1]}`;
  const range = await fetch(media, { headers: { Range: 'bytes=0-1' } });
  expect(range.status).toBe(206);
  expect(range.headers.get('content-range')).toBe(`bytes 0-1/${enclosure![2]}`);
  expect(range.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect((await range.arrayBuffer()).byteLength).toBe(2);
  // Private buckets: an unsigned S3 request is refused; scratch keys are not on the origin.
  expect(
    (await fetch(`${serve.endpoint}/podcast-platform-local-rss/podcasts/tech-weekly/feed.xml`)).status
  ).toBe(403);
  expect((await fetch(`${serve.originUrl}/runs/serve-mono/prepare/podcast.json`)).status).toBe(404);
});

test('a name is idempotent for the same input, refused for another, and StopExecution aborts the run', async () => {
  const input = { runId: 'serve-stop', podcastId: 'tech-weekly', episode: { date: '2026-11-30' } };
  const first = await start('serve-stop', input);
  const again = await start('serve-stop', input);
  expect(again.executionArn).toBe(first.executionArn);
  await expect(start('serve-stop', { ...input, episode: { date: '2026-12-01' } })).rejects.toMatchObject({
    name: 'ExecutionAlreadyExists',
  });
  await until(first.executionArn as string, () => true);
  await serve.clients.sfn.send(
    new StopExecutionCommand({ executionArn: first.executionArn, cause: 'test stop' })
  );
  const stopped = await ended(first.executionArn as string);
  expect(stopped.status).toBe('ABORTED');
  expect(stopped.cause).toBe('test stop');
  expect(await historyTypes(first.executionArn as string)).toContain('ExecutionAborted');
  expect(await runRecord('serve-stop')).toMatchObject({ status: 'failed', error: { message: 'test stop' } });
  await expect(
    serve.clients.sfn.send(new DescribeExecutionCommand({ executionArn: `${first.executionArn}-nope` }))
  ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
});

test('distributed: a restart keeps the executions, and redrives finish without redoing finished stages', async () => {
  const runId = 'serve-dist';
  const input = {
    runId,
    podcastId: 'serve-weekly',
    episode: { date: '2026-11-23' },
    podcast: await inlinePodcast('serve-weekly'),
  };
  const { executionArn } = await start(runId, input);
  const arn = executionArn as string;
  // Cut serve short while the scrape task runs.
  for (let i = 0; i < 200 && !(await historyTypes(arn)).includes('TaskSubmitted'); i += 1)
    await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await serve.stop()).toBe(0);

  serve = await startServeProcess(['--data-dir', dataDir], {
    env: { TEST_FAULT_INJECTION: JSON.stringify([{ stage: 'feed', kind: 'fatal', attempts: 1 }]) },
  });
  const { executions } = await serve.clients.sfn.send(
    new ListExecutionsCommand({ stateMachineArn: serve.stateMachineArn })
  );
  expect(Object.fromEntries((executions ?? []).map((e) => [e.name, e.status]))).toEqual({
    'serve-mono': 'SUCCEEDED',
    'serve-stop': 'ABORTED',
    [runId]: 'FAILED',
  });
  const interrupted = await serve.clients.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
  expect(interrupted).toMatchObject({ error: 'ServeInterrupted', redriveStatus: 'REDRIVABLE' });
  expect((await runRecord(runId))?.status).toBe('failed');

  // First redrive: everything up to feed, where the injected fault fails the run.
  await serve.clients.sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
  const failed = await ended(arn);
  expect(failed.status).toBe('FAILED');
  expect(await runRecord(runId)).toMatchObject({ status: 'failed', error: { stage: 'feed' } });

  // Second redrive: only feed runs again.
  await serve.clients.sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
  const succeeded = await ended(arn);
  expect(succeeded).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2 });
  expect((await runRecord(runId))?.status).toBe('succeeded');
  expect(await stageEvents(runId, 'stage.started', 'mix')).toBe(1);
  expect(await stageEvents(runId, 'stage.started', 'feed')).toBe(2);
  await expect(
    serve.clients.sfn.send(new RedriveExecutionCommand({ executionArn: arn }))
  ).rejects.toMatchObject({
    name: 'ExecutionNotRedrivable',
  });

  // The podcast had no publicBaseUrl: its feed points at serve's origin, and the enclosure is served.
  const feed = await (await fetch(`${serve.originUrl}/podcasts/serve-weekly/feed.xml`)).text();
  const enclosure = /<enclosure url="([^"]+)"/.exec(feed)?.[1] as string;
  expect(enclosure.startsWith(`${serve.originUrl}/podcasts/serve-weekly/`)).toBe(true);
  const tail = await fetch(enclosure, { headers: { Range: 'bytes=-10' } });
  expect(tail.status).toBe(206);
  expect(tail.headers.get('content-range')).toMatch(/^bytes \d+-\d+\/\d+$/);
  expect((await tail.arrayBuffer()).byteLength).toBe(10);
});
