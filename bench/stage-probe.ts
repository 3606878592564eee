/**
 * Times where a run spends its wall-clock time, without touching production code:
 * - every stage module's run() is wrapped (the time inside stage work: the pure core, its
 *   providers and the artifacts it reads and writes);
 * - the orchestrator's units of work (a monolithic engine unit, a Step Functions task handler)
 *   are wrapped by the benchmark, inside an AsyncLocalStorage scope that also attributes the
 *   unit's SDK requests (request-counter.ts).
 * The difference between the two is orchestration: checkpoints, run records, events, the state
 * machine's own steps.
 */
import { unitKey } from '../stages/pipeline-plan';
import type { RunnableStage } from '../stages/shared/stage';
import { RUNNABLE_STAGES } from '../stages/stage-modules';
import type { StageContext, StageInput, StageModule } from '../stages/shared/stage';
import { unitScope } from './request-counter';

export interface Interval {
  start: number;
  end: number;
}

export type UnitKind = 'engine' | 'lambda' | 'ecs' | 'orchestrator';

export interface StageInterval extends Interval {
  stage: string;
  unit: string;
}

export interface UnitInterval extends StageInterval {
  kind: UnitKind;
}

type RunFn = StageModule['run'];

export class StageProbe {
  /** Intervals inside stage modules' run(). */
  readonly work: StageInterval[] = [];
  /** Intervals of the orchestrator's units (engine units, task handlers). */
  readonly units: UnitInterval[] = [];
  /** The last manifest each stage unit's run() returned. */
  readonly outputs = new Map<string, unknown>();
  private readonly restorers: (() => void)[] = [];

  /** Wraps run() of every stage module in `registry`; undo with uninstall(). */
  install(registry: readonly RunnableStage[] = RUNNABLE_STAGES): this {
    for (const def of registry) {
      const mod = def.module as { run: RunFn };
      const original = mod.run;
      const { work, outputs } = this;
      mod.run = async function timedRun(this: unknown, input: StageInput, ctx: StageContext) {
        const unit = unitKey(def.id, input.shard?.index);
        const start = performance.now();
        try {
          const output = await original.call(this, input, ctx);
          outputs.set(unit, output);
          return output;
        } finally {
          work.push({ stage: def.id, unit, start, end: performance.now() });
        }
      };
      this.restorers.push(() => {
        mod.run = original;
      });
    }
    return this;
  }

  uninstall(): void {
    for (const restore of this.restorers.splice(0)) restore();
  }

  reset(): void {
    this.work.length = 0;
    this.units.length = 0;
    this.outputs.clear();
  }

  /** Runs one orchestrator unit of work in its request scope and records its interval. */
  async unit<T>(scope: { unit: string; stage: string; kind: UnitKind }, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await unitScope.run({ unit: scope.unit, stage: scope.stage }, work);
    } finally {
      this.units.push({ ...scope, start, end: performance.now() });
    }
  }
}

/** The same intervals merged: sorted, disjoint. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const merged: Interval[] = [];
  for (const i of [...intervals].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ start: i.start, end: i.end });
  }
  return merged;
}

/** Total length covered by at least one interval (overlaps counted once). */
export function unionLength(intervals: readonly Interval[]): number {
  return mergeIntervals(intervals).reduce((sum, i) => sum + (i.end - i.start), 0);
}

/** Length covered by both sets (each set's overlaps counted once). */
export function intersectionLength(a: readonly Interval[], b: readonly Interval[]): number {
  const left = mergeIntervals(a);
  const right = mergeIntervals(b);
  let total = 0;
  let j = 0;
  for (const i of left) {
    while (j < right.length && (right[j] as Interval).end <= i.start) j++;
    for (let k = j; k < right.length && (right[k] as Interval).start < i.end; k++) {
      const r = right[k] as Interval;
      total += Math.max(0, Math.min(i.end, r.end) - Math.max(i.start, r.start));
    }
  }
  return total;
}

/** True when [start, end] lies inside one of the intervals. */
export function within(start: number, end: number, intervals: readonly Interval[]): boolean {
  return intervals.some((i) => start >= i.start && end <= i.end);
}

export interface StageTiming {
  stage: string;
  /** Wall time covered by the stage's units as the orchestrator saw them (parallel shards once). */
  unitMs: number;
  /** Wall time covered by the stage's own run() calls. */
  workMs: number;
  /**
   * Wall time inside the stage's units during which no stage work ran at all: what orchestrating
   * this stage added to the run. (Waiting while another stage's work holds the event loop, as
   * artwork does next to the synchronous speech engine, is that stage's time, not overhead.)
   */
  overheadMs: number;
  /** unitMs - workMs: the stage's lifecycle including such waits. */
  lifecycleMs: number;
  /** Units (shards) the stage ran. */
  units: number;
}

/** Per-stage timings from a probe, in `order` (stages that did not run are left out). */
export function stageTimings(probe: StageProbe, order: readonly string[]): StageTiming[] {
  const timings: StageTiming[] = [];
  for (const stage of order) {
    const units = probe.units.filter((u) => u.stage === stage);
    if (units.length === 0) continue;
    const unitMs = unionLength(units);
    const workMs = unionLength(probe.work.filter((w) => w.stage === stage));
    timings.push({
      stage,
      unitMs,
      workMs,
      overheadMs: Math.max(0, unitMs - intersectionLength(units, probe.work)),
      lifecycleMs: Math.max(0, unitMs - workMs),
      units: units.length,
    });
  }
  return timings;
}
