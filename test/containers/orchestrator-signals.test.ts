/**
 * Ctrl-C behaves like the container's stop signal: SIGINT to the orchestrator process (the real
 * entry point, containers/orchestrator/main.ts) records the run failed with RunInterruptedError
 * naming SIGINT at the stage that was running, ends its child processes, stops the local servers
 * (the data directory's lock file is gone) and exits 130, within the same bound as SIGTERM (143,
 * orchestrator-process.test.ts). Heavy providers are the test preload's quick ones; a hanging
 * stage holds the run where the signal should find it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLocalServers } from '../../containers/orchestrator/local/local-servers';
import { createAwsPersistence } from '../../stages/shared/adapters/aws/create-aws-persistence';
import { faultEnv } from '../helpers/fault-injection';
import { type OrchestratorProcess, startOrchestrator } from '../helpers/fault-injection-process';
import { EXAMPLE_DIR } from '../helpers/run-cli';

jest.setTimeout(90_000);

/** As for SIGTERM: the handler takes well under a second; 5 s still catches one that hangs. */
const STOP_BOUND_MS = 5_000;
const podcastFile = path.join(EXAMPLE_DIR, 'podcast.json');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'orchestrator-signals-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Live processes whose parent is `pid`, with their command lines (Linux /proc). */
function childrenOf(pid: number): { pid: number; cmd: string }[] {
  const found: { pid: number; cmd: string }[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid)
        found.push({
          pid: Number(entry),
          cmd: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '),
        });
    } catch {
      // exited while listed
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function interrupt(proc: OrchestratorProcess) {
  const signalled = performance.now();
  proc.child.kill('SIGINT');
  const exit = await proc.exited;
  return { exit, stopMs: performance.now() - signalled };
}

async function storedRun(dataDir: string, runId: string) {
  const servers = await startLocalServers({ dataDir, quiet: true });
  try {
    const db = createAwsPersistence(servers.env);
    return { run: await db.runs.get(runId), events: (await db.events.list(runId)).map((e) => e.type) };
  } finally {
    await servers.stop();
  }
}

const interrupted = (stage: string) => ({
  stage,
  name: 'RunInterruptedError',
  message: 'the orchestrator was stopped (SIGINT) before the run finished',
});

it('monolithic: SIGINT mid-stage records the run failed (RunInterruptedError, SIGINT), releases the data dir, exits 130', async () => {
  // Prepare: discover never finishes on its own
  const dataDir = path.join(work, 'mono-data');
  const runId = 'tech-weekly-sigint-mono';
  const input = { runId, podcastId: 'tech-weekly', episode: { date: '2026-11-26' } };
  const proc = startOrchestrator(
    ['--podcast', podcastFile, '--json', '--data-dir', dataDir, '--output-dir', path.join(work, 'out')],
    {
      env: { PIPELINE_INPUT: JSON.stringify(input), ...faultEnv([{ stage: 'discover', kind: 'hang' }]) },
    }
  );
  await proc.waitForEvent((e) => e.type === 'stage.started' && e.stage === 'discover', 'discover to start');
  expect(existsSync(path.join(dataDir, 'local-servers.lock'))).toBe(true);

  // Act
  const { exit, stopMs } = await interrupt(proc);

  // Assess
  expect(exit).toEqual({ code: 130, signal: null });
  expect(stopMs).toBeLessThan(STOP_BOUND_MS);
  // stderr: the fault injector's log lines and one line saying how to go on; no error line, no stack trace
  expect(proc.stderr()).not.toMatch(/^error:|\n\s+at /m);
  expect(proc.stderr()).toMatch(
    /^stopped: run tech-weekly-sigint-mono \(SIGINT\); resume it with --resume tech-weekly-sigint-mono$/m
  );
  expect(proc.events.at(-1)).toMatchObject({
    type: 'run.failed',
    stage: 'discover',
    error: interrupted('discover'),
  });
  expect(existsSync(path.join(dataDir, 'local-servers.lock'))).toBe(false);
  const { run, events } = await storedRun(dataDir, runId);
  expect(run).toMatchObject({ status: 'failed', currentStage: 'discover', error: interrupted('discover') });
  expect(events).toContain('run.failed');
});

it('distributed: SIGINT while an ECS stage runs as a child process ends that process too, then exits 130', async () => {
  // Prepare: scrape (an ECS state: a stage-task child process) hangs; the child is started with
  // the parent's loader flags (tsx and the test preload), so its quick providers and faults are
  // the parent's.
  const dataDir = path.join(work, 'dist-data');
  const runId = 'tech-weekly-sigint-dist';
  const input = { runId, podcastId: 'tech-weekly', episode: { date: '2026-11-27' } };
  const proc = startOrchestrator(
    [
      '--podcast',
      podcastFile,
      '--json',
      '--mode',
      'distributed',
      '--data-dir',
      dataDir,
      '--output-dir',
      path.join(work, 'out'),
    ],
    {
      env: {
        PIPELINE_INPUT: JSON.stringify(input),
        ...faultEnv([{ stage: 'scrape', kind: 'hang' }]),
      },
    }
  );
  await proc.waitForEvent(
    (e) => e.type === 'stage.succeeded' && e.stage === 'discover',
    'discover to finish',
    60_000
  );
  const task = await until(
    () => childrenOf(proc.child.pid!).find((c) => c.cmd.includes('stage-task')),
    'the scrape stage-task process'
  );
  // The task has begun its hanging stage (its event reaches the CLI within a second or so).
  await proc.waitForEvent(
    (e) => e.type === 'stage.started' && e.stage === 'scrape',
    'scrape to start',
    30_000
  );

  // Act
  const { exit, stopMs } = await interrupt(proc);

  // Assess
  expect(exit).toEqual({ code: 130, signal: null });
  expect(stopMs).toBeLessThan(STOP_BOUND_MS + 5_000);
  expect(alive(task.pid)).toBe(false);
  expect(childrenOf(proc.child.pid!)).toEqual([]);
  expect(existsSync(path.join(dataDir, 'local-servers.lock'))).toBe(false);
  const { run } = await storedRun(dataDir, runId);
  expect(run).toMatchObject({ status: 'failed', error: interrupted('scrape') });
});
