/**
 * The engine's write-behind: a unit's output goes to its dependants as soon as it is validated,
 * while its checkpoint, progress and success event are written; checkpoints still land in
 * dependency order, and a commit that fails after the hand-over fails the run without a retry.
 */
import { PipelineFailedError, runPipeline } from '../../containers/orchestrator/engine/pipeline-engine';
import { artifactKeys } from '../../stages/shared/artifact-keys';
import { RetryableStageError } from '../../stages/shared/errors';
import type { ArtifactStore } from '../../stages/shared/ports';
import { makeFakeDeps } from '../fakes/fake-deps';
import { stubRegistry } from '../helpers/stub-registry';

const ids = { runId: 'run-1', podcastId: 'pod' };
const noSleep = async () => undefined;
const checkpointOf = (stage: string) => artifactKeys.checkpoint('run-1', stage);

/** The media store with slow (or failing) checkpoint writes, and the order the writes landed in. */
function slowCheckpoints(
  media: ArtifactStore,
  options: { delayMs: Record<string, number>; failOnce?: string }
): { landed: string[] } {
  const landed: string[] = [];
  const put = media.put.bind(media);
  let failed = false;
  media.put = async (key, body, contentType) => {
    const stage = Object.keys(options.delayMs).find((s) => key === checkpointOf(s));
    if (stage) await new Promise((resolve) => setTimeout(resolve, options.delayMs[stage]));
    if (options.failOnce && key === checkpointOf(options.failOnce) && !failed) {
      failed = true;
      throw new RetryableStageError('SlowDown: please reduce your request rate');
    }
    await put(key, body, contentType);
    if (key.endsWith('/output.json') || key.includes('/shards/')) landed.push(key);
  };
  return { landed };
}

describe('engine write-behind', () => {
  it("starts dependants before a unit's checkpoint is written, and lands checkpoints in dependency order", async () => {
    // Prepare: the first stage's checkpoint takes 80 ms to write; left's is quick.
    const { stages, log } = stubRegistry();
    const deps = makeFakeDeps();
    const { landed } = slowCheckpoints(deps.media, { delayMs: { first: 80 } });
    const leftStarted: number[] = [];
    const firstLanded: number[] = [];
    const left = stages.find((s) => s.id === 'left')!;
    const leftRun = left.module.run.bind(left.module);
    (left.module as { run: typeof leftRun }).run = async (...args) => {
      leftStarted.push(performance.now());
      return leftRun(...args);
    };
    const put = deps.media.put.bind(deps.media);
    deps.media.put = async (key, body, contentType) => {
      await put(key, body, contentType);
      if (key === checkpointOf('first')) firstLanded.push(performance.now());
    };

    // Act
    const result = await runPipeline(ids, {}, { deps, stages, sleep: noSleep });

    // Assess: left ran while first's checkpoint was still being written...
    expect(result.episode).toEqual({ episodeId: 'e1', guid: 'g1' });
    expect(leftStarted[0]).toBeLessThan(firstLanded[0] as number);
    // ...yet first's checkpoint landed before any of its dependants' did, and every unit's did.
    expect(landed[0]).toBe(checkpointOf('first'));
    expect(landed).toHaveLength(1 + 1 + 3 + 1 + 1);
    expect(log.calls.at(-1)).toBe('publish');
    expect((await deps.runs.get('run-1'))?.status).toBe('succeeded');
    const succeeded = (await deps.events.list('run-1')).filter((e) => e.type === 'stage.succeeded');
    expect(succeeded).toHaveLength(7);
  });

  it('fails the run at a unit whose commit fails after the hand-over, without retrying its work', async () => {
    // Prepare: left's checkpoint write is throttled once (a retryable error, were it the work's).
    const { stages, log } = stubRegistry({ delayMs: { fan: 30 } });
    const deps = makeFakeDeps();
    const { landed } = slowCheckpoints(deps.media, { delayMs: { left: 10 }, failOnce: 'left' });

    // Act
    const failure = await runPipeline(ids, {}, { deps, stages, sleep: noSleep }).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(PipelineFailedError);
    expect((failure as PipelineFailedError).runError).toMatchObject({
      stage: 'left',
      name: 'RetryableStageError',
    });
    expect(log.calls.filter((u) => u === 'left')).toHaveLength(1);
    expect(log.calls).not.toContain('publish');
    // Nothing that depends on left was checkpointed; the run is failed once, at left.
    expect(landed).not.toContain(checkpointOf('left'));
    expect(landed).not.toContain(checkpointOf('extra'));
    const run = await deps.runs.get('run-1');
    expect(run).toMatchObject({ status: 'failed', error: { stage: 'left' } });
    const events = await deps.events.list('run-1');
    expect(events.filter((e) => e.type === 'run.failed')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'stage.failed').map((e) => e.unit)).toContain('left');
    expect(events.filter((e) => e.type === 'stage.succeeded').map((e) => e.unit)).not.toContain('left');
  });

  it('stopped while a commit is still written behind: the run stops at the stage whose work is under way', async () => {
    // Prepare: first's checkpoint takes 150 ms; left and fan work for 400 ms.
    const { stages, log } = stubRegistry({ delayMs: { left: 400, fan: 400 } });
    const deps = makeFakeDeps();
    slowCheckpoints(deps.media, { delayMs: { first: 150 } });
    const stop = new AbortController();
    const running = runPipeline(ids, {}, { deps, stages, sleep: noSleep, signal: stop.signal }).catch(
      (e: unknown) => e
    );
    while (!log.calls.includes('left')) await new Promise((resolve) => setTimeout(resolve, 2));

    // Act
    stop.abort(new Error('stopped (SIGINT)'));
    const failure = await running;

    // Assess
    expect(failure).toBeInstanceOf(PipelineFailedError);
    expect((failure as PipelineFailedError).runError).toMatchObject({ stage: 'left' });
    expect(await deps.runs.get('run-1')).toMatchObject({ status: 'failed', error: { stage: 'left' } });
  });

  it('resumes the failed run: units whose checkpoints landed are skipped, left is redone once', async () => {
    const { stages, log } = stubRegistry();
    const deps = makeFakeDeps();
    slowCheckpoints(deps.media, { delayMs: {}, failOnce: 'left' });
    await runPipeline(ids, {}, { deps, stages, sleep: noSleep }).catch(() => undefined);
    log.calls.length = 0;

    await runPipeline(ids, {}, { deps, stages, sleep: noSleep });

    expect(log.calls).not.toContain('first');
    expect(log.calls).toContain('left');
    expect((await deps.runs.get('run-1'))?.status).toBe('succeeded');
  });
});

