/**
 * A full disk through the real command (runCommand in-process, ENOSPC injected into node's
 * fs/promises): writing the local data directory (its lock file) or the output folder ends with
 * exactly one stderr line, `error: Error: ENOSPC: ...`, no stack trace (that only at --log-level
 * debug, in a log line), exit 1, and no lock file left behind. A run that was already published
 * keeps its true record. Heavy providers are the test preload's quick ones.
 */
import '../helpers/fault-injection-preload';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLocalServers } from '../../containers/orchestrator/local/local-servers';
import { createAwsPersistence } from '../../stages/shared/adapters/aws/create-aws-persistence';
import { EXAMPLE_DIR, runCli } from '../helpers/run-cli';

jest.setTimeout(120_000);

// The module object every `import { ... } from 'node:fs/promises'` reads its functions from.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fsp = require('node:fs/promises') as typeof import('node:fs/promises');
const realOpen = fsp.open;
const realWriteFile = fsp.writeFile;

const podcastFile = path.join(EXAMPLE_DIR, 'podcast.json');
const runFile = path.join(EXAMPLE_DIR, 'run.json');
let work: string;

function enospc(target: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, write '${target}'`), {
    code: 'ENOSPC',
    errno: -28,
    syscall: 'write',
    path: target,
  });
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'cli-disk-full-'));
});
afterEach(() => {
  jest.restoreAllMocks();
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The data dir's disk is full: its lock file is created but cannot be written. */
function fullDataDisk(): void {
  jest.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
    const handle = await realOpen(...args);
    if (String(args[0]).endsWith('local-servers.lock'))
      handle.writeFile = () => Promise.reject(enospc(String(args[0])));
    return handle;
  });
}

function expectOneLine(stderr: string, line: RegExp | string) {
  const lines = stderr.split('\n');
  expect(lines).toHaveLength(2);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('a full disk', () => {
  it('writing the local data dir: one error line, exit 1, no lock file left behind', async () => {
    const dataDir = path.join(work, 'data-full');
    fullDataDisk();
    const logged = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);

    const outcome = await runCli([
      '--podcast',
      podcastFile,
      runFile,
      '--data-dir',
      dataDir,
      '--output-dir',
      path.join(work, 'out-1'),
    ]);

    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe('');
    expectOneLine(
      outcome.stderr,
      `error: Error: ENOSPC: no space left on device, write '${path.join(dataDir, 'local-servers.lock')}'`
    );
    expect(logged).not.toHaveBeenCalled(); // no log line at the default level
    expect(existsSync(path.join(dataDir, 'local-servers.lock'))).toBe(false);
  });

  it('with --log-level debug the stack is in a debug log line (and still not in the error line)', async () => {
    const dataDir = path.join(work, 'data-full-debug');
    fullDataDisk();
    const logged: string[] = [];
    jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk: string | Uint8Array) => logged.push(String(chunk)) > 0);

    const outcome = await runCli([
      '--podcast',
      podcastFile,
      runFile,
      '--data-dir',
      dataDir,
      '--output-dir',
      path.join(work, 'out-2'),
      '--log-level',
      'debug',
    ]);

    expect(outcome.code).toBe(1);
    expectOneLine(outcome.stderr, /^error: Error: ENOSPC: no space left on device/);
    const failure = logged
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.message === 'unexpected failure');
    expect(failure).toMatchObject({
      level: 'DEBUG',
      error: { name: 'Error', message: expect.stringContaining('ENOSPC') },
      stack: expect.stringContaining('\n    at '),
    });
  });

  it('writing the output folder after the episode is published: one error line, exit 1, the run still recorded succeeded', async () => {
    const dataDir = path.join(work, 'data-ok');
    const outputDir = path.join(work, 'out-full');
    jest
      .spyOn(fsp, 'writeFile')
      .mockImplementation((...args: Parameters<typeof fsp.writeFile>) =>
        String(args[0]).startsWith(outputDir)
          ? Promise.reject(enospc(String(args[0])))
          : realWriteFile(...args)
      );

    const outcome = await runCli([
      '--podcast',
      podcastFile,
      runFile,
      '--data-dir',
      dataDir,
      '--output-dir',
      outputDir,
      '--json',
    ]);

    expect(outcome.code).toBe(1);
    expectOneLine(
      outcome.stderr,
      `error: Error: ENOSPC: no space left on device, write '${path.join(outputDir, 'tech-weekly', '2026-11-23', 'episode.mp3')}'`
    );
    expect(outcome.stdout).not.toContain('"type":"result"');
    jest.restoreAllMocks();
    const servers = await startLocalServers({ dataDir, quiet: true });
    try {
      expect(await createAwsPersistence(servers.env).runs.get('tech-weekly-2026-11-23')).toMatchObject({
        status: 'succeeded',
        episodeId: '2026-11-23',
      });
    } finally {
      await servers.stop();
    }
  });
});
