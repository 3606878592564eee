/**
 * The processes `serve` runs for ECS states: a stage task (containers/stage-task/main.ts) or the
 * monolithic orchestrator (containers/orchestrator/main.ts), each started with node and this
 * process's loader flags (tsx, and any test preload), its environment from the state's container
 * overrides. Their output goes to a log file under `<data-dir>/logs/<execution>/`, the last
 * lines kept for error messages. `stop()` sends SIGTERM (what ECS sends) and SIGKILL after a grace.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { trackChildProcess } from '../../stages/shared/adapters/child-processes';
import { REPO_ROOT } from '../../stepfunctions/local/stage-task-process';

export const STAGE_TASK_ENTRY = path.join(REPO_ROOT, 'containers', 'stage-task', 'main.ts');
export const ORCHESTRATOR_ENTRY = path.join(REPO_ROOT, 'containers', 'orchestrator', 'main.ts');

/** How long a stopped task gets to report and exit before SIGKILL (ECS gives 30 s; local runs are small). */
const STOP_GRACE_MS = 5_000;

export interface TaskProcess {
  readonly child: ChildProcess;
  readonly logFile: string;
  /** The exit code (or signal name); resolves once the process is gone. */
  readonly exited: Promise<number | string>;
  /** The last lines it wrote (stdout and stderr), for an error message. */
  lastLines(): string;
  stop(): Promise<void>;
}

/** The loader flags children need: this process's own (tsx, preloads), or tsx when it has none. */
function nodeArgs(): string[] {
  return process.execArgv.length > 0 ? [...process.execArgv] : ['--import', 'tsx'];
}

export function startTaskProcess(
  entry: string,
  env: NodeJS.ProcessEnv,
  options: { logFile: string; name: string }
): TaskProcess {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = trackChildProcess(
    spawn(process.execPath, [...nodeArgs(), entry], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    options.name,
    { stopSignal: 'SIGTERM' }
  );
  let tail = '';
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => {
    child.once('error', (error) => {
      keep(Buffer.from(`could not start: ${error.message}\n`));
      resolve('spawn-error');
    });
    child.once('close', (code, signal) => {
      log.end();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return {
    child,
    logFile: options.logFile,
    exited,
    lastLines: () => lastLogLine(tail),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The most telling line of a task's output: the last JSON log line's message, or the last line.
 * Logs are Powertools JSON with a task token and plain text without one.
 */
export function lastLogLine(tail: string): string {
  const lines = tail
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  for (const line of lines.reverse()) {
    if (!line.startsWith('{')) return line.slice(0, 500);
    try {
      const parsed = JSON.parse(line) as {
        message?: unknown;
        level?: unknown;
        error?: { message?: unknown };
      };
      const detail = typeof parsed.error?.message === 'string' ? `: ${parsed.error.message}` : '';
      if (typeof parsed.message === 'string') return `${parsed.message}${detail}`.slice(0, 500);
    } catch {
      return line.slice(0, 500);
    }
  }
  return '';
}
