/**
 * A run that does not finish (containers/orchestrator/cli/unfinished-run.ts): a stop signal
 * records it failed with RunInterruptedError naming the signal and stops the servers; a failure
 * prints exactly one stderr line and maps to an exit code. An unexpected error (a full disk) is
 * `error: <Name>: <message>`, records the run failed while it is still running, and its stack
 * goes only to the debug log.
 */
import { interruptRun, reportFailure } from '../../containers/orchestrator/cli/unfinished-run';
import { PipelineFailedError } from '../../containers/orchestrator/engine/pipeline-engine';
import { DataDirLockedError } from '../../containers/orchestrator/local/data-dir-lock';
import { ValidationError } from '../../stages/shared/errors';
import { silentLogger } from '../../stages/shared/logger';
import type { Logger } from '../../stages/shared/ports';
import { makeFakeDeps } from '../fakes/fake-deps';

const T0 = '2026-11-23T12:00:00.000Z';

async function runningRun(stage = 'mix') {
  const deps = makeFakeDeps();
  await deps.runs.claim({ runId: 'r1', podcastId: 'p1', mode: 'monolithic', inputHash: 'h', input: {} }, T0);
  await deps.runs.beginUnit('r1', stage, stage, T0);
  return deps;
}

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error("ENOSPC: no space left on device, write '/data/s3/media/x'"), {
    code: 'ENOSPC',
    errno: -28,
    syscall: 'write',
  });
}

function recordingLogger() {
  const lines: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, extra?: Record<string, unknown>) =>
    void lines.push({ level, message, ...(extra ? { extra } : {}) });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

function stderr() {
  const chunks: string[] = [];
  return { write: (chunk: string) => chunks.push(chunk) > 0, text: () => chunks.join('') };
}

describe('interruptRun', () => {
  it('records the running run failed at its stage with RunInterruptedError naming the signal, then stops the servers', async () => {
    const deps = await runningRun('mix');
    let serversStopped = false;

    await interruptRun('SIGINT', {
      runId: 'r1',
      deps,
      logger: silentLogger,
      servers: { stop: async () => void (serversStopped = true) },
    });

    expect(await deps.runs.get('r1')).toMatchObject({
      status: 'failed',
      error: {
        stage: 'mix',
        name: 'RunInterruptedError',
        message: 'the orchestrator was stopped (SIGINT) before the run finished',
      },
    });
    expect((await deps.events.list('r1')).map((e) => e.type)).toEqual(['run.failed']);
    expect(serversStopped).toBe(true);
  });

  it('stops the servers even when the run cannot be recorded', async () => {
    const deps = makeFakeDeps();
    deps.runs.get = () => Promise.reject(enospc());
    let serversStopped = false;

    await interruptRun('SIGTERM', {
      runId: 'r1',
      deps,
      logger: silentLogger,
      servers: { stop: async () => void (serversStopped = true) },
    });

    expect(serversStopped).toBe(true);
  });
});

describe('reportFailure', () => {
  it('an unexpected error (a full disk) while the run is running: one `error: <Name>: <message>` line, the run recorded failed, exit 1', async () => {
    const deps = await runningRun('publish');
    const { logger, lines } = recordingLogger();
    const out = stderr();

    const code = await reportFailure(enospc(), { runId: 'r1', deps, logger }, out);

    expect(code).toBe(1);
    expect(out.text()).toBe("error: Error: ENOSPC: no space left on device, write '/data/s3/media/x'\n");
    expect(await deps.runs.get('r1')).toMatchObject({
      status: 'failed',
      error: {
        stage: 'publish',
        name: 'Error',
        message: "ENOSPC: no space left on device, write '/data/s3/media/x'",
      },
    });
    // the stack is for --log-level debug only
    expect(lines).toEqual([
      {
        level: 'debug',
        message: 'unexpected failure',
        extra: {
          error: { name: 'Error', message: expect.stringContaining('ENOSPC') },
          stack: expect.stringContaining('\n    at '),
        },
      },
    ]);
  });

  it('an unexpected error when the run is already final (published, then the output dir is full) leaves the record as it is', async () => {
    const deps = await runningRun('feed');
    await deps.runs.markSucceeded('r1', { episodeId: 'e1', guid: 'g1' }, T0);
    const out = stderr();

    const code = await reportFailure(enospc(), { runId: 'r1', deps, logger: silentLogger }, out);

    expect(code).toBe(1);
    expect(out.text().split('\n')).toEqual([expect.stringMatching(/^error: Error: ENOSPC/), '']);
    expect(await deps.runs.get('r1')).toMatchObject({ status: 'succeeded' });
  });

  it('an unexpected error before any run, or when the record cannot be written either: still exactly one line', async () => {
    const deps = await runningRun();
    deps.runs.markFailed = () => Promise.reject(enospc());
    const out = stderr();

    expect(await reportFailure(enospc(), { runId: 'r1', deps, logger: silentLogger }, out)).toBe(1);
    expect(await reportFailure(new TypeError('x is not a function'), { logger: silentLogger }, out)).toBe(1);

    expect(out.text().split('\n')).toEqual([
      expect.stringMatching(/^error: Error: ENOSPC/),
      'error: TypeError: x is not a function',
      '',
    ]);
  });

  it.each([
    [
      new ValidationError('input.episode.title: too long', 'input.episode.title'),
      2,
      'error: input.episode.title: too long\n',
    ],
    [
      new PipelineFailedError({
        stage: 'mix',
        name: 'FatalStageError',
        message: 'ffmpeg exited with code 1',
      }),
      1,
      'error: run r1 failed at stage mix: FatalStageError: ffmpeg exited with code 1\n',
    ],
    [
      new DataDirLockedError(
        'local servers for /d are already running in process 42 (lock file /d/local-servers.lock)'
      ),
      1,
      'error: local servers for /d are already running in process 42 (lock file /d/local-servers.lock)\n',
    ],
  ])('%s -> exit %i', async (error, code, line) => {
    const out = stderr();

    expect(await reportFailure(error, { runId: 'r1', logger: silentLogger }, out)).toBe(code);
    expect(out.text()).toBe(line);
  });

  it('quotes what it prints: control characters and line breaks cannot break the line or reach the terminal', async () => {
    const out = stderr();

    await reportFailure(
      new ValidationError('unknown option --x\u001b[2J\nsecond line'),
      { logger: silentLogger },
      out
    );

    expect(out.text()).toBe('error: unknown option --x\\u001b[2J\\nsecond line\n');
  });
});
