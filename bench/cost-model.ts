/**
 * The estimated AWS cost of one run in each mode, from a local measurement and bench/prices.ts.
 * What the local run cannot know is an explicit assumption (COST_ASSUMPTIONS). Each line keeps the
 * part of its cost that is orchestration: state transitions, and compute time spent outside stage
 * work (lifecycle calls, cold-start init, the Fargate task start and the 1-minute minimum).
 */
import { STAGES } from '../stages/pipeline-plan';
import type { RunMeasurement } from './pipeline-run';
import { DYNAMO_WRITE_OPERATIONS, PRICES, S3_WRITE_CLASS_OPERATIONS } from './prices';
import type { RequestRecord } from './request-counter';

export const COST_ASSUMPTIONS = {
  /**
   * Seconds Fargate bills before the container's code runs: image pull and start. Not measurable
   * without AWS; 30 s is a typical start for an image of a few hundred MB (Fargate bills from the
   * start of the pull).
   */
  fargateTaskStartSeconds: 30,
  /** Every Lambda invocation is a cold start (a weekly run never finds a warm function), its INIT billed. */
  everyInvocationCold: true,
  /**
   * Lambda's CPU share grows with memory, one full vCPU at 1,769 MB. Stage work measured here on
   * one core is scaled by 1769 / memoryMb (at least 1) for its Lambda duration; orchestration
   * (waiting on DynamoDB and S3) is not scaled.
   */
  lambdaFullVcpuMb: 1769,
  /** The monolithic orchestrator's Fargate size (infra/constructs/pipeline-task-definitions.ts default). */
  orchestratorTask: { cpu: 2048, memoryMb: 4096 },
  /** Lambda memory of the run-status function (infra/constructs/stage-functions.ts default). */
  runStatusMemoryMb: 256,
} as const;

export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  usd: number;
  /** The part of `usd` that is orchestration rather than stage work. */
  orchestrationUsd: number;
}

export interface CostEstimate {
  mode: RunMeasurement['mode'];
  totalUsd: number;
  orchestrationUsd: number;
  lines: CostLine[];
}

/** Write units including the runs table's byStatus index (ALL projection): an update moves the index entry (2 writes), a put adds one. */
export function dynamoUnits(requests: readonly RequestRecord[]): { write: number; read: number } {
  let write = 0;
  let read = 0;
  for (const r of requests) {
    if (r.service !== 'dynamodb' || !r.ok) continue;
    const units = r.capacityUnits ?? 1;
    if (DYNAMO_WRITE_OPERATIONS.has(r.operation)) {
      const indexFactor =
        r.resource === 'runs' ? (r.operation === 'UpdateItem' ? 2 : r.operation === 'PutItem' ? 1 : 0) : 0;
      write += units * (1 + indexFactor);
    } else read += units;
  }
  return { write, read };
}

export function s3Requests(requests: readonly RequestRecord[]): { writeClass: number; readClass: number } {
  const s3 = requests.filter((r) => r.service === 's3');
  const writeClass = s3.filter((r) => S3_WRITE_CLASS_OPERATIONS.has(r.operation)).length;
  return { writeClass, readClass: s3.length - writeClass };
}

const fargateRates = (cpu: number, memoryMb: number) => ({
  vcpu: cpu / 1024,
  gb: memoryMb / 1024,
});

function taskOf(stage: string): { cpu: number; memoryMb: number } {
  const task = STAGES.find((s) => s.id === stage)?.task;
  if (!task) throw new Error(`stage ${stage} has no Fargate task size`);
  return task;
}

function lambdaMemoryMb(stage: string): number {
  if (stage === 'run-status') return COST_ASSUMPTIONS.runStatusMemoryMb;
  const def = STAGES.find((s) => s.id === stage);
  if (!def) throw new Error(`unknown stage ${stage}`);
  return def.lambda.memoryMb;
}

/** Adds a Fargate task's vCPU and memory lines for `billedS` seconds, `workS` of them stage work. */
function fargateLines(
  label: string,
  task: { cpu: number; memoryMb: number },
  billedS: number,
  workS: number
): CostLine[] {
  const { vcpu, gb } = fargateRates(task.cpu, task.memoryMb);
  const overheadShare = Math.max(0, billedS - workS) / billedS;
  const vcpuUsd = vcpu * billedS * PRICES.fargateArmPerVcpuSecond;
  const gbUsd = gb * billedS * PRICES.fargateArmPerGbSecond;
  return [
    {
      item: `Fargate ${label} vCPU`,
      quantity: vcpu * billedS,
      unit: 'vCPU-s',
      usd: vcpuUsd,
      orchestrationUsd: vcpuUsd * overheadShare,
    },
    {
      item: `Fargate ${label} memory`,
      quantity: gb * billedS,
      unit: 'GB-s',
      usd: gbUsd,
      orchestrationUsd: gbUsd * overheadShare,
    },
  ];
}

