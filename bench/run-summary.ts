/**
 * Turns repeated measurements of one podcast in one mode into the numbers the report shows: the
 * median wall time, the median run's breakdown (stage shares, requests, cost), and each stage's and
 * unit's orchestration overhead as the median over the runs (one run's milliseconds are noisy).
 */
import { estimateRunCost, type CostEstimate } from './cost-model';
import { median } from './lambda-bundles';
import type { Mode, RunMeasurement } from './pipeline-run';
import { DYNAMO_WRITE_OPERATIONS } from './prices';
import { countByOperation, type RequestRecord } from './request-counter';

export interface StageRow {
  stage: string;
  units: number;
  /** Wall time covered by the stage's units, ms (parallel branches overlap). */
  unitMs: number;
  workMs: number;
  /** Wall time the stage's orchestration added (no stage work running), ms: median over the runs. */
  overheadMs: number;
  /** The same by unit (a fan-out's shards each), median over the runs: the per-unit target's measure. */
  unitOverheadMs: Record<string, number>;
  /** unitMs - workMs, waits behind other stages' work included. */
  lifecycleMs: number;
  /** DynamoDB/S3 round trips outside run(), per unit. */
  lifecycleRequestsPerUnit: number;
  /** Their mean latency on the local servers, ms. */
  lifecycleRequestMeanMs: number;
  /** unitMs as a share of the run's wall time, percent. */
  sharePct: number;
  dynamoWrites: number;
}

export interface RunSummary {
  podcast: string;
  mode: Mode;
  runs: number;
  wallSamplesMs: number[];
  medianWallMs: number;
  audioSeconds: number;
  /** Audio seconds produced per wall second. */
  realTimeFactor: number;
  busyMs: number;
  overheadMs: number;
  overheadPct: number;
  transitions: number;
  /** Units of stage work (a stage, or one shard of a fan-out stage). */
  stageUnits: number;
  dynamoWrites: number;
  dynamoWritesPerStageUnit: number;
  /** Stage transitions: the lifecycle events (stage.started, .progress, .succeeded, ...) stage units wrote. */
  stageTransitions: number;
  /** DynamoDB writes made by stage units per stage transition (the target's measure). */
  dynamoWritesPerTransition: number;
  requestsByOperation: Record<string, number>;
  /** True when every repeated run made exactly the same requests. */
  requestsStable: boolean;
  stages: StageRow[];
  cost: CostEstimate;
}

const isDynamoWrite = (r: RequestRecord) =>
  r.service === 'dynamodb' && DYNAMO_WRITE_OPERATIONS.has(r.operation);

export function summarizeRuns(
  podcast: string,
  runs: readonly RunMeasurement[],
  initMsByFunction: Readonly<Record<string, number>>
): RunSummary {
  const first = runs[0];
  if (!first) throw new Error(`no runs for ${podcast}`);
  const walls = runs.map((r) => r.wallMs);
  const medianWallMs = median(walls);
  // The run whose wall time is closest to the median stands for the breakdown.
  const typical = [...runs].sort(
    (a, b) => Math.abs(a.wallMs - medianWallMs) - Math.abs(b.wallMs - medianWallMs)
  )[0] as RunMeasurement;
  const stageUnits = typical.units.filter(
    (u) => u.kind !== 'orchestrator' && u.stage !== 'run-status'
  ).length;
  const dynamoWrites = typical.requests.filter(isDynamoWrite).length;
  const inStageUnit = (r: RequestRecord) => r.stage !== 'run' && r.stage !== 'run-status';
  const stageWrites = typical.requests.filter((r) => isDynamoWrite(r) && inStageUnit(r)).length;
  const stageTransitions = typical.requests.filter(
    (r) => isDynamoWrite(r) && inStageUnit(r) && r.resource === 'events'
  ).length;
  const byOperation = countByOperation(typical.requests);
  const signature = (r: RunMeasurement) => JSON.stringify(countByOperation(r.requests));
  return {
    podcast,
    mode: first.mode,
    runs: runs.length,
    wallSamplesMs: walls.map((w) => Math.round(w)),
    medianWallMs,
    audioSeconds: typical.audioMs / 1000,
    realTimeFactor: typical.audioMs / medianWallMs,
    busyMs: typical.busyMs,
    overheadMs: typical.overheadMs,
    overheadPct: (typical.overheadMs / typical.wallMs) * 100,
    transitions: typical.transitions,
    stageUnits,
    dynamoWrites,
    dynamoWritesPerStageUnit: stageUnits ? dynamoWrites / stageUnits : 0,
    stageTransitions,
    dynamoWritesPerTransition: stageTransitions ? stageWrites / stageTransitions : 0,
    requestsByOperation: byOperation,
    requestsStable: runs.every((r) => signature(r) === signature(typical)),
    stages: typical.stages.map((s) => ({
      stage: s.stage,
      units: s.units,
      unitMs: s.unitMs,
      workMs: s.workMs,
      overheadMs: median(runs.map((r) => r.stages.find((t) => t.stage === s.stage)?.overheadMs ?? 0)),
      unitOverheadMs: Object.fromEntries(
        Object.keys(s.unitOverheadMs).map((unit) => [
          unit,
          median(runs.map((r) => r.stages.find((t) => t.stage === s.stage)?.unitOverheadMs[unit] ?? 0)),
        ])
      ),
      lifecycleMs: s.lifecycleMs,
      lifecycleRequestsPerUnit: s.lifecycleRequests / s.units,
      lifecycleRequestMeanMs: s.lifecycleRequests ? s.lifecycleRequestMs / s.lifecycleRequests : 0,
      sharePct: (s.unitMs / typical.wallMs) * 100,
      dynamoWrites: typical.requests.filter((r) => isDynamoWrite(r) && r.stage === s.stage).length,
    })),
    cost: estimateRunCost(typical, initMsByFunction),
  };
}
