/**
 * Generates the state machine (Amazon States Language, JSONPath) from the pipeline plan:
 * `npm run asl` (stepfunctions/write-definition.ts) writes stepfunctions/podcast_pipeline.asl.json,
 * which the CDK stack loads with `${...}` substitutions (see state-names.ts `placeholders`).
 *
 * CheckOrchestrationMode picks the monolithic Fargate task or the distributed chain. The chain is
 * the plan's DAG as a series-parallel plan (stage-plan.ts): stages in sequence, Parallel
 * states where several stages are ready together. Every stage records its failure through the
 * run-status Lambda; RecordSuccess ends a good run, PipelineSkipped one that found nothing new to
 * publish (after the Choice that follows a stage the plan lets skip the run).
 */
import path from 'node:path';
import { STAGES } from '../stages/pipeline-plan';
import {
  catchAll,
  networkConfiguration,
  pipelineFailedState,
  pipelineSkippedState,
  RECORDED_PATH,
  recordFailureState,
  recordSuccessState,
} from './asl-fragments';
import type {
  JsonObject,
  ParallelState,
  Retrier,
  State,
  StateMachineDefinition,
  StateMachineScope,
  TaskState,
} from './asl-types';
import { type PlanItem, planStageIds, planStages } from './stage-plan';
import { addStageStates, ECS_RUN_TASK_SYNC, type Scope, type StageShape } from './stage-states';
import {
  CONTAINER_NAMES,
  FIXED_STATES,
  ORCHESTRATOR_STAGE,
  placeholders,
  ref,
  stateNames,
} from './state-names';

/** The stage whose manifest the run-status `succeed` action records (episodeId, guid). */
export const PUBLISH_STAGE_ID = 'publish';

export const DEFINITION_FILE = path.join(__dirname, 'podcast_pipeline.asl.json');

interface Context {
  byId: Map<string, StageShape>;
  firstStageId: string;
}

function entryName(item: PlanItem, ctx: Context): string {
  if (item.kind === 'parallel') return stateNames.parallel(item.branches.map((b) => firstStageOf(b)));
  const stage = ctx.byId.get(item.id) as StageShape;
  return stage.optional ? stateNames.checkEnabled(stage.id) : stateNames.stage(stage.id);
}

function firstStageOf(branch: PlanItem[]): string {
  const first = branch[0];
  if (!first || first.kind !== 'stage') throw new Error('a parallel branch must start with a stage');
  return first.id;
}

/** Emits a sequence of plan items into `scope`; returns the entry state name. */
function emitSequence(
  items: PlanItem[],
  scope: Scope,
  after: string | undefined,
  done: string[],
  ctx: Context
): string {
  const available = [...done];
  items.forEach((item, i) => {
    const nextItem = items[i + 1];
    const next = nextItem ? entryName(nextItem, ctx) : after;
    if (item.kind === 'stage') {
      addStageStates(ctx.byId.get(item.id) as StageShape, scope, next, ctx.firstStageId);
      available.push(item.id);
    } else {
      scope.states[entryName(item, ctx)] = parallelState(item.branches, scope, next, available, ctx);
      available.push(...planStageIds(item.branches.flat()));
    }
  });
  return entryName(items[0] as PlanItem, ctx);
}

/**
 * Branches run the chains that join again at `next`. A branch cannot jump out, so each has its
 * own Fail state after its recorded failure; the Parallel's Catch then ends the outer scope (the
 * run is already recorded). The ResultSelector rebuilds the whole `stages` object.
 */
function parallelState(
  branches: PlanItem[][],
  scope: Scope,
  next: string | undefined,
  done: string[],
  ctx: Context
): ParallelState {
  const selector: JsonObject = {};
  for (const id of done) selector[`${id}.$`] = `$[0].stages.${id}`;
  const built: StateMachineScope[] = branches.map((branch, index) => {
    const branchScope: Scope = { states: {}, failState: stateNames.branchFailed(firstStageOf(branch)) };
    const startAt = emitSequence(branch, branchScope, undefined, done, ctx);
    branchScope.states[branchScope.failState] = pipelineFailedState();
    for (const id of planStageIds(branch)) selector[`${id}.$`] = `$[${index}].stages.${id}`;
    return { StartAt: startAt, States: branchScope.states };
  });
  return {
    Type: 'Parallel',
    Comment: `Runs ${branches.map((b) => planStageIds(b).join(' -> ')).join(' || ')} side by side`,
    Branches: built,
    ResultSelector: selector,
    ResultPath: '$.stages',
    Catch: catchAll(scope.failState, RECORDED_PATH),
    ...(next === undefined ? { End: true as const } : { Next: next }),
  };
}

/** Time for Fargate to pull the image and start the orchestrator container. */
export const CONTAINER_START_SECONDS = 300;

/**
 * The monolithic task's bound: the whole pipeline in sequence with every stage using all its
 * attempts and longest retry delays, plus the container's start.
 */