function fargateBilledSeconds(runS: number): number {
  return Math.max(PRICES.fargateMinimumSeconds, Math.ceil(COST_ASSUMPTIONS.fargateTaskStartSeconds + runS));
}

/**
 * The cost of one run. `initMsByFunction`: each Lambda's measured module init (its cold start's
 * billed INIT), by function id (stage id or `run-status`).
 */
export function estimateRunCost(
  run: RunMeasurement,
  initMsByFunction: Readonly<Record<string, number>>
): CostEstimate {
  const lines: CostLine[] = [];
  const transitionsUsd = run.transitions * PRICES.stepFunctionsPerTransition;
  lines.push({
    item: 'Step Functions transitions',
    quantity: run.transitions,
    unit: 'transitions',
    usd: transitionsUsd,
    orchestrationUsd: transitionsUsd,
  });

  if (run.mode === 'monolithic') {
    const orchestrator = run.units.find((u) => u.kind === 'orchestrator');
    const runS = (orchestrator ? orchestrator.end - orchestrator.start : run.wallMs) / 1000;
    lines.push(
      ...fargateLines(
        'orchestrator',
        COST_ASSUMPTIONS.orchestratorTask,
        fargateBilledSeconds(runS),
        run.busyMs / 1000
      )
    );
  } else {
    let invokeGbS = 0;
    let invokeOverheadGbS = 0;
    let initGbS = 0;
    let invocations = 0;
    for (const unit of run.units.filter((u) => u.kind === 'lambda')) {
      const memoryMb = lambdaMemoryMb(unit.stage);
      const gb = memoryMb / 1024;
      const cpuScale = Math.max(1, COST_ASSUMPTIONS.lambdaFullVcpuMb / memoryMb);
      const overheadMs = Math.max(0, unit.end - unit.start - unit.workMs);
      invokeGbS += (Math.ceil(overheadMs + unit.workMs * cpuScale) / 1000) * gb;
      invokeOverheadGbS += (overheadMs / 1000) * gb;
      if (COST_ASSUMPTIONS.everyInvocationCold)
        initGbS += (Math.ceil(initMsByFunction[unit.stage] ?? 0) / 1000) * gb;
      invocations++;
    }
    const invokeUsd = invokeGbS * PRICES.lambdaArmPerGbSecond;
    const initUsd = initGbS * PRICES.lambdaArmPerGbSecond;
    const requestsUsd = invocations * PRICES.lambdaPerRequest;
    lines.push({
      item: 'Lambda invocations (Arm)',
      quantity: invokeGbS,
      unit: 'GB-s',
      usd: invokeUsd,
      orchestrationUsd: invokeOverheadGbS * PRICES.lambdaArmPerGbSecond,
    });
    lines.push({
      item: 'Lambda cold-start INIT (Arm)',
      quantity: initGbS,
      unit: 'GB-s',
      usd: initUsd,
      orchestrationUsd: initUsd,
    });
    lines.push({
      item: 'Lambda requests',
      quantity: invocations,
      unit: 'requests',
      usd: requestsUsd,
      orchestrationUsd: requestsUsd,
    });
    for (const unit of run.units.filter((u) => u.kind === 'ecs')) {
      lines.push(
        ...fargateLines(
          unit.stage,
          taskOf(unit.stage),
          fargateBilledSeconds((unit.end - unit.start) / 1000),
          unit.workMs / 1000
        )
      );
    }
  }

  const units = dynamoUnits(run.requests);
  const s3 = s3Requests(run.requests);
  lines.push({
    item: 'DynamoDB write units (incl. index)',
    quantity: units.write,
    unit: 'WRU',
    usd: units.write * PRICES.dynamoPerWriteUnit,
    orchestrationUsd: 0,
  });
  lines.push({
    item: 'DynamoDB read units',
    quantity: units.read,
    unit: 'RRU',
    usd: units.read * PRICES.dynamoPerReadUnit,
    orchestrationUsd: 0,
  });
  lines.push({
    item: 'S3 PUT/COPY/POST/LIST',
    quantity: s3.writeClass,
    unit: 'requests',
    usd: s3.writeClass * PRICES.s3PerWriteClassRequest,
    orchestrationUsd: 0,
  });
  lines.push({
    item: 'S3 GET/HEAD',
    quantity: s3.readClass,
    unit: 'requests',
    usd: s3.readClass * PRICES.s3PerReadClassRequest,
    orchestrationUsd: 0,
  });

  return {
    mode: run.mode,
    totalUsd: lines.reduce((sum, l) => sum + l.usd, 0),
    orchestrationUsd: lines.reduce((sum, l) => sum + l.orchestrationUsd, 0),
    lines,
  };
}
