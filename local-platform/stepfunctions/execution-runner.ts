/**
 * Runs one attempt of an execution (its start, or a redrive) on the local runner
 * (aws-local-stepfunctions), the way AWS would run the committed definition:
 * - Lambda states call the real handler modules in this process, on `serve`'s deps;
 * - ECS stage states start the stage-task entry point as a process with a fresh task token; it
 *   reports through the edge endpoint with SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat, and
 *   the state waits for that (a heartbeat timeout, or the process exiting without a word, fails it);
 * - RunMonolithicOrchestrator starts the orchestrator entry point as a process and waits for it.
 * Every step lands in the execution's history; the ending in its record. An execution that ends
 * any other way than by the definition's own failure path (stopped, timed out, cut short by
 * `serve` stopping) also fails its run record, with the reason, through run-status.
 */
import './../../stepfunctions/local/polyfills';
import path from 'node:path';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
} from 'aws-local-stepfunctions';
import { STAGES } from '../../stages/pipeline-plan';
import { describeError } from '../../stages/shared/errors';
import { settledWithin } from '../../stages/shared/unit-cancellation';
import type { StageDeps } from '../../stages/shared/stage';
import type { JsonValue, TaskState } from '../../stepfunctions/asl-types';
import { readCommittedDefinition } from '../../stepfunctions/local/run-local-state-machine';
import {
  asLambda,
  bindTaskStates,
  type LocalTaskHandler,
  loadHandlerModule,
  taskStates,
} from '../../stepfunctions/local/task-bindings';
import { LAMBDA_WAIT_FOR_TASK_TOKEN } from '../../stepfunctions/approval-states';
import { withLocalTimeoutPaths } from '../../stepfunctions/local/timeout-paths';
import { ECS_RUN_TASK_SYNC, ECS_WAIT_FOR_TASK_TOKEN } from '../../stepfunctions/stage-states';
import { executionEnded, historyEventsFor } from './execution-history';
import type { ExecutionRecord, ExecutionStatus, ExecutionStore, NewHistoryEvent } from './execution-store';
import type { LocalStateMachine } from './local-state-machine';
import { runEcsState, type EcsRuntime } from './ecs-task-states';
import { lambdaEvents } from './lambda-history';
import { StateAnnouncements } from './state-announcements';
import type { TaskTokens } from './task-tokens';

export interface ExecutionRuntime {
  machine: LocalStateMachine;
  store: ExecutionStore;
  tokens: TaskTokens;
  /** The deps the in-process Lambda handlers run on. */
  deps: StageDeps;
  /** The environment of task processes: the edge endpoint, table and bucket names, credentials. */
  childEnv: NodeJS.ProcessEnv;
  /** Task process logs go under `<logDir>/<execution name>/`. */
  logDir: string;
  /** Called when an ECS state ends, before the next state starts. */
  afterTask?: () => Promise<void>;
}

/** Why an execution ended other than by its own course. */
export interface Interruption {
  status: 'ABORTED' | 'FAILED';
  error: string;
  cause: string;
  /** Whether the run record is failed with it (not when the caller records the run itself). @default true */
  recordRun?: boolean;
}

export interface RunningExecution {
  /** Resolves with the record once the attempt has ended and its history is on disk. */
  readonly done: Promise<ExecutionRecord>;
  /** Ends the attempt now (StopExecution, or `serve` stopping); resolves when it has ended. */
  interrupt(how: Interruption): Promise<ExecutionRecord>;
}

const LAMBDA_RESOURCE = /^arn:aws:lambda:/;
/** How long an ended execution waits for its in-flight Lambda invocations before recording. */
const LAMBDA_SETTLE_MS = 15_000;