export function monolithicTimeoutSeconds(registry: readonly StageShape[]): number {
  const stages = registry.reduce(
    (sum, s) =>
      sum + s.timeoutSeconds * s.retry.maxAttempts + s.retry.maxDelaySeconds * (s.retry.maxAttempts - 1),
    0
  );
  return stages + CONTAINER_START_SECONDS;
}

/**
 * RunTask errors that pass: no Fargate capacity in the AZs right now ("Capacity is unavailable at
 * this time", reported as ECS.AmazonECSException), and the ECS API throttling RunTask, directly or
 * wrapped as ECS.InvalidParameterException when ECS's own subnet or security group lookups are
 * throttled. Retried with backoff for about 5 minutes; a task that started and failed is not
 * retried here (the orchestrator recorded the run; a rerun resumes it from its checkpoints).
 */
export const ECS_LAUNCH_RETRY: Retrier = {
  ErrorEquals: ['ECS.AmazonECSException', 'ECS.ThrottlingException', 'ECS.InvalidParameterException'],
  IntervalSeconds: 10,
  BackoffRate: 2,
  MaxAttempts: 5,
  MaxDelaySeconds: 120,
  JitterStrategy: 'FULL',
};

function monolithicTask(registry: readonly StageShape[]): TaskState {
  return {
    Type: 'Task',
    Comment: 'Runs every stage in one Fargate task (containers/orchestrator); it records the run itself',
    Resource: ECS_RUN_TASK_SYNC,
    Parameters: {
      Cluster: ref(placeholders.ecsClusterArn),
      TaskDefinition: ref(placeholders.orchestratorTaskDefinitionArn),
      LaunchType: 'FARGATE',
      NetworkConfiguration: networkConfiguration(),
      Overrides: {
        ContainerOverrides: [
          {
            Name: CONTAINER_NAMES.orchestrator,
            Environment: [
              { Name: 'RUN_ID', 'Value.$': '$.runId' },
              { Name: 'PODCAST_ID', 'Value.$': '$.podcastId' },
              // By reference: the task reads the input with DescribeExecution. Container overrides
              // are capped at 8 KiB; an inline podcast config the schema accepts can pass 13 KiB.
              { Name: 'PIPELINE_EXECUTION_ARN', 'Value.$': '$$.Execution.Id' },
            ],
          },
        ],
      },
    },
    ResultPath: '$.orchestrator',
    TimeoutSeconds: monolithicTimeoutSeconds(registry),
    Retry: [ECS_LAUNCH_RETRY],
    Catch: catchAll(FIXED_STATES.recordOrchestratorFailure),
    End: true,
  };
}

export function buildDefinition(registry: readonly StageShape[] = STAGES): StateMachineDefinition {
  const plan = planStages(registry);
  const ctx: Context = { byId: new Map(registry.map((s) => [s.id, s])), firstStageId: firstStageOf(plan) };
  if (!ctx.byId.has(PUBLISH_STAGE_ID))
    throw new Error(`the registry has no "${PUBLISH_STAGE_ID}" stage, which RecordSuccess reads`);

  const states: Record<string, State> = {};
  const canSkip = registry.some((s) => s.canSkipRun);
  const top: Scope = {
    states,
    failState: FIXED_STATES.pipelineFailed,
    ...(canSkip ? { skipState: FIXED_STATES.pipelineSkipped } : {}),
  };
  const firstEntry = entryName(plan[0] as PlanItem, ctx);
  states[FIXED_STATES.checkMode] = {
    Type: 'Choice',
    Comment: 'flags.useMonolithicOrchestrator = true runs the whole pipeline in one Fargate task',
    Choices: [
      {
        And: [
          { Variable: '$.flags.useMonolithicOrchestrator', IsPresent: true },
          { Variable: '$.flags.useMonolithicOrchestrator', BooleanEquals: true },
        ],
        Next: FIXED_STATES.runMonolithic,
      },
    ],
    Default: firstEntry,
  };
  states[FIXED_STATES.runMonolithic] = monolithicTask(registry);
  states[FIXED_STATES.recordOrchestratorFailure] = recordFailureState(
    ORCHESTRATOR_STAGE,
    FIXED_STATES.pipelineFailed
  );
  emitSequence(plan, top, FIXED_STATES.recordSuccess, [], ctx);
  states[FIXED_STATES.recordSuccess] = recordSuccessState(PUBLISH_STAGE_ID);
  states[FIXED_STATES.pipelineFailed] = pipelineFailedState();
  if (canSkip) states[FIXED_STATES.pipelineSkipped] = pipelineSkippedState();

  return {
    Comment:
      'podcast-platform pipeline: generated from stages/registry.ts by stepfunctions/generate-definition.ts; do not edit by hand',
    QueryLanguage: 'JSONPath',
    StartAt: FIXED_STATES.checkMode,
    States: states,
  };
}

/** The committed file's exact text: 2-space JSON and a final newline. */
export function renderDefinition(definition: StateMachineDefinition = buildDefinition()): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}
