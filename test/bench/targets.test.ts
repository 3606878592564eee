import type { BundleMeasurement } from '../../bench/lambda-bundles';
import type { RunSummary } from '../../bench/run-summary';
import { evaluateTargets } from '../../bench/targets';

function summary(mode: RunSummary['mode'], overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    podcast: 'example',
    mode,
    runs: 3,
    wallSamplesMs: [20_000, 20_000, 20_000],
    medianWallMs: 20_000,
    audioSeconds: 180,
    realTimeFactor: 9,
    busyMs: 19_800,
    overheadMs: 200,
    overheadPct: 1,
    transitions: mode === 'distributed' ? 28 : 2,
    stageUnits: 19,
    dynamoWrites: 38,
    dynamoWritesPerStageUnit: 2,
    stageTransitions: 19,
    dynamoWritesPerTransition: 2,
    requestsByOperation: {},
    requestsStable: true,
    stages: [
      {
        stage: 'prepare',
        units: 1,
        unitMs: 100,
        workMs: 90,
        overheadMs: 10,
        unitOverheadMs: { prepare: 10 },
        lifecycleMs: 10,
        lifecycleRequestsPerUnit: 6,
        lifecycleRequestMeanMs: 2,
        sharePct: 0.5,
        dynamoWrites: 2,
      },
      {
        stage: 'mix',
        units: 1,
        unitMs: 9000,
        workMs: 8985,
        overheadMs: 15,
        unitOverheadMs: { mix: 15 },
        lifecycleMs: 15,
        lifecycleRequestsPerUnit: 6,
        lifecycleRequestMeanMs: 2,
        sharePct: 45,
        dynamoWrites: 2,
      },
    ],
    cost: { mode, totalUsd: 0.003, orchestrationUsd: 0.0015, lines: [] },
    ...overrides,
  };
}

/** A bundle of `kib` KiB of its own code plus `sdkKib` KiB of the AWS SDK. */
const bundle = (fn: string, kib: number, initMs: number, sdkKib = 700): BundleMeasurement => ({
  fn,
  variant: 'sdk-bundled',
  bytes: (kib + sdkKib) * 1024,
  sdkBytes: sdkKib * 1024,
  mapBytes: 0,
  shippedBytes: 0,
  externals: [],
  topInputs: [],
  initMs: initMs + 100,
  initCpuMs: initMs,
  initSamplesMs: [initMs],
});

const metByTarget = (results: ReturnType<typeof evaluateTargets>) =>
  Object.fromEntries(results.map((r) => [r.target, r.met]));

describe('evaluateTargets', () => {
  it('marks every target met when the measurements are inside them', () => {
    const results = evaluateTargets({
      example: { monolithic: summary('monolithic'), distributed: summary('distributed') },
      bundles: [bundle('prepare', 300, 80), bundle('tts', 499, 99)],
      cores: 2,
    });

    expect(results).toHaveLength(11);
    expect(results.filter((r) => !r.met)).toEqual([]);
  });

  it('marks each target not met just past its limit, naming the worst case', () => {
    const mono = summary('monolithic', {
      overheadPct: 2,
      dynamoWritesPerTransition: 2.1,
      medianWallMs: 30_000,
      stages: [
        {
          stage: 'feed',
          units: 1,
          unitMs: 50,
          workMs: 30,
          overheadMs: 20,
          unitOverheadMs: { feed: 20 },
          lifecycleMs: 20,
          lifecycleRequestsPerUnit: 6,
          lifecycleRequestMeanMs: 3,
          sharePct: 0.2,
          dynamoWrites: 4,
        },
      ],
      cost: { mode: 'monolithic', totalUsd: 0.01, orchestrationUsd: 0.002, lines: [] },
    });
    const dist = summary('distributed', { transitions: 41 });

    const results = evaluateTargets({
      example: { monolithic: mono, distributed: dist },
      bundles: [bundle('tts', 500, 100)],
      cores: 2,
    });
    const met = metByTarget(results);

    expect(met['orchestration overhead < 2% of a local monolithic run (example)']).toBe(false);
    expect(
      met['orchestration overhead < 20 ms per stage unit (monolithic, example; median of the runs)']
    ).toBe(false);
    expect(
      met['orchestration overhead < 20 ms per stage unit (distributed, example; median of the runs)']
    ).toBe(true);
    expect(met['<= 2 DynamoDB writes per stage transition (monolithic, example)']).toBe(false);
    expect(met['<= 40 state transitions per distributed run (example)']).toBe(false);
    expect(met['orchestration cost < $0.002 per run (monolithic, example)']).toBe(false);
    expect(met['every Lambda bundle < 500 KB minified, counting everything but the AWS SDK']).toBe(false);
    expect(
      met[
        'every Lambda module init < 100 ms (CPU time of require() in a fresh process, the pinned SDK bundled)'
      ]
    ).toBe(false);
    expect(
      met['a 3-minute episode produced locally in < 30 s on a 2-core machine (example, monolithic)']
    ).toBe(false);
    expect(results.find((r) => r.target.startsWith('every Lambda bundle'))?.actual).toContain(
      '500 KiB without the SDK (tts; 700 KiB SDK, 1200 KiB in all)'
    );
  });

  it('does not accept the episode time as evidence from a machine with more than 2 cores', () => {
    const results = evaluateTargets({
      example: { monolithic: summary('monolithic'), distributed: summary('distributed') },
      bundles: [bundle('feed', 100, 50)],
      cores: 8,
    });

    expect(results.find((r) => r.target.startsWith('a 3-minute episode'))?.met).toBe(false);
  });
});
