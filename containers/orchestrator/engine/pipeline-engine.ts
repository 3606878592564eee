/**
 * The monolithic engine: runs the plan's DAG in-process. Stages start as soon as their
 * dependencies finish (the two branches after review run in parallel), fan-out stages run their
 * shards with the plan's concurrency, every unit gets the plan's retry policy and timeout,
 * and each unit's checkpoint makes a rerun of the same runId skip finished work.
 */
import { unitKey } from '../../../stages/pipeline-plan';
import type { PrepareManifest } from '../../../stages/prepare/schema';
import { describeError, isClaimRefusal, ValidationError } from '../../../stages/shared/errors';
import type { RunError, RunSkip } from '../../../stages/shared/ports';
import { completeRun, failRun, skipRun } from '../../../stages/shared/run-lifecycle';
import { requestedSkip } from '../../../stages/shared/run-skip';
import { RUN_ID_PATTERN } from '../../../stages/shared/run-input-schema';
import type { RunnableStage, StageDeps, StageInput } from '../../../stages/shared/stage';
import { runStageUnit, type UnitOptions } from '../../../stages/shared/stage-runner';
import { RUNNABLE_STAGES } from '../../../stages/stage-modules';
import { gateStageOutput } from './approval-gate';
import { mapWithConcurrency } from './retry-policy';
import { type UnitRun, unitAttempts } from './unit-attempts';

export type UnitRunner = (
  def: RunnableStage,
  input: StageInput,
  deps: StageDeps,
  options: UnitOptions
) => Promise<unknown>;

export interface EngineOptions {
  deps: StageDeps;
  stages?: readonly RunnableStage[];
  /** The work of one unit; tests stub it. Defaults to the shared stage lifecycle. */
  runUnit?: UnitRunner;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Multiplies retry delays (tests use 0). */
  retryDelayScale?: number;
  /** Aborting stops scheduling new work; in-flight units finish or fail. */
  signal?: AbortSignal;
  /** How often a run waiting for approval of its script reads its record (approval-gate.ts). */
  approvalPollMs?: number;
  /**
   * Why this engine must not wait for an approval (the state machine's monolithic task, which
   * Step Functions stops after its TimeoutSeconds): a run that asks for one is refused right after
   * prepare, as bad input, instead of failing hours later.
   */
  approvalRefusal?: string;
}

export interface UnitTiming {
  unit: string;
  stage: string;
  attempts: number;
  startedAtMs: number;
  durationMs: number;
}

export interface EngineResult {
  runId: string;
  stages: Record<string, unknown>;
  /** The published episode; absent when the run was skipped. */
  episode?: { episodeId: string; guid: string };
  /** Set when a stage found nothing to publish (run-skip.ts): the run ended `skipped` after it. */
  skipped?: RunSkip;
  timings: UnitTiming[];
  wallMs: number;
}

export class PipelineFailedError extends Error {
  override readonly name = 'PipelineFailedError';
  constructor(
    readonly runError: RunError,
    options?: ErrorOptions
  ) {
    super(`${runError.stage ?? 'run'} failed: ${runError.name}: ${runError.message}`, options);
  }
}

