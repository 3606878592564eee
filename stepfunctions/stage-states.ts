/**
 * The states of one stage, from its registry entry: a Lambda Task, a Map over the shards prepare
 * fixed (fan-out), or an ECS task that reports back with a task token; optional stages get a
 * Choice on prepare's `enabled` and a Pass that records `{ skipped: true }`; a stage that may skip
 * the run (plan `canSkipRun`) is followed by a Choice on its manifest's `skipRun` and a run-status
 * task that records the skip and ends the execution. Every stage's Catch goes to its own
 * run-status task, which records the failure and ends the scope.
 */
import type { StagePlanEntry } from '../stages/pipeline-plan';
import {
  catchAll,
  checkSkipState,
  ECS_HEARTBEAT_SECONDS,
  networkConfiguration,
  recordFailureState,
  recordSkipState,
  retryFor,
  transition,
} from './asl-fragments';
import { APPROVAL_STAGE, approvalStates } from './approval-states';
import type { JsonObject, MapState, State, TaskState } from './asl-types';
import { CONTAINER_NAMES, placeholders, ref, stateNames } from './state-names';

/** What the generator reads from a registry entry (the module itself is not needed). */
export type StageShape = Pick<
  StagePlanEntry,
  'id' | 'dependsOn' | 'runtime' | 'timeoutSeconds' | 'retry' | 'fanOut' | 'optional' | 'canSkipRun'
>;

/**
 * A States object being filled, the Fail state that ends it after a recorded failure, and (the
 * machine's top level only: a Parallel branch cannot end the execution) the Succeed state that
 * ends it after a recorded skip.
 */
export interface Scope {
  readonly states: Record<string, State>;
  readonly failState: string;
  readonly skipState?: string;
}

export const ECS_WAIT_FOR_TASK_TOKEN = 'arn:aws:states:::ecs:runTask.waitForTaskToken';
export const ECS_RUN_TASK_SYNC = 'arn:aws:states:::ecs:runTask.sync';

/** Heartbeat for an ECS stage: the standard one, below the stage's timeout. */
export function heartbeatSeconds(stage: StageShape): number {
  return Math.max(1, Math.min(ECS_HEARTBEAT_SECONDS, stage.timeoutSeconds - 1));
}

function addState(scope: Scope, name: string, state: State): void {
  if (name in scope.states) throw new Error(`state "${name}" is generated twice`);
  scope.states[name] = state;
}

/**
 * The small state a stage reads: ids and the finished stages' manifests. The first stage gets the
 * run input instead, and the mode it records on the run.
 */
function stageParameters(first: boolean): JsonObject {
  return first
    ? { 'runId.$': '$.runId', 'podcastId.$': '$.podcastId', 'input.$': '$', stages: {}, mode: 'distributed' }
    : { 'runId.$': '$.runId', 'podcastId.$': '$.podcastId', 'stages.$': '$.stages' };
}

function lambdaTask(stage: StageShape, first: boolean, next: string | undefined): TaskState {
  return {
    Type: 'Task',
    Resource: ref(placeholders.functionArn(stage.id)),
    Parameters: stageParameters(first),
    ResultPath: `$.stages.${stage.id}`,
    TimeoutSeconds: stage.timeoutSeconds,
    Retry: retryFor(stage.retry),
    Catch: catchAll(stateNames.recordFailure(stage.id)),
    ...transition(next),
  };
}

/** The task rebuilds its input from the checkpoints in S3 (container overrides are capped at 8 KiB). */
function ecsTask(stage: StageShape, next: string | undefined): TaskState {
  const heartbeat = heartbeatSeconds(stage);
  return {
    Type: 'Task',
    Comment: `Runs ${stage.id} as a Fargate task that reports back with the task token`,
    Resource: ECS_WAIT_FOR_TASK_TOKEN,
    Parameters: {
      Cluster: ref(placeholders.ecsClusterArn),
      TaskDefinition: ref(placeholders.taskDefinitionArn(stage.id)),
      LaunchType: 'FARGATE',
      NetworkConfiguration: networkConfiguration(),
      Overrides: {
        ContainerOverrides: [
          {
            Name: CONTAINER_NAMES.stageTask,
            Environment: [
              { Name: 'RUN_ID', 'Value.$': '$.runId' },
              { Name: 'PODCAST_ID', 'Value.$': '$.podcastId' },
              { Name: 'STAGE_ID', Value: stage.id },
              { Name: 'HEARTBEAT_SECONDS', Value: String(heartbeat) },
              { Name: 'TASK_TOKEN', 'Value.$': '$$.Task.Token' },
            ],
          },
        ],
      },
    },
    ResultPath: `$.stages.${stage.id}`,
    TimeoutSeconds: stage.timeoutSeconds,
    HeartbeatSeconds: heartbeat,
    Retry: retryFor(stage.retry),
    Catch: catchAll(stateNames.recordFailure(stage.id)),
    ...transition(next),
  };
}

