/**
 * Binds every Task state of the definition to local code, by state name (how aws-local-stepfunctions
 * overrides resources): stage Lambdas and run-status to their real handler modules, ECS stage
 * tasks to the stage-task entry point, the monolithic task to what the caller supplies. The
 * bindings are read from the resources (the `${...}` placeholders), so they follow the generator.
 */
import path from 'node:path';
import { describeError } from '../../stages/shared/errors';
import { createLambdaHandler } from '../../stages/shared/lambda-entry';
import type { RunnableStage, StageDeps } from '../../stages/shared/stage';
import type { JsonValue, State, StateMachineScope, TaskState } from '../asl-types';
import { LAMBDA_WAIT_FOR_TASK_TOKEN } from '../approval-states';
import { ECS_RUN_TASK_SYNC, ECS_WAIT_FOR_TASK_TOKEN } from '../stage-states';
import { FIXED_STATES, placeholders, ref } from '../state-names';
import { lambdaWaitForTaskToken, type TaskTokenRegistry, tokenNotifier } from './lambda-task-token';
import { REPO_ROOT } from './stage-task-process';

export type LocalTaskHandler = (input: JsonValue) => Promise<JsonValue>;
type LambdaHandler = (event: unknown) => Promise<unknown>;

/** Every Task state, including those in Parallel branches and Map item processors. */
export function taskStates(scope: StateMachineScope): { name: string; state: TaskState }[] {
  const found: { name: string; state: TaskState }[] = [];
  for (const [name, state] of Object.entries(scope.States) as [string, State][]) {
    if (state.Type === 'Task') found.push({ name, state });
    if (state.Type === 'Parallel') for (const branch of state.Branches) found.push(...taskStates(branch));
    if (state.Type === 'Map') found.push(...taskStates(state.ItemProcessor));
  }
  return found;
}

/** Names of every state that has a Retry (for retry interval overrides). */
export function retryingStates(scope: StateMachineScope): string[] {
  const names: string[] = [];
  for (const [name, state] of Object.entries(scope.States) as [string, State][]) {
    if ('Retry' in state && state.Retry) names.push(name);
    if (state.Type === 'Parallel') for (const branch of state.Branches) names.push(...retryingStates(branch));
    if (state.Type === 'Map') names.push(...retryingStates(state.ItemProcessor));
  }
  return names;
}

interface HandlerModule {
  handler?: LambdaHandler;
  /** A stage handler's stage (plan entry + module). */
  stage?: RunnableStage;
  /** run-status's handler factory. */
  createRunStatusHandler?: (
    buildDeps: () => StageDeps,
    buildNotifier?: () => ReturnType<typeof tokenNotifier>
  ) => LambdaHandler;
}

/**
 * `require`s `stages/<dir>/handler` (the real Lambda entry, run through tsx or jest). With `deps`
 * the handler is built the way the module builds its own, from the module's stage (or factory),
 * on those deps instead of the environment's: deps are passed in, never installed globally.
 */
export function loadHandlerModule(dir: string, deps?: StageDeps, tokens?: TaskTokenRegistry): LambdaHandler {
  const modulePath = path.join(REPO_ROOT, 'stages', dir, 'handler');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(modulePath) as HandlerModule;
  if (deps && loaded.stage) return createLambdaHandler(loaded.stage, () => deps) as LambdaHandler;
  if (deps && loaded.createRunStatusHandler)
    return loaded.createRunStatusHandler(() => deps, tokens ? () => tokenNotifier(tokens) : undefined);
  if (typeof loaded.handler !== 'function') throw new Error(`${modulePath} exports no handler`);
  return loaded.handler;
}

/** Yields to the event loop so the library can forward the events of nested (Map/Parallel) states. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Calls a handler the way Lambda does for Step Functions: JSON in and out, and an error becomes
 * { Error: its name, Cause: a JSON document with errorType and errorMessage }.
 */
export function asLambda(handler: LambdaHandler): LocalTaskHandler {
  return async (input) => {
    try {
      const output = await handler(JSON.parse(JSON.stringify(input)));
      return JSON.parse(JSON.stringify(output ?? null)) as JsonValue;
    } catch (error) {
      const { name } = describeError(error);
      const errorMessage = error instanceof Error ? error.message : String(error);
      const failure = new Error(JSON.stringify({ errorType: name, errorMessage }));
      failure.name = name;
      throw failure;
    } finally {
      await settle();
    }
  };
}

export interface BindingOptions {
  /** Stage ids whose `${<Pascal>FunctionArn}` resources map to `stages/<id>/handler`. */
  stageIds: readonly string[];
  /** Runs an ECS stage state (gets the evaluated Parameters). */
  ecs: LocalTaskHandler;
  monolithic?: LocalTaskHandler;
  loadHandler?: (dir: string) => LambdaHandler;
  /** The deps the in-process Lambda handlers run on (default: each handler's own, from the environment). */
  deps?: StageDeps;
  /** Issues and answers the tokens of `lambda:invoke.waitForTaskToken` states (the approval gate). */
  tokens?: TaskTokenRegistry;
}

export function bindTaskStates(
  definition: StateMachineScope,
  options: BindingOptions
): Record<string, LocalTaskHandler> {
  const load = options.loadHandler ?? ((dir: string) => loadHandlerModule(dir, options.deps, options.tokens));
  const lambdaDirs = new Map<string, string>([[ref(placeholders.runStatusFunctionArn), 'run-status']]);
  for (const id of options.stageIds) lambdaDirs.set(ref(placeholders.functionArn(id)), id);
  const cache = new Map<string, LocalTaskHandler>();
  const lazyLambda =
    (dir: string): LocalTaskHandler =>
    async (input) => {
      let bound = cache.get(dir);
      if (!bound) {
        bound = asLambda(load(dir));
        cache.set(dir, bound);
      }
      return bound(input);
    };

  const bindings: Record<string, LocalTaskHandler> = {};
  for (const { name, state } of taskStates(definition)) {
    const dir = lambdaDirs.get(state.Resource);
    const waitingDir =
      state.Resource === LAMBDA_WAIT_FOR_TASK_TOKEN
        ? lambdaDirs.get(String(state.Parameters?.FunctionName))
        : undefined;
    if (dir) bindings[name] = lazyLambda(dir);
    else if (waitingDir)
      bindings[name] = lambdaWaitForTaskToken(lazyLambda(waitingDir), options.tokens, name);
    else if (state.Resource === ECS_WAIT_FOR_TASK_TOKEN) bindings[name] = options.ecs;
    else if (state.Resource === ECS_RUN_TASK_SYNC) {
      bindings[name] =
        options.monolithic ??
        (async () => {
          throw new Error(`${FIXED_STATES.runMonolithic} has no local binding: pass the monolithic option`);
        });
    } else throw new Error(`state "${name}": no local binding for resource ${state.Resource}`);
  }
  return bindings;
}
