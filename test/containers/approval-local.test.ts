/**
 * A run waiting for approval in the local orchestrator (`npm start`'s process, which holds the data
 * directory's servers) is decided from another process: `runs approve --data-dir` joins the
 * servers the waiting process published (local-servers.json) instead of failing on the lock, and
 * the run goes on to publish. The waiting line names the command with the data directory.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { faultEnv } from '../helpers/fault-injection';
import { REPO_ROOT, startOrchestrator } from '../helpers/fault-injection-process';
import { EXAMPLE_DIR } from '../helpers/run-cli';

jest.setTimeout(120_000);

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'approval-local-'));
});
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

it('a local run waiting for approval is approved from another process and publishes', async () => {
  // Prepare
  const dataDir = path.join(work, 'data');
  const runId = 'tech-weekly-approval-local';
  const input = {
    runId,
    podcastId: 'tech-weekly',
    episode: { date: '2026-11-23' },
    flags: { approval: 'script' },
  };
  const proc = startOrchestrator(
    [
      '--podcast',
      path.join(EXAMPLE_DIR, 'podcast.json'),
      '--data-dir',
      dataDir,
      '--output-dir',
      path.join(work, 'out'),
    ],
    { env: { PIPELINE_INPUT: JSON.stringify(input), ...faultEnv([]) } }
  );
  // A failed check must not leave the waiting orchestrator behind (it would wait for days).
  cleanups.push(() => proc.child.kill('SIGKILL'));
  await waitFor(
    () => proc.stdout().includes("waiting for the script's approval"),
    'the waiting line',
    60_000
  );
  expect(proc.stdout()).toContain(`npm run runs -- approve ${runId} --data-dir ${dataDir}`);
  expect(existsSync(path.join(dataDir, 'local-servers.json'))).toBe(true);

  // Act: the real runs CLI, in another process, while the orchestrator holds the directory.
  const approved = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'runs.ts'), 'approve', runId, '--data-dir', dataDir],
    { cwd: REPO_ROOT }
  );

  // Assess
  expect(approved.stdout).toMatch(/approved/);
  const exit = await proc.exited;
  expect(exit).toEqual({ code: 0, signal: null });
  expect(proc.stdout()).toMatch(/published tech-weekly/);
  expect(existsSync(path.join(dataDir, 'local-servers.json'))).toBe(false);
});

async function waitFor(probe: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