function runIdOf(record: ExecutionRecord): string | undefined {
  try {
    const input = JSON.parse(record.input) as { runId?: unknown };
    return typeof input.runId === 'string' ? input.runId : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the attempt: the record must already be saved as RUNNING (with its history begun). */
export function startAttempt(record: ExecutionRecord, runtime: ExecutionRuntime): RunningExecution {
  const { machine, store } = runtime;
  const history = (event: NewHistoryEvent) => {
    store.append(record.name, [event]).catch(() => undefined);
  };
  const processes = new Set<{ stop(): Promise<void> }>();
  let interruption: Interruption | undefined;
  const announcements = new StateAnnouncements();
  // Lambda invocations still running: an aborted execution does not stop them (as on AWS), so its
  // ending waits for them before it records the run (prepare may claim it after the abort).
  const inflight = new Set<Promise<unknown>>();

  const ecsRuntime: EcsRuntime = {
    tokens: runtime.tokens,
    env: runtime.childEnv,
    logDir: path.join(runtime.logDir, record.name),
    stackName: machine.name.replace(/-pipeline$/, ''),
    history,
    afterStateEntered: (state) => announcements.called(state),
    ...(runtime.afterTask ? { afterTask: runtime.afterTask } : {}),
    track: (task) => {
      processes.add(task);
      void task.exited.finally(() => processes.delete(task));
    },
  };

  const executable = new Map(taskStates(machine.definition).map(({ name, state }) => [name, state]));
  const lambdaBindings = bindTaskStates(readCommittedDefinition(), {
    stageIds: STAGES.map((s) => s.id),
    ecs: async () => null,
    monolithic: async () => null,
    loadHandler: (dir) => loadHandlerModule(dir, runtime.deps, runtime.tokens),
    tokens: runtime.tokens,
  });
  const handlers: Record<string, LocalTaskHandler> = {};
  for (const [name, state] of executable) {
    const bound = bindState(name, state, lambdaBindings[name], ecsRuntime, history, announcements, {
      inflight,
      stopped: () => interruption !== undefined,
    });
    // After an abort the runner no longer awaits a state's handler: its late failure (a task
    // stopped with the execution) must not become an unhandled rejection that ends the process.
    handlers[name] = (input) => {
      const result = bound(input);
      result.catch(() => undefined);
      return result;
    };
  }

  const machineRunner = new StateMachine(
    withLocalTimeoutPaths(machine.definition) as unknown as ConstructorParameters<typeof StateMachine>[0]
  );
  const execution = machineRunner.run(JSON.parse(record.input) as JsonValue, {
    overrides: { taskResourceLocalHandlers: handlers },
    context: {
      Execution: {
        Id: record.executionArn,
        Name: record.name,
        Input: JSON.parse(record.input) as JsonValue,
        StartTime: record.startDate,
        RoleArn: machine.roleArn,
        RedriveCount: record.redriveCount,
      },
      StateMachine: { Id: machine.arn, Name: machine.name },
      // Each ECS state replaces this with a token of its own (ecs-task-states.ts).
      Task: { Token: 'issued-per-task' },
    },
  });
  const logging = (async () => {
    for await (const logged of execution.eventLogs) {
      const events = historyEventsFor(logged);
      if (events.length > 0) await store.append(record.name, events);
      if (logged.type === 'StateEntered' || logged.type === 'StateRetried')
        announcements.announce(logged.state.name);
    }
  })().catch(() => undefined);

  const done = (async (): Promise<ExecutionRecord> => {
    let ending: {
      status: Exclude<ExecutionStatus, 'RUNNING'>;
      output?: string;
      error?: string;
      cause?: string;
    };
    try {
      ending = { status: 'SUCCEEDED', output: JSON.stringify((await execution.result) ?? null) };
    } catch (error) {
      if (interruption) ending = { ...interruption };
      else if (error instanceof ExecutionAbortedError) ending = { status: 'ABORTED' };
      else if (error instanceof ExecutionTimeoutError)
        ending = { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'the execution timed out' };
      else ending = { status: 'FAILED', ...failureOf(error) };
    }
    await Promise.all([...processes].map((task) => task.stop()));
    await settledWithin(Promise.allSettled([...inflight]), LAMBDA_SETTLE_MS);
    await logging;
    const ended: ExecutionRecord = {
      ...record,
      ...ending,
      status: ending.status,
      stopDate: new Date().toISOString(),
    };
    if (ending.status !== 'SUCCEEDED' && interruption?.recordRun !== false)
      await failRunIfOpen(ended, runtime.deps);
    await store.append(record.name, [executionEnded(ending.status, ending)]);
    await store.save(ended);
    await store.flush();
    return ended;
  })();

  return {
    done,
    async interrupt(how) {
      interruption ??= how;
      // The run record first: a stopped task's own report (RunInterruptedError) must not win.
      if (how.recordRun !== false)
        await failRunIfOpen({ ...record, error: how.error, cause: how.cause }, runtime.deps);
      execution.abort();
      return done;
    },
  };
}

function bindState(
  name: string,
  state: TaskState,
  lambda: LocalTaskHandler | undefined,
  ecs: EcsRuntime,
  history: (event: NewHistoryEvent) => void,
  announcements: StateAnnouncements,
  lambdas: {
    inflight: Set<Promise<unknown>>;
    /** True once the execution is being stopped: no Lambda starts after that (as on AWS). */
    stopped: () => boolean;
  }
): LocalTaskHandler {
  const { inflight } = lambdas;
  if (state.Resource === ECS_WAIT_FOR_TASK_TOKEN || state.Resource === ECS_RUN_TASK_SYNC)
    return (parameters) => runEcsState(name, state, parameters, ecs);
  // The approval gate's `lambda:invoke.waitForTaskToken`: its binding invokes run-status and
  // waits for the token's answer (stepfunctions/local/lambda-task-token.ts).
  const waits = state.Resource === LAMBDA_WAIT_FOR_TASK_TOKEN;
  const functionArn = waits ? String(state.Parameters?.FunctionName) : state.Resource;
  if (!LAMBDA_RESOURCE.test(functionArn) || !lambda)
    throw new Error(`state "${name}": serve cannot run resource ${state.Resource}`);
  const events = lambdaEvents(functionArn);
  return async (input) => {
    await announcements.called(name);
    // Stopped while this state was being entered: its Lambda never starts, so nothing it would
    // write (prepare's claim) lands after the stop recorded the run.
    if (lambdas.stopped())
      throw new Error(`state "${name}": the execution was stopped before its Lambda started`);
    history(events.scheduled(input));
    history(events.started());
    try {
      const invocation = lambda(input);
      inflight.add(invocation);
      void invocation.then(
        () => inflight.delete(invocation),
        () => inflight.delete(invocation)
      );
      const output = await invocation;
      history(events.succeeded(output));
      return output;
    } catch (error) {
      const { name: errorName } = describeError(error);
      history(events.failed(errorName, error instanceof Error ? error.message : String(error)));
      throw error;
    }
  };
}

function failureOf(error: unknown): { error: string; cause: string } {
  const cause = error instanceof ExecutionError ? error.cause : error;
  if (cause instanceof Error) return { error: cause.name, cause: cause.message };
  return { error: 'States.Runtime', cause: String(cause) };
}

/**
 * The run record of an execution that did not end by its own failure path says why, through the
 * real run-status handler. A run already final (its Record...Failure state ran) is left as it is.
 */
export async function failRunIfOpen(record: ExecutionRecord, deps: StageDeps): Promise<void> {
  const runId = runIdOf(record);
  if (!runId) return;
  try {
    const run = await deps.runs.get(runId);
    if (!run || run.status !== 'running') return;
    const recordStatus = asLambda(loadHandlerModule('run-status', deps));
    await recordStatus({
      action: 'fail',
      runId,
      stage: 'execution',
      failure: { Error: record.error ?? 'States.Runtime', Cause: record.cause ?? 'the execution ended' },
    });
  } catch (error) {
    deps.logger.warn('could not record the run as failed', { runId, error: describeError(error) });
  }
}