export class RunAbortedError extends Error {
  override readonly name = 'RunInterruptedError';
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runPipeline(
  ids: { runId: string; podcastId: string },
  rawInput: unknown,
  options: EngineOptions
): Promise<EngineResult> {
  const registry = options.stages ?? RUNNABLE_STAGES;
  const { deps } = options;
  const runUnit = options.runUnit ?? runStageUnit;
  const sleep = options.sleep ?? defaultSleep;
  const started = performance.now();
  const timings: UnitTiming[] = [];
  const done: Record<string, unknown> = {};

  const attemptUnit = unitAttempts({ deps, runUnit, sleep, options, timings, started });

  /** A stage's manifest (fan-out shards merged) and when all of its units have committed. */
  const runStage = (
    def: RunnableStage,
    plan: PrepareManifest | undefined,
    dependenciesCommitted: Promise<void>,
    speculate: boolean
  ): UnitRun => {
    const base = { runId: ids.runId, podcastId: ids.podcastId, stages: { ...done } };
    if (!plan)
      return attemptUnit(def, { ...base, input: rawInput, mode: 'monolithic' }, dependenciesCommitted);
    if (def.optional && plan.enabled[def.id] === false)
      return {
        output: Promise.resolve({ skipped: true }),
        committed: dependenciesCommitted,
        ranHere: () => speculate,
      };
    if (!def.fanOut) return attemptUnit(def, base, dependenciesCommitted, undefined, speculate);
    const shards = plan.shards[def.id] ?? [0];
    const commits: Promise<void>[] = [];
    const units: UnitRun[] = [];
    // The shards that start together begin with one write (each counts its own attempt); when one
    // of them is already done (a rerun) they begin one by one, as any unit does.
    const together = shards.slice(0, def.fanOut.maxConcurrency);
    const begun =
      together.length > 1
        ? deps.runs.beginUnits(
            ids.runId,
            together.map((index) => unitKey(def.id, index)),
            def.id,
            deps.clock.now().toISOString()
          )
        : Promise.resolve(undefined);
    begun.catch(() => undefined); // each shard's first attempt reports a failure of it
    // The fan-out's concurrency bounds the units' work; their commits trail behind.
    const parts = mapWithConcurrency(shards, def.fanOut.maxConcurrency, (index) => {
      const position = together.indexOf(index);
      const shard = attemptUnit(
        def,
        { ...base, shard: { index, count: shards.length } },
        dependenciesCommitted,
        position < 0 ? undefined : begun.then((attempts) => attempts?.[position]),
        speculate
      );
      units.push(shard);
      commits.push(shard.committed);
      return shard.output;
    });
    const merge = def.module.merge;
    if (!merge) throw new Error(`fan-out stage ${def.id} has no merge`);
    return {
      output: parts.then((values) => merge(values)),
      committed: (async () => {
        // Every shard that started has handed over or failed, then every commit has settled:
        // only then does the stage report its first failure, so nothing is left writing.
        await parts.catch(() => undefined);
        await Promise.allSettled(commits);
        await parts;
        await Promise.all(commits);
      })(),
      ranHere: () => units.every((unit) => unit.ranHere()),
    };
  };

  let failure: { stage: string; error: unknown } | undefined;
  /** A finished stage found nothing to publish: nothing more is scheduled, the run ends skipped. */
  let skip: RunSkip | undefined;
  /** Stages whose work is under way (not yet handed over), in the order they started. */
  const working = new Set<string>();
  const committedBy: Record<string, Promise<void>> = {};
  /** Whether each finished stage's output was made by this process (not its checkpoint from before). */
  const ranHereBy: Record<string, () => boolean> = {};
  // Every unit's work and every commit still going: the run ends only when all have settled.
  const inflight = new Set<Promise<void>>();
  const track = (stage: string, work: Promise<unknown>, onValue?: (value: unknown) => void) => {
    const tracked: Promise<void> = work
      .then(onValue, (error: unknown) => {
        // A stop fails the commits still being written behind too: the run stopped at the stage
        // whose work was under way, not at one that had already handed its output on.
        failure ??= { stage: options.signal?.aborted ? ([...working][0] ?? stage) : stage, error };
      })
      .finally(() => inflight.delete(tracked));
    inflight.add(tracked);
  };
  const start = (def: RunnableStage, plan: PrepareManifest | undefined) => {
    const dependencies = [...new Set([...(plan ? [firstStageId] : []), ...def.dependsOn])];
    const dependenciesCommitted = Promise.all(dependencies.map((id) => committedBy[id])).then(
      () => undefined
    );
    // A unit that stops before its commit never awaits this: a dependency's failed commit (a stop
    // signal mid-commit) is the run's failure through that dependency, not an unhandled rejection.
    dependenciesCommitted.catch(() => undefined);
    // A unit whose dependencies all ran here is almost surely new to the run (a resume finds its
    // dependencies' checkpoints first): its core starts while its attempt is begun.
    const speculate = plan !== undefined && dependencies.every((id) => ranHereBy[id]?.() === true);
    const stage = runStage(def, plan, dependenciesCommitted, speculate);
    committedBy[def.id] = stage.committed;
    ranHereBy[def.id] = stage.ranHere;
    track(def.id, stage.committed);
    return stage.output;
  };
  const gate = {
    runId: ids.runId,
    deps,
    sleep,
    ...(options.approvalPollMs !== undefined ? { pollMs: options.approvalPollMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  let firstStageId = '';
  try {
    const first = registry.filter((s) => s.dependsOn.length === 0);
    if (first.length !== 1) throw new Error('the plan must have exactly one first stage');
    const firstStage = first[0] as RunnableStage;
    firstStageId = firstStage.id;
    done[firstStage.id] = await start(firstStage, undefined).catch(async (error: unknown) => {
      failure ??= { stage: firstStage.id, error };
      await Promise.allSettled(inflight);
      throw error;
    });
    const plan = done[firstStage.id] as PrepareManifest;
    if (plan.approval && options.approvalRefusal) {
      failure = {
        stage: firstStage.id,
        error: new ValidationError(`flags.approval: ${options.approvalRefusal}`, 'flags.approval'),
      };
      await Promise.allSettled(inflight);
      throw failure.error;
    }

    const pending = new Set(registry.filter((s) => s !== firstStage).map((s) => s.id));
    for (;;) {
      if (options.signal?.aborted && !failure)
        failure = {
          stage: [...working][0] ?? 'run',
          error: new RunAbortedError('the run was interrupted (SIGTERM)'),
        };
      if (!failure && !skip) {
        for (const id of [...pending]) {
          const def = registry.find((s) => s.id === id) as RunnableStage;
          if (!def.dependsOn.every((dep) => dep in done)) continue;
          pending.delete(id);
          working.add(id);
          const output = gateStageOutput(id, plan, start(def, plan), {
            ...gate,
            done,
            committed: () => committedBy[id],
          });
          track(
            id,
            output.finally(() => working.delete(id)),
            (output) => {
              done[id] = output;
              skip ??= requestedSkip(def, output);
            }
          );
        }
      }
      if (inflight.size === 0) {
        if (pending.size > 0 && !failure && !skip)
          throw new Error(`stages ${[...pending].join(', ')} can never start: check dependsOn`);
        break;
      }
      await Promise.race(inflight);
    }
    if (failure) throw failure.error;
    if (skip) {
      await skipRun(ids.runId, skip, deps);
      return { runId: ids.runId, stages: done, skipped: skip, timings, wallMs: performance.now() - started };
    }

    const publish = done.publish as { episodeId: string; guid: string };
    await completeRun(ids.runId, { episodeId: publish.episodeId, guid: publish.guid }, deps);
    return {
      runId: ids.runId,
      stages: done,
      episode: { episodeId: publish.episodeId, guid: publish.guid },
      timings,
      wallMs: performance.now() - started,
    };
  } catch (error) {
    const stage = failure?.stage ?? 'run';
    const runError: RunError = { stage, ...describeError(error) };
    // An input whose runId is not a valid id has no record to fail (prepare refused to key one);
    // a start the first stage's claim refused has recorded what it owned (isClaimRefusal): the
    // record may be another process's running run.
    if (error instanceof ValidationError && !RUN_ID_PATTERN.test(ids.runId)) throw error;
    if (isClaimRefusal(error)) {
      if (error instanceof ValidationError) throw error;
      throw new PipelineFailedError(runError, { cause: error });
    }
    await failRun(ids.runId, runError, deps).catch((writeError: unknown) =>
      deps.logger.error('could not record the run as failed', { error: describeError(writeError) })
    );
    if (error instanceof ValidationError) throw error;
    throw new PipelineFailedError(runError, { cause: error });
  }
}
