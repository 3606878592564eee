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
import type { AnyStageModule, StageContext, StageInput } from '../stages/shared/stage';
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

type RunFn = AnyStageModule['run'];

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
      mod.run = async function timedRun(
        this: unknown,
        input: StageInput,
        ctx: StageContext,
        claimed: unknown
      ) {
        const unit = unitKey(def.id, input.shard?.index);
        const start = performance.now();
        try {
          const output = await original.call(this, input, ctx, claimed);
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
   * artwork does next to the synchronous speech engine, is that stage's time, not overhead.) An
   * instant when several units are between their work (one committing while the next begins, in
   * the engine's write-behind) is shared equally among them, so the stages' overheads add up to the
   * idle time inside units instead of counting it twice.
   */
  overheadMs: number;
  /** overheadMs by unit (a fan-out's shards each, `tts/2`): what the target holds to 20 ms. */
  unitOverheadMs: Record<string, number>;
  /** unitMs - workMs: the stage's lifecycle including such waits. */
  lifecycleMs: number;
  /** Units (shards) the stage ran. */
  units: number;
}

/**
 * Idle time inside stage units, by unit (`tts/2`, `outline`, a run-status state): every instant
 * when no stage work runs is shared equally among the stage units open then (the monolithic task's
 * own unit is the run, not a stage's). A unit that ran more than once (a retry) adds up.
 */
export function idleShares(units: readonly UnitInterval[], work: readonly Interval[]): Map<string, number> {
  const stageUnits = units.filter((u) => u.kind !== 'orchestrator');
  const busy = mergeIntervals(work);
  const edges = [
    ...new Set(stageUnits.flatMap((u) => [u.start, u.end]).concat(busy.flatMap((b) => [b.start, b.end]))),
  ].sort((a, b) => a - b);
  const shares = new Map<string, number>();
  for (let i = 0; i + 1 < edges.length; i++) {
    const start = edges[i] as number;
    const end = edges[i + 1] as number;
    const mid = (start + end) / 2;
    if (busy.some((b) => b.start <= mid && mid < b.end)) continue;
    const open = stageUnits.filter((u) => u.start <= mid && mid < u.end);
    for (const u of open) shares.set(u.unit, (shares.get(u.unit) ?? 0) + (end - start) / open.length);
  }
  return shares;
}

/** Per-stage timings from a probe, in `order` (stages that did not run are left out). */
export function stageTimings(probe: StageProbe, order: readonly string[]): StageTiming[] {
  const idle = idleShares(probe.units, probe.work);
  const timings: StageTiming[] = [];
  for (const stage of order) {
    const units = probe.units.filter((u) => u.stage === stage);
    if (units.length === 0) continue;
    const unitNames = new Set(units.map((u) => u.unit));
    const unitMs = unionLength(units);
    const workMs = unionLength(probe.work.filter((w) => w.stage === stage));
    timings.push({
      stage,
      unitMs,
      workMs,
      overheadMs: [...unitNames].reduce((sum, unit) => sum + (idle.get(unit) ?? 0), 0),
      unitOverheadMs: Object.fromEntries([...unitNames].map((unit) => [unit, idle.get(unit) ?? 0])),
      lifecycleMs: Math.max(0, unitMs - workMs),
      units: units.length,
    });
  }
  return timings;
}
