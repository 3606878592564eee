/**
 * The monolithic engine when a stage finds nothing to publish: a stage the plan lets skip the run
 * (canSkipRun) returns `skipRun: { reason }`; nothing depending on it starts, work already under
 * way finishes, and the run ends `skipped` with one run.skipped event, as the state machine's
 * Choice and run-status `skip` do.
 */
import { runPipeline } from '../../containers/orchestrator/engine/pipeline-engine';
import type { RunnableStage } from '../../stages/shared/stage';
import { makeFakeDeps } from '../fakes/fake-deps';
import { stubRegistry } from '../helpers/stub-registry';

const ids = { runId: 'run-1', podcastId: 'pod' };
const noSleep = async () => undefined;
const REASON = 'no new stories: all 3 candidates were covered in episode 2026-11-16';

/** The stub registry with `left` able to skip the run, and asking to when `asks` is true. */
function registryWhereLeftSkips(asks: boolean, canSkipRun = true) {
  const { stages, log } = stubRegistry({ delayMs: { fan: 30 } });
  const withSkip = stages.map((stage): RunnableStage => {
    if (stage.id !== 'left') return stage;
    const { module } = stage;
    return {
      ...stage,
      canSkipRun,
      module: {
        ...module,
        run: async (input, ctx, claimed) => ({
          ...((await module.run(input, ctx, claimed)) as object),
          ...(asks ? { skipRun: { reason: REASON } } : {}),
        }),
      },
    };
  });
  return { stages: withSkip, log };
}

describe('monolithic engine: a stage that finds nothing to publish', () => {
  it('starts nothing that depends on it, lets running work finish, and ends the run skipped', async () => {
    // Prepare
    const { stages, log } = registryWhereLeftSkips(true);
    const deps = makeFakeDeps();

    // Act
    const result = await runPipeline(ids, {}, { deps, stages, sleep: noSleep });

    // Assess
    expect(result.skipped).toEqual({ stage: 'left', reason: REASON });
    expect(result.episode).toBeUndefined();
    expect(log.calls).not.toContain('extra');
    expect(log.calls).not.toContain('publish');
    // fan was already running beside left: it finished (and committed) before the run ended.
    expect(log.calls.filter((u) => u.startsWith('fan/')).sort()).toEqual(['fan/0', 'fan/1', 'fan/2']);
    expect(await deps.runs.get('run-1')).toMatchObject({
      status: 'skipped',
      skipped: { stage: 'left', reason: REASON },
      progressPercent: 100,
    });
    const events = await deps.events.list('run-1');
    expect(events.filter((e) => e.type.startsWith('run.')).map((e) => e.type)).toEqual(['run.skipped']);
    expect(
      events
        .filter((e) => e.type === 'stage.succeeded')
        .map((e) => e.unit)
        .sort()
    ).toEqual(['fan/0', 'fan/1', 'fan/2', 'first', 'left']);
  });

  it('ends the same way when run again (the checkpoint still asks to skip; one run.skipped)', async () => {
    const { stages, log } = registryWhereLeftSkips(true);
    const deps = makeFakeDeps();
    await runPipeline(ids, {}, { deps, stages, sleep: noSleep });
    const callsBefore = log.calls.length;

    const again = await runPipeline(ids, {}, { deps, stages, sleep: noSleep });

    expect(again.skipped).toEqual({ stage: 'left', reason: REASON });
    expect(log.calls.slice(callsBefore).filter((u) => u !== 'first')).toEqual([]);
    const types = (await deps.events.list('run-1')).map((e) => e.type);
    expect(types.filter((t) => t === 'run.skipped')).toHaveLength(1);
  });

  it('goes on as usual when the stage does not ask, or when the plan does not let it skip', async () => {
    for (const [asks, canSkipRun] of [
      [false, true],
      [true, false],
    ] as const) {
      const { stages, log } = registryWhereLeftSkips(asks, canSkipRun);
      const deps = makeFakeDeps();

      const result = await runPipeline(ids, {}, { deps, stages, sleep: noSleep });

      expect(result.skipped).toBeUndefined();
      expect(result.episode).toEqual({ episodeId: 'e1', guid: 'g1' });
      expect(log.calls).toContain('publish');
      expect((await deps.runs.get('run-1'))?.status).toBe('succeeded');
    }
  });
});
