/**
 * A reader that closes the pipe before the program has printed (`runs list | head -1`,
 * `npm start -- --json | head -1`): its output is dropped and it finishes its work, exiting with
 * its own code, instead of an unhandled EPIPE 'error' event, a stack trace and exit 1 in the middle
 * of a run (stages/shared/closed-stdout.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Runs `script` with `args`, its stdout read by a reader that closes it at once. */
function intoClosedPipe(script: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The reader goes away before the script has printed (`head -1` done with another line).
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('runs, printing into a pipe whose reader has gone', () => {
  it('ends quietly with exit 0 (no EPIPE error, no stack trace)', async () => {
    const { code, stderr } = await intoClosedPipe('scripts/runs.ts', ['list', '--help']);

    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 30_000);
});

describe('the orchestrator, its --json output read by a reader that has gone', () => {
  it('finishes the run and exits 0, the episode written', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'orchestrator-epipe-'));
    try {
      const example = path.join(ROOT, 'examples/tech-weekly');
      const { code, stderr } = await intoClosedPipe('containers/orchestrator/main.ts', [
        '--podcast',
        path.join(example, 'podcast.json'),
        path.join(example, 'run.json'),
        '--json',
        '--data-dir',
        path.join(dir, 'data'),
        '--output-dir',
        path.join(dir, 'out'),
      ]);

      expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
      expect(code).toBe(0);
      expect(existsSync(path.join(dir, 'out/tech-weekly/2026-11-23/episode.mp3'))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
