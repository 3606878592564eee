/**
 * One unit of the monolithic engine with the plan's retries and the write-behind hand-over
 * (pipeline-engine.ts schedules them).
 */
import { unitKey } from '../../../stages/pipeline-plan';
import { describeError, StageTimeoutError } from '../../../stages/shared/errors';
import type { RunnableStage, StageDeps, StageInput } from '../../../stages/shared/stage';
import { attemptSignal, untilAborted } from '../../../stages/shared/unit-cancellation';
import type { EngineOptions, UnitRunner, UnitTiming } from './pipeline-engine';
import { retryDelayMs, shouldRetry } from './retry-policy';

/** A unit under way: its output (handed over early) and when its commit has landed. */
export interface UnitRun {
  output: Promise<unknown>;
  committed: Promise<void>;
  /** Once the output is in: whether an attempt made it here (false: its checkpoint from before). */
  ranHere(): boolean;
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Settled by the commit's failure too, which the run reports through the commit itself.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

export function unitAttempts(context: {
  deps: StageDeps;
  runUnit: UnitRunner;
  sleep: (ms: number) => Promise<void>;
  options: Pick<EngineOptions, 'signal' | 'random' | 'retryDelayScale'>;
  timings: UnitTiming[];
  started: number;
}): (
  def: RunnableStage,
  input: StageInput,
  dependenciesCommitted: Promise<void>,
  begunTogether?: Promise<number | undefined>,
  speculate?: boolean
) => UnitRun {
  const { deps, runUnit, sleep, options, timings, started } = context;
  /**
   * One unit with the plan's retries. Write-behind: `output` settles as soon as an attempt's
   * output is validated (dependants start on it), `committed` once its checkpoint, progress and
   * success event are written, after its dependencies' (`dependenciesCommitted`). An attempt that
   * fails before handing its output over is retried; a commit that fails after is not (dependants
   * already hold the output), it fails the run.
   */
  return (
    def: RunnableStage,
    input: StageInput,
    dependenciesCommitted: Promise<void>,
    /** The first attempt's number when the engine began it already (a fan-out's shards, together). */
    begunTogether?: Promise<number | undefined>,
    /** Start the first attempt's core while it is begun (runStageUnit's `speculate`). */
    speculate = false
  ): UnitRun => {
    const unit = unitKey(def.id, input.shard?.index);
    const unitStart = performance.now();
    const output = deferred<unknown>();
    let handedOver = false;
    let ranHere = false;
    const handOver = (value: unknown) => {
      if (handedOver) return;
      handedOver = true;
      output.resolve(value);
    };
    const committed = (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          // The attempt's signal fires on the plan timeout or when the run is stopped; the unit ends
          // once its core has stopped (its writes are refused from the abort on), then the retry starts.
          const { signal, dispose } = attemptSignal(
            options.signal,
            def.timeoutSeconds * 1000,
            () => new StageTimeoutError(`stage ${unit} timed out after ${def.timeoutSeconds} s`)
          );
          const value = await untilAborted(
            runUnit(def, input, deps, {
              signal,
              onOutput: (value) => {
                ranHere = true;
                handOver(value);
              },
              dependenciesCommitted,
              speculate: attempt === 1 && speculate,
              ...(attempt === 1 && begunTogether ? { begunAttempt: begunTogether } : {}),
            }),
            signal
          ).finally(dispose);
          handOver(value); // a checkpoint hit, or a runner that does not hand over early
          timings.push({
            unit,
            stage: def.id,
            attempts: attempt,
            startedAtMs: unitStart - started,
            durationMs: performance.now() - unitStart,
          });
          return;
        } catch (error) {
          if (handedOver || options.signal?.aborted || !shouldRetry(def.retry, error, attempt)) throw error;
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
    })();
    // Before the hand-over a failure is the output's; after it, only the commit's.
    committed.catch((error: unknown) => output.reject(error));
    return { output: output.promise, committed, ranHere: () => ranHere };
  };
}
