import { z } from 'zod';
import { unitScope } from '../../bench/request-counter';
import { mergeIntervals, StageProbe, stageTimings, unionLength, within } from '../../bench/stage-probe';
import type { RunnableStage } from '../../stages/shared/stage';
import type { StageContext, StageInput, StageModule } from '../../stages/shared/stage';

function fakeStage(id: string, run: StageModule['run']): RunnableStage {
  const module: StageModule = { id, inputSchema: z.object({}), outputSchema: z.unknown(), run };
  return {
    id,
    title: id,
    dependsOn: [],
    runtime: 'lambda',
    timeoutSeconds: 10,
    retry: { maxAttempts: 1, intervalSeconds: 1, backoffRate: 1, maxDelaySeconds: 1, jitter: 'NONE' },
    progressWeight: 1,
    optional: false,
    lambda: { memoryMb: 128 },
    module,
  };
}

const input = (shard?: number): StageInput => ({
  runId: 'r',
  podcastId: 'p',
  stages: {},
  ...(shard === undefined ? {} : { shard: { index: shard, count: 2 } }),
});
const ctx = {} as StageContext;

describe('interval math', () => {
  it('merges overlapping and touching intervals and measures their union once', () => {
    // Prepare
    const intervals = [
      { start: 10, end: 20 },
      { start: 0, end: 5 },
      { start: 15, end: 30 },
      { start: 30, end: 31 },
    ];

    // Act
    const merged = mergeIntervals(intervals);

    // Assess
    expect(merged).toEqual([
      { start: 0, end: 5 },
      { start: 10, end: 31 },
    ]);
    expect(unionLength(intervals)).toBe(26);
    expect(unionLength([])).toBe(0);
  });

  it('tells whether an interval lies inside one of a set', () => {
    const a = [
      { start: 0, end: 10 },
      { start: 20, end: 30 },
    ];

    expect(within(21, 29, a)).toBe(true);
    expect(within(9, 21, a)).toBe(false);
  });
});

describe('StageProbe', () => {
  it('times run() of every stage module, keeps its output, and restores the module on uninstall', async () => {
    // Prepare
    const original: StageModule['run'] = async (i) => ({ shard: (i as StageInput).shard?.index ?? null });
    const stage = fakeStage('tts', original);
    const probe = new StageProbe().install([stage]);

    // Act
    const output = await stage.module.run(input(1), ctx, undefined);
    probe.uninstall();

    // Assess
    expect(output).toEqual({ shard: 1 });
    expect(probe.work).toHaveLength(1);
    expect(probe.work[0]).toMatchObject({ stage: 'tts', unit: 'tts/1' });
    expect(probe.outputs.get('tts/1')).toEqual({ shard: 1 });
    expect(stage.module.run).toBe(original);
  });

  it('records a failed run() too, and rethrows its error', async () => {
    const stage = fakeStage('mix', async () => {
      throw new Error('ffmpeg failed');
    });
    const probe = new StageProbe().install([stage]);

    await expect(stage.module.run(input(), ctx, undefined)).rejects.toThrow('ffmpeg failed');
    probe.uninstall();

    expect(probe.work.map((w) => w.unit)).toEqual(['mix']);
    expect(probe.outputs.has('mix')).toBe(false);
  });

  it('runs a unit inside its request scope and records the unit', async () => {
    const probe = new StageProbe();

    const seen = await probe.unit({ unit: 'summarize/2', stage: 'summarize', kind: 'lambda' }, async () =>
      unitScope.getStore()
    );

    expect(seen).toEqual({ unit: 'summarize/2', stage: 'summarize' });
    expect(probe.units).toHaveLength(1);
    expect(probe.units[0]).toMatchObject({ unit: 'summarize/2', kind: 'lambda' });
    expect(unitScope.getStore()).toBeUndefined();
  });

  it('splits a stage unit into work and overhead, not counting waits behind other stages as overhead, sharing idle time among open units', () => {
    // Prepare: outline 0-100 with work 20-90; artwork 100-300 waiting while tts works 120-280.
    const probe = new StageProbe();
    probe.units.push(
      { stage: 'outline', unit: 'outline', kind: 'engine', start: 0, end: 100 },
      { stage: 'artwork', unit: 'artwork', kind: 'engine', start: 100, end: 300 },
      { stage: 'tts', unit: 'tts/0', kind: 'engine', start: 110, end: 290 }
    );
    probe.work.push(
      { stage: 'outline', unit: 'outline', start: 20, end: 90 },
      { stage: 'artwork', unit: 'artwork', start: 280, end: 295 },
      { stage: 'tts', unit: 'tts/0', start: 120, end: 280 }
    );

    // Act
    const timings = stageTimings(probe, ['outline', 'tts', 'artwork', 'feed']);

    // Assess
    expect(timings.map((t) => t.stage)).toEqual(['outline', 'tts', 'artwork']);
    expect(timings[0]).toMatchObject({ unitMs: 100, workMs: 70, overheadMs: 30, lifecycleMs: 30, units: 1 });
    expect(timings[2]).toMatchObject({ unitMs: 200, workMs: 15, lifecycleMs: 185 });
    // No stage work at 100-120 and 295-300: artwork alone at 100-110 and 295-300, and 110-120
    // shared with tts/0, which was open too.
    expect(timings[2]?.overheadMs).toBe(20);
    expect(timings[1]?.overheadMs).toBe(5);
  });

  it("shares a fan-out's idle time among its shards, by unit, and adds them up for the stage", () => {
    // Prepare: two shards open 0-100, working 10-80 and 10-60; nothing works 0-10 and 80-100.
    const probe = new StageProbe();
    probe.units.push(
      { stage: 'tts', unit: 'tts/0', kind: 'lambda', start: 0, end: 100 },
      { stage: 'tts', unit: 'tts/1', kind: 'lambda', start: 0, end: 70 }
    );
    probe.work.push(
      { stage: 'tts', unit: 'tts/0', start: 10, end: 80 },
      { stage: 'tts', unit: 'tts/1', start: 10, end: 60 }
    );

    // Act
    const [tts] = stageTimings(probe, ['tts']);

    // Assess: 0-10 shared by both, 80-100 tts/0's alone.
    expect(tts?.unitOverheadMs).toEqual({ 'tts/0': 25, 'tts/1': 5 });
    expect(tts?.overheadMs).toBe(30);
  });
});
