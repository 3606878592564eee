/**
 * One measured local run: fresh local servers (dynalite + s3rver) in a fresh data folder, SDK
 * clients with the request counter, stage modules wrapped by the probe, and the committed state
 * machine executed locally in either mode:
 * - monolithic: CheckOrchestrationMode -> RunMonolithicOrchestrator, whose task runs the monolithic
 *   engine (runPipeline) in this process, as the container's entry point would;
 * - distributed: every Lambda state runs its real handler module in this process, and the ECS
 *   stage states (scrape, mix) run the stage-task code path (runStageTask) in this process too,
 *   so their requests and stage work are observed like the rest. What a separate process adds
 *   (a node start, a Fargate task start) is not in the wall time; the cost model adds the
 *   Fargate start as an assumption.
 */
import { realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readRunInput } from '../containers/orchestrator/cli/read-run-input';
import { runPipeline } from '../containers/orchestrator/engine/pipeline-engine';
import { startLocalServers } from '../containers/orchestrator/local/local-servers';
import { loadPodcastConfigFile } from '../containers/orchestrator/local/podcast-config-file';
import { STAGES, unitKey } from '../stages/pipeline-plan';
import { createDynamoDocumentClient, createS3Client } from '../stages/shared/adapters/aws/aws-clients';
import { createAwsPersistence } from '../stages/shared/adapters/aws/create-aws-persistence';
import { createProviders } from '../stages/shared/adapters/create-providers';
import { DEFAULT_FETCH_POLICY } from '../stages/shared/adapters/fetch/fetch-policy';
import { ENV } from '../stages/shared/env';
import { resolvePublicBaseUrl } from '../stages/shared/public-urls';
import { StderrLogger } from '../stages/shared/logger';
import type { StageDeps } from '../stages/shared/stage';
import { runStageUnit } from '../stages/shared/stage-runner';
import type { JsonValue } from '../stepfunctions/asl-types';
import {
  readCommittedDefinition,
  runLocalStateMachine,
} from '../stepfunctions/local/run-local-state-machine';
import { containerEnvironment, runStageTaskInProcess } from '../stepfunctions/local/stage-task-process';
import { bindTaskStates, type LocalTaskHandler, taskStates } from '../stepfunctions/local/task-bindings';
import { ECS_RUN_TASK_SYNC, ECS_WAIT_FOR_TASK_TOKEN } from '../stepfunctions/stage-states';
import { stateNames } from '../stepfunctions/state-names';
import { type RequestRecord, RequestCounter } from './request-counter';
import {
  type StageProbe,
  type StageTiming,
  stageTimings,
  type UnitInterval,
  type UnitKind,
  unionLength,
  within,
} from './stage-probe';

export type Mode = 'monolithic' | 'distributed';

export interface RunPlan {
  label: string;
  configFile: string;
  runInput: { runId: string; podcastId: string } & Record<string, unknown>;
}

export interface StageRunTiming extends StageTiming {
  /** DynamoDB/S3 requests the stage's units made outside its run(): the lifecycle's round trips. */
  lifecycleRequests: number;
  /** Their summed latency against the local servers. */
  lifecycleRequestMs: number;
}

export interface RunMeasurement {
  mode: Mode;
  /** The run's wall time: the monolithic task's work, or the whole state-machine execution. */
  wallMs: number;
  /** Wall time covered by stage work (run() of any stage). */
  busyMs: number;
  /** wallMs - busyMs. */
  overheadMs: number;
  audioMs: number;
  stages: StageRunTiming[];
  /** Orchestrator units with times relative to the run's start, and the stage work inside each. */
  units: (UnitInterval & { workMs: number })[];
  requests: RequestRecord[];
  transitions: number;
}

/** Which stage a task state runs, and what kind of compute runs it on AWS. */
export function describeTaskStates(
  definition = readCommittedDefinition()
): Map<string, { stage: string; kind: UnitKind }> {
  const byState = new Map<string, { stage: string; kind: UnitKind }>();
  for (const { name, state } of taskStates(definition)) {
    const def = STAGES.find((s) => stateNames.stage(s.id) === name || stateNames.shard(s.id) === name);
    if (state.Resource === ECS_RUN_TASK_SYNC) byState.set(name, { stage: 'run', kind: 'orchestrator' });
    else if (state.Resource === ECS_WAIT_FOR_TASK_TOKEN)
      byState.set(name, { stage: def?.id ?? name, kind: 'ecs' });
    else byState.set(name, { stage: def?.id ?? 'run-status', kind: 'lambda' });
  }
  return byState;
}

function shardIndexOf(input: JsonValue): number | undefined {
  const shard = (input as { shard?: { index?: unknown } } | null)?.shard;
  return typeof shard?.index === 'number' ? shard.index : undefined;
}

/** `tts/2` for a shard, the stage id for a stage, the state name for run-status states. */
function unitName(stateName: string, stage: string, input: JsonValue): string {
  if (stage === 'run-status') return stateName;
  const shard = shardIndexOf(input);
  return shard === undefined ? stage : unitKey(stage, shard);
}

async function buildDeps(
  env: Record<string, string>,
  counter: RequestCounter,
  fileRoots: string[]
): Promise<{ deps: StageDeps; close: () => void }> {
  const dynamo = createDynamoDocumentClient(env);
  const s3 = createS3Client(env);
  counter.attachDynamo(dynamo);
  counter.attachS3(s3);
  const deps: StageDeps = {
    ...createAwsPersistence(env, { dynamo, s3 }),
    // The embedded mode's fetch policy: file: reads only under the podcast config's folder.
    providers: createProviders({ fetchPolicy: { ...DEFAULT_FETCH_POLICY, fileRoots } }),
    clock: { now: () => new Date() },
    logger: new StderrLogger('silent'),
  };
  return {
    deps,
    close: () => {
      dynamo.destroy();
      s3.destroy();
    },
  };
}

