/**
 * The process-wide registry of live child processes (stages/shared/adapters/child-processes.ts)
 * that the orchestrator's SIGINT/SIGTERM handler empties: tracked children leave it when they
 * exit, stopChildProcesses() signals them (or their own stop signal), SIGKILLs those that do not
 * exit within the grace period, and ffmpeg runs are tracked, so a stop ends them.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFfmpeg } from '../../../stages/shared/adapters/audio/ffmpeg-process';
import {
  liveChildProcesses,
  stopChildProcesses,
  trackChildProcess,
} from '../../../stages/shared/adapters/child-processes';
import { FatalStageError } from '../../../stages/shared/errors';

const scratch = mkdtempSync(join(tmpdir(), 'child-processes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A node child that prints the signal it got (or ignores it) and otherwise waits forever. */
function nodeChild(onSignal: 'report' | 'ignore') {
  const code =
    onSignal === 'report'
      ? "for (const s of ['SIGINT','SIGTERM']) process.on(s, () => { process.stdout.write(s); process.exit(0); }); setInterval(() => {}, 1000); process.stdout.write('ready');"
      : "process.on('SIGINT', () => {}); process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); process.stdout.write('ready');";
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  const ready = new Promise<void>((resolve) =>
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('ready')) resolve();
    })
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal }))
  );
  return { child, ready, exited, output: () => out };
}

describe('the child-process registry', () => {
  it('tracks a child until it exits', async () => {
    const { child, ready, exited } = nodeChild('report');
    trackChildProcess(child, 'test child');
    await ready;

    expect(liveChildProcesses()).toEqual([{ name: 'test child', pid: child.pid }]);
    child.kill('SIGTERM');
    await exited;

    expect(liveChildProcesses()).toEqual([]);
  });

  it("stopChildProcesses sends the stopping signal, or a child's own stop signal, and waits for them", async () => {
    const a = nodeChild('report');
    const b = nodeChild('report');
    trackChildProcess(a.child, 'forwarded');
    trackChildProcess(b.child, 'sigterm only', { stopSignal: 'SIGTERM' });
    await Promise.all([a.ready, b.ready]);

    await stopChildProcesses('SIGINT');

    expect(a.output()).toBe('readySIGINT');
    expect(b.output()).toBe('readySIGTERM');
    expect(await a.exited).toEqual({ code: 0, signal: null });
    expect(liveChildProcesses()).toEqual([]);
  });

  it('SIGKILLs a child that ignores the signal once the grace period is over', async () => {
    const stubborn = nodeChild('ignore');
    trackChildProcess(stubborn.child, 'stubborn');
    await stubborn.ready;
    const started = Date.now();

    await stopChildProcesses('SIGINT', 300);

    expect(await stubborn.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('ends a running ffmpeg: runFfmpeg fails naming the signal, nothing is left running', async () => {
    const binary = join(scratch, 'ffmpeg-that-hangs');
    writeFileSync(binary, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(binary, 0o755);
    const run = runFfmpeg(binary, ['-i', 'x'], { timeoutMs: 60_000, step: 'mix pass 1' });
    const outcome = run.catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(liveChildProcesses()).toEqual([{ name: 'ffmpeg (mix pass 1)', pid: expect.any(Number) }]);

    await stopChildProcesses('SIGINT');

    const error = await outcome;
    expect(error).toBeInstanceOf(FatalStageError);
    expect((error as Error).message).toMatch(/^mix pass 1: ffmpeg was killed by SIGINT/);
    expect(liveChildProcesses()).toEqual([]);
  });
});