/** One iteration per shard index prepare fixed; the state keeps the raw array of shard manifests. */
function mapState(stage: StageShape, firstStageId: string, next: string | undefined): MapState {
  const fanOut = stage.fanOut as NonNullable<StageShape['fanOut']>;
  const shardsPath = `$.stages.${firstStageId}.shards.${stage.id}`;
  const shardState = stateNames.shard(stage.id);
  return {
    Type: 'Map',
    ItemsPath: shardsPath,
    MaxConcurrency: fanOut.maxConcurrency,
    ItemSelector: {
      ...stageParameters(false),
      shard: { 'index.$': '$$.Map.Item.Value', 'count.$': `States.ArrayLength(${shardsPath})` },
    },
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: shardState,
      States: {
        [shardState]: {
          Type: 'Task',
          Resource: ref(placeholders.functionArn(stage.id)),
          TimeoutSeconds: stage.timeoutSeconds,
          Retry: retryFor(stage.retry),
          End: true,
        },
      },
    },
    ResultPath: `$.stages.${stage.id}`,
    Catch: catchAll(stateNames.recordFailure(stage.id)),
    ...transition(next),
  };
}

function checkSupported(stage: StageShape, first: boolean): void {
  if (stage.fanOut && stage.runtime === 'ecs') {
    throw new Error(
      `stage "${stage.id}": a fan-out stage must run on lambda (ecs tasks cannot be Map iterations here)`
    );
  }
  if (first && (stage.fanOut || stage.optional || stage.runtime !== 'lambda')) {
    throw new Error(
      `stage "${stage.id}": the first stage must be a plain lambda stage (it receives the run input and fixes enabled/shards)`
    );
  }
}

/**
 * The Choice a stage that may skip the run leads to. It needs the machine's top level (a Parallel
 * branch cannot end the execution) and a stage after it (the Choice's default).
 */
function skipCheckName(stage: StageShape, scope: Scope, next: string | undefined): string {
  if (!scope.skipState || next === undefined)
    throw new Error(
      `stage "${stage.id}": a stage that can skip the run must run at the machine's top level (not in a parallel branch) and not last`
    );
  return stateNames.checkSkip(stage.id);
}

/**
 * Adds the stage's states to `scope`, leading to `next` (or ending the scope when undefined), and
 * returns the name of the state that enters the stage.
 */
export function addStageStates(
  stage: StageShape,
  scope: Scope,
  next: string | undefined,
  firstStageId: string
): string {
  const first = stage.id === firstStageId;
  checkSupported(stage, first);
  const name = stateNames.stage(stage.id);
  // A stage that may skip the run hands over to its Choice, which goes on to `next` by default;
  // the approval stage to the approval gate's Choice (approval-states.ts), likewise.
  const gate =
    stage.id === APPROVAL_STAGE && next !== undefined
      ? approvalStates(stage.id, firstStageId, next, scope.failState)
      : undefined;
  if (gate && stage.canSkipRun)
    throw new Error(`stage "${stage.id}": the approval stage cannot skip the run`);
  const afterStage = stage.canSkipRun ? skipCheckName(stage, scope, next) : (gate?.entry ?? next);
  let entry = name;
  if (stage.optional) {
    entry = stateNames.checkEnabled(stage.id);
    const skip = stateNames.skip(stage.id);
    addState(scope, entry, {
      Type: 'Choice',
      Comment: `${stage.id} is optional: prepare's enabled.${stage.id} (flags.enable.${stage.id}) can switch it off`,
      Choices: [
        { Variable: `$.stages.${firstStageId}.enabled.${stage.id}`, BooleanEquals: false, Next: skip },
      ],
      Default: name,
    });
    addState(scope, skip, {
      Type: 'Pass',
      Result: { skipped: true },
      ResultPath: `$.stages.${stage.id}`,
      ...transition(next),
    });
  }
  let state: State;
  if (stage.fanOut) state = mapState(stage, firstStageId, afterStage);
  else if (stage.runtime === 'ecs') state = ecsTask(stage, afterStage);
  else state = lambdaTask(stage, first, afterStage);
  addState(scope, name, state);
  if (stage.canSkipRun && next !== undefined && scope.skipState !== undefined) {
    const record = stateNames.recordSkip(stage.id);
    addState(scope, stateNames.checkSkip(stage.id), checkSkipState(stage.id, record, next));
    addState(scope, record, recordSkipState(stage.id, scope.skipState, scope.failState));
  }
  for (const [gateName, gateState] of Object.entries(gate?.states ?? {}))
    addState(scope, gateName, gateState);
  addState(scope, stateNames.recordFailure(stage.id), recordFailureState(stage.id, scope.failState));
  return entry;
}