describe("a fan-out's shards begin together", () => {
  it('with one write to the run record, each counting its own attempt; one by one on a rerun', async () => {
    // Prepare
    const { stages } = stubRegistry({ failures: { 'fan/2': ['fatal'] } });
    const deps = makeFakeDeps();
    const together: string[][] = [];
    const single: string[] = [];
    const beginUnits = deps.runs.beginUnits.bind(deps.runs);
    const beginUnitUnlessDone = deps.runs.beginUnitUnlessDone.bind(deps.runs);
    deps.runs.beginUnits = async (runId, units, stage, now) => {
      together.push([...units]);
      return beginUnits(runId, units, stage, now);
    };
    deps.runs.beginUnitUnlessDone = async (runId, unit, stage, now) => {
      single.push(unit);
      return beginUnitUnlessDone(runId, unit, stage, now);
    };

    // Act: the first run fails at fan/2 (its siblings finish), the second resumes it.
    await runPipeline(ids, {}, { deps, stages, sleep: noSleep }).catch(() => undefined);
    const firstRun = { together: [...together], single: [...single] };
    together.length = 0;
    single.length = 0;
    // (fan/2 fails only on its first attempt.)
    await runPipeline(ids, {}, { deps, stages, sleep: noSleep });

    // Assess: fan's two first shards (its concurrency) began in one write, the third alone.
    expect(firstRun.together).toEqual([['fan/0', 'fan/1']]);
    expect(firstRun.single).not.toContain('fan/0');
    expect(firstRun.single).toContain('fan/2');
    // The rerun: fan/0 and fan/1 are done, so the batch is refused and each begins as any unit.
    expect(together).toEqual([['fan/0', 'fan/1']]);
    expect(single).toEqual(expect.arrayContaining(['fan/0', 'fan/1', 'fan/2']));
    const run = await deps.runs.get('run-1');
    expect(run?.status).toBe('succeeded');
    expect(run?.stageAttempts).toMatchObject({ 'fan/0': 1, 'fan/1': 1, 'fan/2': 2 });
  });
});
