/**
 * The approval gate under `serve`, end to end: an execution with flags.approval "script" waits in
 * AwaitReviewApproval (its task token on the run record), and the real `runs` CLI, pointed at
 * serve by its serve.env as an operator would, answers it through the edge's Step Functions API:
 * `runs approve` publishes, `runs reject` fails the execution with RunRejectedError.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { REPO_ROOT, type ServeProcess, startServeProcess } from '../helpers/serve-process';

jest.setTimeout(240_000);

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'tech-weekly');
const RUNS_TABLE = 'podcast-platform-local-runs';

let dataDir: string;
let serve: ServeProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'serve-approval-'));
  serve = await startServeProcess(['--data-dir', dataDir, '--podcast', path.join(EXAMPLE, 'podcast.json')]);
});

afterAll(async () => {
  await serve?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** serve.env as `set -a; . serve.env` would export it. */
async function serveEnv(): Promise<Record<string, string>> {
  const text = await readFile(path.join(dataDir, 'serve.env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
  );
}

async function runs(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'runs.ts'), ...args],
    { cwd: REPO_ROOT, env: { ...process.env, ...(await serveEnv()) } }
  );
  return stdout;
}

async function runRecord(runId: string) {
  const { Item } = await serve.clients.dynamo.send(new GetCommand({ TableName: RUNS_TABLE, Key: { runId } }));
  return Item as
    | { status: string; approval?: { state: string; taskToken?: string }; error?: { name: string } }
    | undefined;
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 600; i += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('timed out');
}

async function startGated(runId: string): Promise<string> {
  const input = {
    runId,
    podcastId: 'tech-weekly',
    episode: { date: '2026-11-23' },
    flags: { approval: 'script' },
  };
  const { executionArn } = await serve.clients.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: serve.stateMachineArn,
      name: runId,
      input: JSON.stringify(input),
    })
  );
  await poll(
    () => runRecord(runId),
    (run) => run?.approval?.state === 'awaiting' && Boolean(run.approval.taskToken)
  );
  return executionArn as string;
}

const ended = (executionArn: string) =>
  poll(
    () => serve.clients.sfn.send(new DescribeExecutionCommand({ executionArn })),
    (d) => d.status !== 'RUNNING'
  );

test('runs approve answers the task token through the edge: the execution goes on and publishes', async () => {
  const executionArn = await startGated('serve-approve');
  expect((await serve.clients.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe(
    'RUNNING'
  );

  expect(await runs(['approve', 'serve-approve'])).toMatch(/^run serve-approve approved: it goes on with /);

  const described = await ended(executionArn);
  expect(described.status).toBe('SUCCEEDED');
  expect(await runRecord('serve-approve')).toMatchObject({
    status: 'succeeded',
    approval: { state: 'approved' },
  });
});

test('runs reject fails the execution with RunRejectedError', async () => {
  const executionArn = await startGated('serve-reject');

  await runs(['reject', 'serve-reject', '--reason', 'off topic']);

  const described = await ended(executionArn);
  expect(described.status).toBe('FAILED');
  expect(described.cause).toBe('review failed: RunRejectedError: the script was rejected: off topic');
  expect(await runRecord('serve-reject')).toMatchObject({
    status: 'failed',
    error: { name: 'RunRejectedError' },
  });
});
