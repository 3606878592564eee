/**
 * The monolithic engine: runs the plan's DAG in-process. Stages start as soon as their
 * dependencies finish (the two branches after review run in parallel), fan-out stages run their
 * shards with the plan's concurrency, every unit gets the plan's retry policy and timeout,
 * and each unit's checkpoint makes a rerun of the same runId skip finished work.
 */
import { unitKey } from '../../../stages/pipeline-plan';
import type { PrepareManifest } from '../../../stages/prepare/schema';
import { describeError, StageTimeoutError, ValidationError } from '../../../stages/shared/errors';
import type { RunError } from '../../../stages/shared/ports';
import { completeRun, failRun } from '../../../stages/shared/run-lifecycle';
import { RUN_ID_PATTERN } from '../../../stages/shared/run-input-schema';
import type { RunnableStage, StageDeps, StageInput } from '../../../stages/shared/stage';
import { runStageUnit, type UnitOptions } from '../../../stages/shared/stage-runner';
import { attemptSignal, untilAborted } from '../../../stages/shared/unit-cancellation';
import { RUNNABLE_STAGES } from '../../../stages/stage-modules';
import { mapWithConcurrency, retryDelayMs, shouldRetry } from './retry-policy';

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
  episode: { episodeId: string; guid: string };
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

  const attemptUnit = async (def: RunnableStage, input: StageInput): Promise<unknown> => {
    const unit = unitKey(def.id, input.shard?.index);
    const unitStart = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        // The attempt's signal fires on the plan timeout or when the run is stopped; the unit ends
        // once its core has stopped (its writes are refused from the abort on), then the retry starts.
        const { signal, dispose } = attemptSignal(
          options.signal,
          def.timeoutSeconds * 1000,
          () => new StageTimeoutError(`stage ${unit} timed out after ${def.timeoutSeconds} s`)
        );
        const output = await untilAborted(runUnit(def, input, deps, { signal }), signal).finally(dispose);
        timings.push({
          unit,
          stage: def.id,
          attempts: attempt,
          startedAtMs: unitStart - started,
          durationMs: performance.now() - unitStart,
        });
        return output;
      } catch (error) {
        if (options.signal?.aborted || !shouldRetry(def.retry, error, attempt)) throw error;
        const delay = retryDelayMs(def.retry, attempt, options.random) * (options.retryDelayScale ?? 1);
        deps.logger.warn('stage unit will be retried', {
          unit,
          attempt,
          delayMs: delay,
          error: describeError(error),
        });
        await sleep(delay);
      }
    }
  };

  const runStage = async (def: RunnableStage, plan: PrepareManifest | undefined): Promise<unknown> => {
    const base = { runId: ids.runId, podcastId: ids.podcastId, stages: { ...done } };
    if (!plan) return attemptUnit(def, { ...base, input: rawInput, mode: 'monolithic' });
    if (def.optional && plan.enabled[def.id] === false) return { skipped: true };
    if (!def.fanOut) return attemptUnit(def, base);
    const shards = plan.shards[def.id] ?? [0];
    const parts = await mapWithConcurrency(shards, def.fanOut.maxConcurrency, (index) =>
      attemptUnit(def, { ...base, shard: { index, count: shards.length } })
    );
    if (!def.module.merge) throw new Error(`fan-out stage ${def.id} has no merge`);
    return def.module.merge(parts);
  };

  let failure: { stage: string; error: unknown } | undefined;
  try {
    const first = registry.filter((s) => s.dependsOn.length === 0);
    if (first.length !== 1) throw new Error('the plan must have exactly one first stage');
    const firstStage = first[0] as RunnableStage;
    done[firstStage.id] = await runStage(firstStage, undefined).catch((error: unknown) => {
      failure = { stage: firstStage.id, error };
      throw error;
    });
    const plan = done[firstStage.id] as PrepareManifest;

    const pending = new Set(registry.filter((s) => s !== firstStage).map((s) => s.id));
    const running = new Map<string, Promise<void>>();
    while ((pending.size > 0 && !failure) || running.size > 0) {
      if (options.signal?.aborted && !failure)
        failure = {
          stage: [...running.keys()][0] ?? 'run',
          error: new RunAbortedError('the run was interrupted (SIGTERM)'),
        };
      if (!failure) {
        for (const id of [...pending]) {
          const def = registry.find((s) => s.id === id) as RunnableStage;
          if (!def.dependsOn.every((dep) => dep in done)) continue;
          pending.delete(id);
          running.set(
            id,
            runStage(def, plan)
              .then(
                (output) => {
                  done[id] = output;
                },
                (error: unknown) => {
                  failure ??= { stage: id, error };
                }
              )
              .finally(() => running.delete(id))
          );
        }
      }
      if (running.size === 0) {
        if (pending.size > 0 && !failure)
          throw new Error(`stages ${[...pending].join(', ')} can never start: check dependsOn`);
        break;
      }
      await Promise.race(running.values());
    }
    if (failure) throw failure.error;

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
    // An input whose runId is not a valid id has no record to fail (prepare refused to key one).
    if (error instanceof ValidationError && !RUN_ID_PATTERN.test(ids.runId)) throw error;
    await failRun(ids.runId, runError, deps).catch((writeError: unknown) =>
      deps.logger.error('could not record the run as failed', { error: describeError(writeError) })
    );
    if (error instanceof ValidationError) throw error;
    throw new PipelineFailedError(runError, { cause: error });
  }
}
