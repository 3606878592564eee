/**
 * Runs ffmpeg as a child process: argument arrays (never a shell), stderr captured (bounded) for
 * error messages and for the measurements some filters print, and a hard timeout.
 */
import { spawn } from 'node:child_process';
import { FatalStageError, RetryableStageError } from '../../errors';
import { trackChildProcess } from '../child-processes';

export interface FfmpegRunOptions {
  /** Kill ffmpeg (SIGKILL) after this many ms. */
  timeoutMs: number;
  cwd?: string;
  /** Names the step in error messages ("mix pass 1"). */
  step: string;
  /** Kills ffmpeg (SIGKILL) when aborted; the run fails with the signal's reason. */
  signal?: AbortSignal;
}

export interface FfmpegRunResult {
  /** The tail of stderr (at most STDERR_LIMIT bytes). */
  stderr: string;
  elapsedMs: number;
}

/** Keep the end of stderr: the summary ffmpeg prints last is what we parse. */
const STDERR_LIMIT = 1024 * 1024;

/** Always quiet the banner and the progress line; callers add the rest. */
const BASE_ARGS = ['-hide_banner', '-nostdin', '-nostats', '-y'];

export async function runFfmpeg(
  binary: string,
  args: readonly string[],
  options: FfmpegRunOptions
): Promise<FfmpegRunResult> {
  const started = Date.now();
  return new Promise<FfmpegRunResult>((resolve, reject) => {
    let stderr = '';
    let settled = false;
    const settle = (error: Error | undefined, result?: FfmpegRunResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else if (result) resolve(result);
    };
    let child: ReturnType<typeof spawn>;
    try {
      // Tracked, so the orchestrator's stop signal ends it (child-processes.ts).
      child = trackChildProcess(
        spawn(binary, [...BASE_ARGS, ...args], {
          cwd: options.cwd,
          stdio: ['ignore', 'ignore', 'pipe'],
          shell: false,
        }),
        `ffmpeg (${options.step})`
      );
    } catch (error) {
      reject(
        new FatalStageError(
          `${options.step}: could not start ffmpeg at ${binary}: ${(error as Error).message}`,
          { cause: error }
        )
      );
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      // Settle now: a grandchild holding stderr open must not delay the failure.
      settle(new RetryableStageError(`${options.step}: ffmpeg timed out after ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    function onAbort(): void {
      child.kill('SIGKILL');
      const reason: unknown = options.signal?.reason;
      settle(
        reason instanceof Error ? reason : new RetryableStageError(`${options.step}: ffmpeg was stopped`)
      );
    }
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > STDERR_LIMIT * 2) stderr = stderr.slice(-STDERR_LIMIT);
    });
    child.on('error', (error) => {
      settle(
        new FatalStageError(`${options.step}: could not run ffmpeg at ${binary}: ${error.message}`, {
          cause: error,
        })
      );
    });
    child.on('close', (code, signal) => {
      const tail = stderr.slice(-STDERR_LIMIT);
      if (code !== 0) {
        const how = code === null ? `was killed by ${signal ?? 'a signal'}` : `exited with code ${code}`;
        settle(new FatalStageError(`${options.step}: ffmpeg ${how}: ${lastMeaningfulLine(tail)}`));
      } else {
        settle(undefined, { stderr: tail, elapsedMs: Date.now() - started });
      }
    });
  });
}

/** The last non-empty stderr line, which is where ffmpeg says what went wrong. */
export function lastMeaningfulLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('Conversion failed'));
  return lines[lines.length - 1] ?? '(no output on stderr)';
}
