/**
 * ECS states under `serve`. A `.waitForTaskToken` stage state starts the stage-task entry point
 * as a process whose TASK_TOKEN is a fresh token; the process reports through the edge endpoint
 * (SendTaskSuccess/Failure/Heartbeat with @aws-sdk/client-sfn, the path it takes on AWS) and the
 * state ends with that report. It fails with States.HeartbeatTimeout when the state's
 * HeartbeatSeconds pass without a heartbeat, and with States.TaskFailed when the process exits
 * without reporting; either way the process is stopped, so a retry never runs beside it.
 * `RunMonolithicOrchestrator` (`.sync`) starts the orchestrator entry point and ends when it exits.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { JsonValue, TaskState } from '../../stepfunctions/asl-types';
import { containerEnvironment } from '../../stepfunctions/local/stage-task-process';
import { ECS_RUN_TASK_SYNC } from '../../stepfunctions/stage-states';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './local-state-machine';
import {
  taskFailed,
  taskScheduled,
  taskStarted,
  taskSubmitted,
  taskSucceeded,
  type TaskResource,
} from './execution-history';
import type { NewHistoryEvent } from './execution-store';
import { ORCHESTRATOR_ENTRY, STAGE_TASK_ENTRY, startTaskProcess, type TaskProcess } from './task-processes';
import { TaskFailure, type TaskTokens } from './task-tokens';

export interface EcsRuntime {
  tokens: TaskTokens;
  env: NodeJS.ProcessEnv;
  logDir: string;
  stackName: string;
  history: (event: NewHistoryEvent) => void;
  /** Resolves once the state's entry is in the history (execution-runner.ts). */
  afterStateEntered: (state: string) => Promise<void>;
  /** Called when a task's state ends, before the next state starts (the CLI shows its events). */
  afterTask?: () => Promise<void>;
  /** The entry points the tasks run (tests put scripts of their own here). */
  entries?: { stageTask: string; orchestrator: string };
  /** Keeps the process for the execution, which stops what is left when it ends. */
  track: (task: TaskProcess) => void;
}

/** How long a task that exited may still have its report in flight. */
const REPORT_GRACE_MS = 2_000;

/** The container's environment from the state's evaluated Parameters, TASK_TOKEN set to `token`. */
function containerEnv(parameters: JsonValue, token?: string): Record<string, string> {
  const env = containerEnvironment(parameters);
  return token ? { ...env, TASK_TOKEN: token } : env;
}

let sequence = 0;

export async function runEcsState(
  name: string,
  state: TaskState,
  parameters: JsonValue,
  runtime: EcsRuntime
): Promise<JsonValue> {
  const sync = state.Resource === ECS_RUN_TASK_SYNC;
  const resource: TaskResource = {
    resourceType: 'ecs',
    resource: sync ? 'runTask.sync' : 'runTask.waitForTaskToken',
  };
  const heartbeatSeconds = (state as TaskState & { HeartbeatSeconds?: number }).HeartbeatSeconds;
  await runtime.afterStateEntered(name);
  runtime.history(taskScheduled(resource, parameters, heartbeatSeconds));
  const wait = sync ? undefined : runtime.tokens.issue(heartbeatSeconds ? { heartbeatSeconds } : {});
  let task: TaskProcess;
  try {
    const env = { ...process.env, ...runtime.env, ...containerEnv(parameters, wait?.token) };
    sequence += 1;
    const entries = runtime.entries ?? { stageTask: STAGE_TASK_ENTRY, orchestrator: ORCHESTRATOR_ENTRY };
    task = startTaskProcess(sync ? entries.orchestrator : entries.stageTask, env, {
      logFile: path.join(runtime.logDir, `${name}-${sequence}.log`),
      name: `${name} task`,
    });
  } catch (error) {
    wait?.fail('States.Runtime', String(error));
    throw error;
  }
  runtime.track(task);
  const taskArn = localTaskArn(runtime.stackName);
  runtime.history(taskStarted(resource));
  runtime.history(
    taskSubmitted(resource, { TaskArn: taskArn, LastStatus: 'RUNNING', LogFile: task.logFile })
  );
  try {
    const output = sync ? await untilExit(task, taskArn) : await untilReported(task, wait!);
    runtime.history(taskSucceeded(resource, output));
    await runtime.afterTask?.().catch(() => undefined);
    return output;
  } catch (error) {
    const failure =
      error instanceof TaskFailure ? error : new TaskFailure('States.TaskFailed', String(error));
    runtime.history(taskFailed(resource, failure.error, failure.message));
    await task.stop();
    await runtime.afterTask?.().catch(() => undefined);
    throw failure;
  }
}

/** The stage task's report; its exit without one fails the state (after a short grace). */
async function untilReported(task: TaskProcess, wait: ReturnType<TaskTokens['issue']>): Promise<JsonValue> {
  void task.exited.then(async (code) => {
    await new Promise((resolve) => setTimeout(resolve, REPORT_GRACE_MS).unref());
    wait.fail(
      'States.TaskFailed',
      `the stage task exited (${code}) without reporting its result; last log: ${task.lastLines()} (${task.logFile})`
    );
  });
  return (await wait.result) as JsonValue;
}

/** RunMonolithicOrchestrator: the orchestrator records the run itself; its exit code is the result. */
async function untilExit(task: TaskProcess, taskArn: string): Promise<JsonValue> {
  const code = await task.exited;
  if (code === 0)
    return {
      TaskArn: taskArn,
      LastStatus: 'STOPPED',
      StopCode: 'EssentialContainerExited',
      Containers: [{ Name: 'orchestrator', ExitCode: 0 }],
    };
  throw new TaskFailure(
    'States.TaskFailed',
    `the orchestrator task exited (${code}): ${task.lastLines()} (${task.logFile})`
  );
}

/** A task ARN of the local cluster, as ECS would give one. */
function localTaskArn(stackName: string): string {
  return `arn:aws:ecs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:task/${stackName}/${randomBytes(16).toString('hex')}`;
}
