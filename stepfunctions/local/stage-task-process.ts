/**
 * Runs an ECS stage state locally: the container's environment comes from the state's
 * ContainerOverrides (RUN_ID, PODCAST_ID, STAGE_ID...), TASK_TOKEN is dropped (the task then
 * prints one result line instead of calling Step Functions), and containers/stage-task/main.ts
 * runs as a node process with tsx, or in-process for tests with in-memory deps.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { runStageTask } from '../../containers/stage-task/run-stage-task';
import { trackChildProcess } from '../../stages/shared/adapters/child-processes';
import type { StageTaskResultLine } from '../../containers/stage-task/task-reporters';
import type { StageDeps } from '../../stages/shared/stage';
import type { JsonValue } from '../asl-types';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const STAGE_TASK_MAIN = path.join(REPO_ROOT, 'containers', 'stage-task', 'main.ts');

/** A failure the task reported; its name is the task's error name, so Retry/Catch match it. */
export class StageTaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface EcsParameters {
  Overrides?: { ContainerOverrides?: { Environment?: { Name: string; Value: unknown }[] }[] };
}

/** The container's Environment overrides from an ECS state's (already evaluated) Parameters. */
export function containerEnvironment(parameters: JsonValue): Record<string, string> {
  const environment = (parameters as EcsParameters | null)?.Overrides?.ContainerOverrides?.[0]?.Environment;
  if (!environment)
    throw new StageTaskError(
      'States.Runtime',
      'the ECS state has no Overrides.ContainerOverrides[0].Environment'
    );
  const env: Record<string, string> = {};
  for (const { Name, Value } of environment) env[Name] = String(Value);
  delete env.TASK_TOKEN;
  return env;
}

/** The task's result line: the last stdout line that is a `{output}` or `{error, cause}` object. */
export function parseResultLine(stdout: string): StageTaskResultLine | undefined {
  const lines = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'));
  for (const line of lines.reverse()) {
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if ('output' in parsed) return { output: parsed.output };
      if (typeof parsed.error === 'string' && typeof parsed.cause === 'string')
        return { error: parsed.error, cause: parsed.cause };
    } catch {
      // a log line that happens to start with "{"
    }
  }
  return undefined;
}

/** The manifest of a successful task; throws the task's error otherwise. */
export function resultOrThrow(result: StageTaskResultLine | undefined, detail: string): JsonValue {
  if (!result)
    throw new StageTaskError('States.TaskFailed', `the stage task printed no result line (${detail})`);
  if ('error' in result) throw new StageTaskError(result.error, result.cause);
  return JSON.parse(JSON.stringify(result.output ?? null)) as JsonValue;
}

export interface StageTaskProcessOptions {
  /** The caller's environment for the task (endpoints, table and bucket names, credentials). */
  env?: NodeJS.ProcessEnv;
  scriptPath?: string;
  signal?: AbortSignal;
  /** The task's logs (stderr); dropped when not given. */
  onStderr?: (chunk: string) => void;
}

/** Spawns `node --import tsx containers/stage-task/main.ts` and returns the manifest it printed. */
export function runStageTaskProcess(
  parameters: JsonValue,
  options: StageTaskProcessOptions = {}
): Promise<JsonValue> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, ...containerEnvironment(parameters) };
  delete env.TASK_TOKEN;
  const script = options.scriptPath ?? STAGE_TASK_MAIN;
  return new Promise<JsonValue>((resolve, reject) => {
    // The task handles SIGTERM (it reports RunInterruptedError), whatever stops this process.
    const child = trackChildProcess(
      spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
      `stage task ${env.STAGE_ID ?? ''}`.trim(),
      {
        stopSignal: 'SIGTERM',
      }
    );
    let stdout = '';
    let stderrTail = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-2000);
      options.onStderr?.(chunk);
    });
    const onAbort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) =>
      reject(new StageTaskError('States.TaskFailed', `could not start the stage task: ${error.message}`))
    );
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      const lastLog = stderrTail.trim().split('\n').pop() ?? '';
      try {
        resolve(resultOrThrow(parseResultLine(stdout), `exit ${code ?? signal}; last log: ${lastLog}`));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** The same task in this process, on the caller's deps (tests with in-memory fakes). */
export async function runStageTaskInProcess(
  parameters: JsonValue,
  deps: StageDeps,
  signal?: AbortSignal
): Promise<JsonValue> {
  let line: string | undefined;
  await runStageTask({
    env: containerEnvironment(parameters),
    buildDeps: () => deps,
    createSfnClient: () => {
      throw new Error('a local stage task has no task token');
    },
    writeLine: (text) => {
      line = text;
    },
    ...(signal ? { signal } : {}),
    logger: deps.logger,
  });
  return resultOrThrow(line === undefined ? undefined : parseResultLine(line), 'in-process');
}
