import { dynamoUnits, estimateRunCost, s3Requests } from '../../bench/cost-model';
import type { RunMeasurement } from '../../bench/pipeline-run';
import type { RequestRecord } from '../../bench/request-counter';

const request = (
  service: 'dynamodb' | 's3',
  operation: string,
  resource: string,
  capacityUnits?: number
): RequestRecord => ({
  service,
  operation,
  resource,
  unit: 'u',
  stage: 's',
  ok: true,
  start: 0,
  ms: 1,
  ...(capacityUnits === undefined ? {} : { capacityUnits }),
});

const requests: RequestRecord[] = [
  request('dynamodb', 'UpdateItem', 'runs', 1),
  request('dynamodb', 'UpdateItem', 'runs', 2),
  request('dynamodb', 'PutItem', 'runs', 1),
  request('dynamodb', 'PutItem', 'events', 1),
  request('dynamodb', 'GetItem', 'runs', 1),
  request('dynamodb', 'Query', 'episodes', 0.5),
  request('s3', 'PutObject', 'media'),
  request('s3', 'CopyObject', 'media'),
  request('s3', 'GetObject', 'media'),
  request('s3', 'HeadObject', 'media'),
];

function measurement(
  partial: Partial<RunMeasurement> & Pick<RunMeasurement, 'mode' | 'units' | 'transitions'>
): RunMeasurement {
  return {
    wallMs: 20_000,
    busyMs: 19_000,
    overheadMs: 1000,
    audioMs: 180_000,
    stages: [],
    requests,
    ...partial,
  };
}

describe('request pricing units', () => {
  it('adds the runs index: an update moves its entry (2 more writes), a put adds one', () => {
    expect(dynamoUnits(requests)).toEqual({ write: 1 * 3 + 2 * 3 + 1 * 2 + 1, read: 1.5 });
  });

  it('splits S3 requests into the PUT and GET price classes', () => {
    expect(s3Requests(requests)).toEqual({ writeClass: 2, readClass: 2 });
  });
});

describe('estimateRunCost', () => {
  it('prices a monolithic run: 2 transitions and one orchestrator task billed for its 1-minute minimum', () => {
    // Prepare: a 20 s run, 19 s of it stage work; 30 s task start + 20 s < 60 s minimum.
    const run = measurement({
      mode: 'monolithic',
      transitions: 2,
      units: [
        {
          stage: 'run',
          unit: 'RunMonolithicOrchestrator',
          kind: 'orchestrator',
          start: 0,
          end: 20_000,
          workMs: 19_000,
        },
      ],
    });

    // Act
    const cost = estimateRunCost(run, {});

    // Assess: 2 vCPU x 60 s and 4 GB x 60 s at the Arm prices.
    const line = (item: string) => cost.lines.find((l) => l.item === item);
    expect(line('Step Functions transitions')?.usd).toBeCloseTo(0.00005, 10);
    expect(line('Fargate orchestrator vCPU')?.quantity).toBe(120);
    expect(line('Fargate orchestrator vCPU')?.usd).toBeCloseTo(0.00107933, 8);
    expect(line('Fargate orchestrator memory')?.usd).toBeCloseTo(0.00023733, 8);
    // 41 of the 60 billed seconds are not stage work.
    expect(line('Fargate orchestrator vCPU')?.orchestrationUsd).toBeCloseTo(0.00107933 * (41 / 60), 8);
    expect(line('DynamoDB write units (incl. index)')?.quantity).toBe(12);
    expect(cost.orchestrationUsd).toBeCloseTo(0.00005 + (0.00107933 + 0.00023733) * (41 / 60), 8);
    expect(cost.totalUsd).toBeGreaterThan(cost.orchestrationUsd);
  });

  it('prices a distributed run: Lambda invoke time with work scaled to its CPU share, billed INIT, requests, ECS tasks', () => {
    // Prepare: prepare (256 MB Lambda) ran 1 s, 0.4 s of it work; scrape (0.5 vCPU, 1 GB task) ran 2 s.
    const run = measurement({
      mode: 'distributed',
      transitions: 27,
      units: [
        { stage: 'prepare', unit: 'prepare', kind: 'lambda', start: 0, end: 1000, workMs: 400 },
        { stage: 'scrape', unit: 'scrape', kind: 'ecs', start: 1000, end: 3000, workMs: 1500 },
      ],
    });

    // Act
    const cost = estimateRunCost(run, { prepare: 200 });

    // Assess
    const line = (item: string) => cost.lines.find((l) => l.item === item);
    // 600 ms of lifecycle + 400 ms x 1769/256 of work = 3365 ms at 0.25 GB.
    expect(line('Lambda invocations (Arm)')?.quantity).toBeCloseTo(0.84125, 6);
    expect(line('Lambda invocations (Arm)')?.orchestrationUsd).toBeCloseTo(0.6 * 0.25 * 0.0000133334, 12);
    expect(line('Lambda cold-start INIT (Arm)')?.quantity).toBeCloseTo(0.05, 6);
    expect(line('Lambda requests')?.usd).toBeCloseTo(0.0000002, 12);
    // 60 s minimum: 0.5 vCPU x 60 s, 1 GB x 60 s.
    expect(line('Fargate scrape vCPU')?.quantity).toBe(30);
    expect(line('Fargate scrape memory')?.quantity).toBe(60);
    expect(line('Step Functions transitions')?.usd).toBeCloseTo(0.000675, 10);
  });

  it('bills a long task for its start plus its run time', () => {
    const run = measurement({
      mode: 'distributed',
      transitions: 1,
      units: [{ stage: 'mix', unit: 'mix', kind: 'ecs', start: 0, end: 45_500, workMs: 45_000 }],
    });

    const cost = estimateRunCost(run, {});

    // mix: 1 vCPU; 30 s start + 45.5 s, rounded up to 76 s.
    expect(cost.lines.find((l) => l.item === 'Fargate mix vCPU')?.quantity).toBe(76);
  });
});