/**
 * The monolithic container's work, in this process: its input by reference (PIPELINE_EXECUTION_ARN,
 * read here from the run input as DescribeExecution would return it), then the engine.
 */
function monolithicTask(deps: StageDeps, probe: StageProbe, runInput: unknown): LocalTaskHandler {
  return (parameters) =>
    probe.unit({ unit: 'RunMonolithicOrchestrator', stage: 'run', kind: 'orchestrator' }, async () => {
      const envelope = await readRunInput({
        env: containerEnvironment(parameters),
        executionInput: async () => JSON.stringify(runInput),
      });
      await runPipeline({ runId: envelope.runId, podcastId: envelope.podcastId }, envelope.raw, {
        deps,
        runUnit: (def, input, unitDeps, unitOptions) =>
          probe.unit({ unit: unitKey(def.id, input.shard?.index), stage: def.id, kind: 'engine' }, () =>
            runStageUnit(def, input, unitDeps, unitOptions)
          ),
      });
      return { StopCode: 'EssentialContainerExited', ExitCode: 0 };
    });
}

export async function measureRun(plan: RunPlan, mode: Mode, probe: StageProbe): Promise<RunMeasurement> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'podcast-bench-'));
  const servers = await startLocalServers({ dataDir });
  const counter = new RequestCounter(
    Object.fromEntries(
      [
        [ENV.podcastsTable, 'podcasts'],
        [ENV.runsTable, 'runs'],
        [ENV.eventsTable, 'events'],
        [ENV.episodesTable, 'episodes'],
        [ENV.mediaBucket, 'media'],
        [ENV.rssBucket, 'rss'],
      ].map(([variable, name]) => [servers.env[variable as string] ?? '', name as string])
    )
  );
  const { deps, close } = await buildDeps(servers.env, counter, [
    realpathSync(path.dirname(plan.configFile)),
  ]);
  try {
    const config = await loadPodcastConfigFile(plan.configFile);
    await deps.podcasts.put(resolvePublicBaseUrl(config, deps.publicOrigin, path.basename(plan.configFile)));
    const definition = readCommittedDefinition();
    const states = describeTaskStates(definition);
    const bindings = bindTaskStates(definition, {
      stageIds: STAGES.map((s) => s.id),
      ecs: (parameters) => runStageTaskInProcess(parameters, deps),
      monolithic: monolithicTask(deps, probe, {
        ...plan.runInput,
        flags: { useMonolithicOrchestrator: mode === 'monolithic' },
      }),
      deps,
    });
    const handlers: Record<string, LocalTaskHandler> = {};
    for (const [name, handler] of Object.entries(bindings)) {
      const state = states.get(name) ?? { stage: 'run', kind: 'lambda' as const };
      // The monolithic task records its own unit (it is the orchestrator, not a stage).
      handlers[name] =
        state.kind === 'orchestrator'
          ? handler
          : (input) =>
              probe.unit({ ...state, unit: unitName(name, state.stage, input) }, () => handler(input));
    }
    const input = { ...plan.runInput, flags: { useMonolithicOrchestrator: mode === 'monolithic' } };
    counter.reset();
    probe.reset();
    const started = performance.now();
    const result = await runLocalStateMachine(input as JsonValue, { deps, handlers, ecsMode: 'in-process' });
    const executionMs = performance.now() - started;
    const requests = counter.all();
    const run = await deps.runs.get(plan.runInput.runId);
    if (result.status !== 'SUCCEEDED' || run?.status !== 'succeeded') {
      throw new Error(
        `${plan.label} ${mode} run did not succeed: ${result.status} ${JSON.stringify(result.error ?? run?.error ?? {})}`
      );
    }
    const orchestrator = probe.units.find((u) => u.kind === 'orchestrator');
    const origin = mode === 'monolithic' && orchestrator ? orchestrator.start : started;
    const wallMs =
      mode === 'monolithic' && orchestrator ? orchestrator.end - orchestrator.start : executionMs;
    const busyMs = unionLength(probe.work);
    const mix = probe.outputs.get('mix') as { durationMs?: number } | undefined;
    return {
      mode,
      wallMs,
      busyMs,
      overheadMs: wallMs - busyMs,
      audioMs: mix?.durationMs ?? 0,
      stages: stageTimings(probe, [...STAGES.map((s) => s.id), 'run-status']).map((timing) => {
        const work = probe.work.filter((w) => w.stage === timing.stage);
        const lifecycle = requests.filter(
          (r) => r.stage === timing.stage && !within(r.start, r.start + r.ms, work)
        );
        return {
          ...timing,
          lifecycleRequests: lifecycle.length,
          lifecycleRequestMs: lifecycle.reduce((sum, r) => sum + r.ms, 0),
        };
      }),
      units: probe.units.map((u) => ({
        ...u,
        start: u.start - origin,
        end: u.end - origin,
        workMs: unionLength(
          probe.work.filter(
            (w) => w.start >= u.start && w.end <= u.end && (u.kind === 'orchestrator' || w.stage === u.stage)
          )
        ),
      })),
      requests,
      transitions: result.transitions,
    };
  } finally {
    close();
    await servers.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
