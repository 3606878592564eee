/**
 * A failed Parallel branch under `serve`: artwork fails for good while mix (an ECS stage task, a
 * process) hangs in the other branch. The execution ends FAILED at artwork, and the mix task's
 * process does not outlive it (on AWS the task stops itself at its next heartbeat, answered
 * TaskTimedOut: test/containers/stage-task.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { REPO_ROOT, type ServeProcess, startServeProcess } from '../helpers/serve-process';

jest.setTimeout(120_000);

let dataDir: string;
let serve: ServeProcess;

/** The command lines of the process's descendants. */
function descendants(pid: number): string[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const rows = table
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] as string }));
  const found: string[] = [];
  const walk = (parent: number) => {
    for (const row of rows.filter((r) => r.ppid === parent)) {
      found.push(row.args);
      walk(row.pid);
    }
  };
  walk(pid);
  return found;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'serve-parallel-'));
  serve = await startServeProcess(
    ['--data-dir', dataDir, '--podcast', path.join(REPO_ROOT, 'examples', 'tech-weekly', 'podcast.json')],
    {
      env: {
        TEST_FAULT_INJECTION: JSON.stringify([
          // Retried until its attempts run out, so mix has started (and hangs) when it fails.
          { stage: 'artwork', kind: 'retryable', attempts: 10 },
          { stage: 'mix', kind: 'hang' },
        ]),
      },
    }
  );
});

afterAll(async () => {
  await serve?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** One execution until it ends; whether its mix task had been started (its log file) by then. */
async function runOnce(runId: string, date: string) {
  const { executionArn } = await serve.clients.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: serve.stateMachineArn,
      name: runId,
      input: JSON.stringify({ runId, podcastId: 'tech-weekly', episode: { date } }),
    })
  );
  let described = await serve.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
  for (let i = 0; i < 400 && described.status === 'RUNNING'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    described = await serve.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
  }
  const logs = readdirSync(path.join(dataDir, 'logs', runId));
  return { described, mixStarted: logs.some((file) => file.startsWith('Mix-')) };
}

test('the execution fails at artwork and the mix task running beside it is stopped with it', async () => {
  // Artwork's retries wait with full jitter: until one run has mix started before artwork gives
  // up, try again (a few times at most).
  let outcome: Awaited<ReturnType<typeof runOnce>> | undefined;
  let runId = '';
  for (let n = 1; n <= 4 && !outcome?.mixStarted; n++) {
    runId = `parallel-failure-${n}`;
    outcome = await runOnce(runId, `2026-11-2${n}`);
  }

  expect(outcome?.mixStarted).toBe(true);
  expect(outcome?.described.status).toBe('FAILED');
  expect(outcome?.described.cause).toMatch(/^artwork failed: RetryableStageError: injected retryable fault/);
  const { Item: run } = await serve.clients.dynamo.send(
    new GetCommand({ TableName: 'podcast-platform-local-runs', Key: { runId } })
  );
  expect(run).toMatchObject({ status: 'failed', error: { stage: 'artwork', name: 'RetryableStageError' } });
  expect(descendants(serve.child.pid as number).filter((args) => args.includes('stage-task'))).toEqual([]);
});
