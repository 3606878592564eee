/**
 * `npm run runs -- list ... | head -1`: a reader that closes the pipe before the script has
 * printed ends it quietly with exit 0, as Unix tools end, instead of an unhandled EPIPE 'error'
 * event with a stack trace and exit 1 (scripts/lib/run-main.ts).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Runs scripts/runs.ts with `args`, its stdout read by a reader that closes it at once. */
function runsIntoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/runs.ts'), ...args], {
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
    const { code, stderr } = await runsIntoClosedPipe(['list', '--help']);

    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 30_000);
});
