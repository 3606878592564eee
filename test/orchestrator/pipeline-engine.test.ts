import { PipelineFailedError, runPipeline } from '../../containers/orchestrator/engine/pipeline-engine';
import { retryDelayMs } from '../../containers/orchestrator/engine/retry-policy';
import { makeFakeDeps } from '../fakes/fake-deps';
import { fastRetry, stubRegistry } from '../helpers/stub-registry';

const ids = { runId: 'run-1', podcastId: 'pod' };
const noSleep = async () => undefined;

describe('monolithic engine over a stub registry', () => {
  it('runs every stage after its dependencies, fans out with bounded concurrency, and completes the run', async () => {
    // Prepare
    const { stages, log } = stubRegistry();
    const deps = makeFakeDeps();

    // Act
    const result = await runPipeline(ids, {}, { deps, stages, sleep: noSleep });

    // Assess
    const order = log.calls;
    expect(order[0]).toBe('first');
    expect(order.indexOf('extra')).toBeGreaterThan(order.indexOf('left'));
    expect(order.at(-1)).toBe('publish');
    expect(order.filter((u) => u.startsWith('fan/')).sort()).toEqual(['fan/0', 'fan/1', 'fan/2']);
    expect(log.maxActive.fan).toBe(2);
    expect(result.stages.fan).toEqual({ parts: 3 });
    expect(result.episode).toEqual({ episodeId: 'e1', guid: 'g1' });
    const run = await deps.runs.get('run-1');
    expect(run?.status).toBe('succeeded');
    const types = (await deps.events.list('run-1')).map((e) => e.type);
    expect(types).toContain('run.succeeded');
    expect(types.filter((t) => t === 'stage.succeeded')).toHaveLength(7);
  });

  it('starts independent stages in parallel', async () => {
    const { stages, log } = stubRegistry({ delayMs: { left: 60, fan: 60 } });
    const deps = makeFakeDeps();
    let overlap = false;
    const watcher = setInterval(() => {
      if ((log.inFlight.left ?? 0) > 0 && (log.inFlight.fan ?? 0) > 0) overlap = true;
    }, 5);
    await runPipeline(ids, {}, { deps, stages, sleep: noSleep });
    clearInterval(watcher);
    expect(overlap).toBe(true);
  });

  it('retries a transient failure with the registry policy and records stage.retried', async () => {
    const { stages, log } = stubRegistry({ failures: { 'fan/1': ['retryable', 'retryable'] } });
    const deps = makeFakeDeps();
    const delays: number[] = [];
    await runPipeline(
      ids,
      {},
      { deps, stages, sleep: async (ms) => void delays.push(ms), random: () => 0.5 }
    );
    expect(log.calls.filter((u) => u === 'fan/1')).toHaveLength(3);
    expect(delays).toEqual([500, 1000]);
    const retried = (await deps.events.list('run-1')).filter((e) => e.type === 'stage.retried');
    expect(retried.map((e) => [e.unit, e.attempt])).toEqual([
      ['fan/1', 2],
      ['fan/1', 3],
    ]);
  });

  it('fails the run with the stage named when retries run out, and never retries a fatal error', async () => {
    const { stages, log } = stubRegistry({ failures: { left: ['fatal'] } });
    const deps = makeFakeDeps();
    const failure = await runPipeline(ids, {}, { deps, stages, sleep: noSleep }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PipelineFailedError);
    expect((failure as PipelineFailedError).runError).toMatchObject({
      stage: 'left',
      name: 'FatalStageError',
    });
    expect(log.calls.filter((u) => u === 'left')).toHaveLength(1);
    expect(log.calls).not.toContain('publish');
    const run = await deps.runs.get('run-1');
    expect(run).toMatchObject({ status: 'failed', error: { stage: 'left', message: 'left is broken' } });
    const types = (await deps.events.list('run-1')).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['stage.failed', 'run.failed']));
  });

  it('skips an optional stage switched off in the plan', async () => {
    const { stages, log } = stubRegistry({ enabled: { extra: false } });
    const result = await runPipeline(ids, {}, { deps: makeFakeDeps(), stages, sleep: noSleep });
    expect(log.calls).not.toContain('extra');
    expect(result.stages.extra).toEqual({ skipped: true });
  });

  it('resumes a failed run without redoing finished units (checkpoints)', async () => {
    const deps = makeFakeDeps();
    const first = stubRegistry({ failures: { publish: ['fatal'] } });
    await expect(runPipeline(ids, {}, { deps, stages: first.stages, sleep: noSleep })).rejects.toBeInstanceOf(
      PipelineFailedError
    );

    const second = stubRegistry();
    await runPipeline(ids, {}, { deps, stages: second.stages, sleep: noSleep });
    expect(second.log.calls).toEqual(['publish']);
    expect((await deps.runs.get('run-1'))?.status).toBe('succeeded');
  });
});

describe('retry delays', () => {
  it('follows IntervalSeconds * BackoffRate^(n-1) capped at MaxDelaySeconds, with full jitter', () => {
    const none = { ...fastRetry, jitter: 'NONE' as const };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(none, n))).toEqual([1000, 2000, 4000, 5000]);
    expect(retryDelayMs(fastRetry, 3, () => 0.25)).toBe(1000);
  });
});
