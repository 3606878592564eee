/**
 * Executes the committed state machine with aws-local-stepfunctions: placeholders get fake ARNs,
 * Lambda states run the real handler modules in this process (on the deps the caller passes),
 * ECS stage states run containers/stage-task/main.ts as a node process (or in-process), and the
 * monolithic state runs what the caller supplies. Returns the outcome, the library's event log
 * and the number of state transitions.
 */
import './polyfills';
import { readFileSync } from 'node:fs';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
} from 'aws-local-stepfunctions';
import { STAGES } from '../../stages/pipeline-plan';
import type { StageDeps } from '../../stages/shared/stage';
import type { JsonValue, StateMachineDefinition } from '../asl-types';
import { DEFINITION_FILE } from '../generate-definition';
import { fakePlaceholderValues, substitutePlaceholders } from '../placeholders';
import { runStageTaskInProcess, runStageTaskProcess } from './stage-task-process';
import type { TaskTokenRegistry } from './lambda-task-token';
import { bindTaskStates, type LocalTaskHandler, retryingStates } from './task-bindings';
import { withLocalTimeoutPaths } from './timeout-paths';

/** Stands in for `$$.Task.Token`; the ECS bindings drop it, so local tasks print their result. */
export const LOCAL_TASK_TOKEN = 'local-task-token';

type Execution = ReturnType<StateMachine['run']>;
export type LocalExecutionEvent = Execution['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export interface LocalRunOptions {
  /** Defaults to the committed stepfunctions/podcast_pipeline.asl.json. */
  definition?: StateMachineDefinition;
  /** The deps the in-process Lambda handlers (and in-process ECS tasks) run on. */
  deps?: StageDeps;
  /** `process` (default) spawns the stage-task entry point; `in-process` runs it on `deps`. */
  ecsMode?: 'process' | 'in-process';
  /** The environment of spawned stage tasks: endpoints, table and bucket names, credentials. */
  stageTaskEnv?: NodeJS.ProcessEnv;
  onStageTaskStderr?: (chunk: string) => void;
  /** Binds RunMonolithicOrchestrator (gets the evaluated ECS Parameters, PIPELINE_INPUT included). */
  monolithic?: LocalTaskHandler;
  /** Per state name, replaces the default binding (tests script behaviours with these). */
  handlers?: Record<string, LocalTaskHandler>;
  /**
   * Issues and answers the tokens of `lambda:invoke.waitForTaskToken` states (the approval gate);
   * answer them with `tokenNotifier(taskTokens)` (lambda-task-token.ts).
   */
  taskTokens?: TaskTokenRegistry;
  /** Milliseconds between retries: one number for every state, or per state name. */
  retryIntervalOverrides?: number | Record<string, number | number[]>;
  signal?: AbortSignal;
}

export interface LocalRunResult {
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  output?: JsonValue;
  error?: { Error: string; Cause: string };
  events: LocalExecutionEvent[];
  /** StateEntered events, Map iterations and Parallel branches included. */
  transitions: number;
}

/** `$$.Execution.Id` of a local run: an execution ARN named after the input's runId. */
export function localExecutionArn(input: JsonValue): string {
  const runId = (input as { runId?: unknown } | null)?.runId;
  const name = typeof runId === 'string' && /^[A-Za-z0-9_-]{1,80}$/.test(runId) ? runId : 'local-execution';
  return `arn:aws:states:us-east-1:123456789012:execution:podcast-local:${name}`;
}

export function readCommittedDefinition(file: string = DEFINITION_FILE): StateMachineDefinition {
  return JSON.parse(readFileSync(file, 'utf8')) as StateMachineDefinition;
}

function retryIntervals(
  definition: StateMachineDefinition,
  option: LocalRunOptions['retryIntervalOverrides']
): Record<string, number | number[]> | undefined {
  if (option === undefined || typeof option === 'object') return option;
  return Object.fromEntries(retryingStates(definition).map((name) => [name, option]));
}

function describeFailure(error: unknown): { Error: string; Cause: string } {
  const cause = error instanceof ExecutionError ? error.cause : error;
  if (cause instanceof Error) return { Error: cause.name, Cause: cause.message };
  return { Error: 'Error', Cause: String(cause) };
}

export async function runLocalStateMachine(
  input: JsonValue,
  options: LocalRunOptions = {}
): Promise<LocalRunResult> {
  const definition = options.definition ?? readCommittedDefinition();
  const { deps, signal } = options;
  if (options.ecsMode === 'in-process' && !deps) throw new Error('ecsMode "in-process" needs deps');
  const ecs: LocalTaskHandler =
    options.ecsMode === 'in-process'
      ? (parameters) => runStageTaskInProcess(parameters, deps as StageDeps, signal)
      : (parameters) =>
          runStageTaskProcess(parameters, {
            ...(options.stageTaskEnv ? { env: options.stageTaskEnv } : {}),
            ...(signal ? { signal } : {}),
            ...(options.onStageTaskStderr ? { onStderr: options.onStageTaskStderr } : {}),
          });
  const handlers = {
    ...bindTaskStates(definition, {
      stageIds: STAGES.map((s) => s.id),
      ecs,
      ...(deps ? { deps } : {}),
      ...(options.monolithic ? { monolithic: options.monolithic } : {}),
      ...(options.taskTokens ? { tokens: options.taskTokens } : {}),
    }),
    ...options.handlers,
  };
  const executable = withLocalTimeoutPaths(
    substitutePlaceholders(definition, fakePlaceholderValues(definition))
  );
  const machine = new StateMachine(executable as unknown as ConstructorParameters<typeof StateMachine>[0]);
  const retryIntervalOverrides = retryIntervals(definition, options.retryIntervalOverrides);

  const execution = machine.run(input, {
    overrides: {
      taskResourceLocalHandlers: handlers,
      ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
    },
    context: {
      Execution: { Id: localExecutionArn(input), Input: input, StartTime: new Date().toISOString() },
      Task: { Token: LOCAL_TASK_TOKEN },
    },
  });
  const onAbort = () => execution.abort();
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const events: LocalExecutionEvent[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) events.push(event);
  })();

  let result: Pick<LocalRunResult, 'status' | 'output' | 'error'>;
  try {
    result = { status: 'SUCCEEDED', output: (await execution.result) as JsonValue };
  } catch (error) {
    if (error instanceof ExecutionAbortedError) result = { status: 'ABORTED' };
    else if (error instanceof ExecutionTimeoutError) result = { status: 'TIMED_OUT' };
    else result = { status: 'FAILED', error: describeFailure(error) };
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  await collecting;
  return { ...result, events, transitions: events.filter((e) => e.type === 'StateEntered').length };
}
