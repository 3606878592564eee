/**
 * The benchmark's targets (issue 7), each checked against the measurements and marked met or not.
 */
import type { BundleMeasurement } from './lambda-bundles';
import type { RunSummary } from './run-summary';

export interface TargetResult {
  target: string;
  actual: string;
  met: boolean;
}

export interface TargetInputs {
  /** Summaries of the shipped example, both modes. */
  example: { monolithic: RunSummary; distributed: RunSummary };
  /** Bundles as infra builds them (the chosen SDK placement). */
  bundles: readonly BundleMeasurement[];
  cores: number;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const usd = (value: number) => `$${value.toFixed(5)}`;

export const TARGETS = {
  overheadPct: 2,
  overheadPerStageMs: 20,
  writesPerTransition: 2,
  transitions: 40,
  orchestrationUsd: 0.002,
  bundleKiB: 500,
  initMs: 100,
  episodeWallS: 30,
  episodeMinutes: 3,
  cores: 2,
} as const;

function worst<T>(items: readonly T[], value: (item: T) => number): T | undefined {
  return [...items].sort((a, b) => value(b) - value(a))[0];
}

export function evaluateTargets({ example, bundles, cores }: TargetInputs): TargetResult[] {
  const mono = example.monolithic;
  const dist = example.distributed;
  const results: TargetResult[] = [];

  results.push({
    target: `orchestration overhead < ${TARGETS.overheadPct}% of a local monolithic run (example)`,
    actual: `${mono.overheadPct.toFixed(2)}% (${ms(mono.overheadMs)} of ${(mono.medianWallMs / 1000).toFixed(1)} s); distributed ${dist.overheadPct.toFixed(2)}%`,
    met: mono.overheadPct < TARGETS.overheadPct,
  });
  for (const summary of [mono, dist]) {
    // Every unit (a fan-out's shards each), its overhead the median over the runs.
    const units = summary.stages
      .filter((s) => s.stage !== 'run-status')
      .flatMap((s) => Object.entries(s.unitOverheadMs).map(([unit, overheadMs]) => ({ unit, overheadMs })));
    const slowest = worst(units, (u) => u.overheadMs);
    const sorted = units.map((u) => u.overheadMs).sort((a, b) => a - b);
    const mid = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const over = summary.stages.filter(
      (s) => s.stage !== 'run-status' && s.overheadMs >= TARGETS.overheadPerStageMs
    );
    results.push({
      target: `orchestration overhead < ${TARGETS.overheadPerStageMs} ms per stage unit (${summary.mode}, example; median of the runs)`,
      actual: `max ${slowest ? `${ms(slowest.overheadMs)} (${slowest.unit})` : 'n/a'}, median ${ms(mid)}, ${units.filter((u) => u.overheadMs >= TARGETS.overheadPerStageMs).length} of ${units.length} units at or over; per stage (a fan-out's shards added up) ${over.length ? over.map((s) => `${s.stage} ${ms(s.overheadMs)}`).join(', ') : 'all'} ${over.length ? 'at or over' : 'under'}`,
      met: units.every((u) => u.overheadMs < TARGETS.overheadPerStageMs),
    });
  }
  for (const summary of [mono, dist]) {
    results.push({
      target: `<= ${TARGETS.writesPerTransition} DynamoDB writes per stage transition (${summary.mode}, example)`,
      actual: `${summary.dynamoWritesPerTransition.toFixed(2)} (stage units' writes / ${summary.stageTransitions} stage events; ${summary.dynamoWrites} writes in all, ${summary.dynamoWritesPerStageUnit.toFixed(2)} per stage unit)`,
      met: summary.dynamoWritesPerTransition <= TARGETS.writesPerTransition,
    });
  }
  results.push({
    target: `<= ${TARGETS.transitions} state transitions per distributed run (example)`,
    actual: `${dist.transitions} (monolithic: ${mono.transitions})`,
    met: dist.transitions <= TARGETS.transitions,
  });
  for (const summary of [mono, dist]) {
    results.push({
      target: `orchestration cost < $${TARGETS.orchestrationUsd} per run (${summary.mode}, example)`,
      actual: `${usd(summary.cost.orchestrationUsd)} of ${usd(summary.cost.totalUsd)} estimated`,
      met: summary.cost.orchestrationUsd < TARGETS.orchestrationUsd,
    });
  }
  // Everything but the AWS SDK counts (the SDK's share is reported beside it).
  const own = (b: BundleMeasurement) => b.bytes - (b.sdkBytes ?? 0);
  const biggest = worst(bundles, own);
  results.push({
    target: `every Lambda bundle < ${TARGETS.bundleKiB} KB minified, counting everything but the AWS SDK`,
    actual: biggest
      ? `largest ${(own(biggest) / 1024).toFixed(0)} KiB without the SDK (${biggest.fn}; ${((biggest.sdkBytes ?? 0) / 1024).toFixed(0)} KiB SDK, ${(biggest.bytes / 1024).toFixed(0)} KiB in all); ${bundles.filter((b) => own(b) >= TARGETS.bundleKiB * 1024).length} of ${bundles.length} at or over`
      : 'no bundles',
    met: bundles.length > 0 && bundles.every((b) => own(b) < TARGETS.bundleKiB * 1024),
  });
  // Judged on CPU time: on a shared machine the wall-clock time of a fresh process includes waiting
  // for a core (both are in the report); a Lambda's INIT has its CPU to itself.
  const slowestInit = worst(bundles, (b) => b.initCpuMs);
  results.push({
    target: `every Lambda module init < ${TARGETS.initMs} ms (CPU time of require() in a fresh process, the pinned SDK bundled)`,
    actual: slowestInit
      ? `slowest ${ms(slowestInit.initCpuMs)} CPU (${slowestInit.fn}; wall ${ms(slowestInit.initMs)}); ${bundles.filter((b) => b.initCpuMs >= TARGETS.initMs).length} of ${bundles.length} at or over`
      : 'no bundles',
    met: bundles.length > 0 && bundles.every((b) => b.initCpuMs < TARGETS.initMs),
  });
  results.push({
    target: `a ${TARGETS.episodeMinutes}-minute episode produced locally in < ${TARGETS.episodeWallS} s on a ${TARGETS.cores}-core machine (example, monolithic)`,
    actual: `${(mono.medianWallMs / 1000).toFixed(1)} s for ${(mono.audioSeconds / 60).toFixed(2)} min of audio on ${cores} cores (distributed ${(dist.medianWallMs / 1000).toFixed(1)} s)`,
    met: mono.medianWallMs < TARGETS.episodeWallS * 1000 && cores <= TARGETS.cores,
  });
  return results;
}
