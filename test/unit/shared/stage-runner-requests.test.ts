/**
 * What one unit costs in round trips: a first attempt looks up no checkpoint (none can exist
 * before an attempt the run counted), a unit that began before does; the claim that creates a run
 * begins the first stage's attempt in the same write; prepare reads the podcast config once.
 */
import { z } from 'zod';
import { prepareStage } from '../../../stages/prepare/prepare';
import { artifactKeys } from '../../../stages/shared/artifact-keys';
import { isClaimRefusal, ValidationError } from '../../../stages/shared/errors';
import type { RunnableStage, StageModule } from '../../../stages/shared/stage';
import { runStageUnit } from '../../../stages/shared/stage-runner';
import { runnableStage } from '../../../stages/stage-modules';
import { makeFakeDeps } from '../../fakes/fake-deps';
import { podcastConfig } from '../../fixtures/podcast-config';

const RUN_ID = 'run-1';
const NEW_RUN = { runId: RUN_ID, podcastId: 'pod', mode: 'monolithic', inputHash: 'h', input: {} } as const;
const NOW = '2026-11-23T00:00:00.000Z';

function outlineStub(): RunnableStage {
  const module: StageModule = {
    id: 'outline',
    inputSchema: z.object({ stages: z.object({ prepare: z.object({ ok: z.literal(true) }) }) }),
    outputSchema: z.object({ n: z.number() }),
    async run() {
      return { n: 1 };
    },
  };
  return { ...runnableStage('outline'), module };
}

const input = { runId: RUN_ID, podcastId: 'pod', stages: { prepare: { ok: true }, summarize: {} } };

/** Counts reads of the unit's checkpoint key. */
function countCheckpointReads(deps: ReturnType<typeof makeFakeDeps>, key: string): () => number {
  let reads = 0;
  const get = deps.media.get.bind(deps.media);
  deps.media.get = async (k) => {
    if (k === key) reads++;
    return get(k);
  };
  return () => reads;
}

describe('runStageUnit: round trips', () => {
  it("looks up no checkpoint on a unit's first attempt, and looks it up once the unit began before", async () => {
    // Prepare
    const deps = makeFakeDeps();
    await deps.runs.claim(NEW_RUN, NOW);
    const reads = countCheckpointReads(deps, artifactKeys.checkpoint(RUN_ID, 'outline'));
    const def = outlineStub();

    // Act + Assess: the first attempt writes the checkpoint without reading it.
    await runStageUnit(def, input, deps);
    expect(reads()).toBe(0);
    // A rerun finds the unit done and its checkpoint standing: one read, no new attempt.
    await runStageUnit(def, input, deps);
    expect(reads()).toBe(1);
    expect((await deps.runs.get(RUN_ID))?.stageAttempts.outline).toBe(1);
  });

  it('writes progress events without touching the run record on every step (at most once a minute)', async () => {
    // Prepare: a core that reports four progress steps at once.
    const deps = makeFakeDeps();
    await deps.runs.claim(NEW_RUN, NOW);
    const module: StageModule = {
      id: 'outline',
      inputSchema: z.object({ stages: z.object({ prepare: z.object({ ok: z.literal(true) }) }) }),
      outputSchema: z.object({ n: z.number() }),
      async run(_input, ctx) {
        for (const step of [1, 2, 3, 4]) await ctx.progress(step / 4);
        return { n: 1 };
      },
    };
    const writesBefore = deps.runs.writes;

    // Act
    await runStageUnit({ ...runnableStage('outline'), module }, input, deps);

    // Assess: the begin and completeUnit only; the progress events are written.
    expect(deps.runs.writes - writesBefore).toBe(2);
    const progress = (await deps.events.list(RUN_ID)).filter((e) => e.type === 'stage.progress');
    expect(progress.map((e) => e.detail?.stagePercent)).toEqual([25, 50, 75]);
  });

  it('begins prepare with the claim that creates the run, and reads the podcast config once', async () => {
    // Prepare
    const deps = makeFakeDeps();
    const config = podcastConfig({ podcastId: 'pod' });
    await deps.podcasts.put(config);
    let configReads = 0;
    const getPodcast = deps.podcasts.get.bind(deps.podcasts);
    deps.podcasts.get = async (id) => {
      configReads++;
      return getPodcast(id);
    };
    const writesBefore = deps.runs.writes;
    const raw = { runId: RUN_ID, podcastId: 'pod', episode: { date: '2026-11-23' } };

    // Act
    await runStageUnit(
      { ...runnableStage('prepare'), module: prepareStage },
      { runId: RUN_ID, podcastId: 'pod', input: raw, stages: {} },
      deps
    );

    // Assess: claim (which began attempt 1) and completeUnit; no separate begin.
    const run = await deps.runs.get(RUN_ID);
    expect(run).toMatchObject({ status: 'running', stageAttempts: { prepare: 1 }, doneUnits: ['prepare'] });
    expect(deps.runs.writes - writesBefore).toBe(2);
    expect(configReads).toBe(1);
    const types = (await deps.events.list(RUN_ID)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['run.started', 'stage.started', 'stage.succeeded']));
  });

  /** Prepare whose claim write waits for `open`; records when the core starts and what is stored. */
  function gatedPrepare(claimOutcome: 'lands' | 'refused') {
    const deps = makeFakeDeps();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const claimRun = deps.runs.claim.bind(deps.runs);
    deps.runs.claim = async (run, now) => {
      await gate;
      if (claimOutcome === 'refused')
        throw new ValidationError('input: the runId was used with another input', 'input');
      return claimRun(run, now);
    };
    const stored: string[] = [];
    const put = deps.media.put.bind(deps.media);
    deps.media.put = async (key, ...rest) => {
      stored.push(key);
      return put(key, ...rest);
    };
    const state = { coreStarted: false };
    const def: RunnableStage = {
      ...runnableStage('prepare'),
      module: {
        ...prepareStage,
        run: async (...args: Parameters<typeof prepareStage.run>) => {
          state.coreStarted = true;
          return prepareStage.run(...args);
        },
      },
    };
    const raw = { runId: RUN_ID, podcastId: 'pod', episode: { date: '2026-11-23' } };
    return {
      deps,
      open,
      stored,
      state,
      def,
      stageInput: { runId: RUN_ID, podcastId: 'pod', input: raw, stages: {} },
    };
  }

  async function settle(rounds = 20): Promise<void> {
    for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  it("starts prepare's core while its claim is written, and holds the core's writes until the claim lands", async () => {
    // Prepare
    const { deps, open, stored, state, def, stageInput } = gatedPrepare('lands');
    await deps.podcasts.put(podcastConfig({ podcastId: 'pod' }));

    // Act: the claim is held; the unit starts.
    const unit = runStageUnit(def, stageInput, deps, { speculate: true });
    await settle();

    // Assess: the core runs, but nothing is stored before the run is claimed.
    expect(state.coreStarted).toBe(true);
    expect(stored).toEqual([]);
    open();
    await expect(unit).resolves.toMatchObject({ episode: { date: '2026-11-23' } });
    expect(stored).toContain(artifactKeys.stageFile(RUN_ID, 'prepare', 'podcast.json'));
    expect(await deps.runs.get(RUN_ID)).toMatchObject({ status: 'running', doneUnits: ['prepare'] });
  });

  it("ends prepare with the claim's refusal, its core having stored and announced nothing", async () => {
    // Prepare
    const { deps, open, stored, state, def, stageInput } = gatedPrepare('refused');
    await deps.podcasts.put(podcastConfig({ podcastId: 'pod' }));

    // Act
    const unit = runStageUnit(def, stageInput, deps, { speculate: true });
    await settle();
    open();
    const error = await unit.catch((e: unknown) => e);

    // Assess: the claim's own error, marked as a refusal; no snapshot, no stage event.
    expect(state.coreStarted).toBe(true);
    expect(error).toBeInstanceOf(ValidationError);
    expect(isClaimRefusal(error)).toBe(true);
    expect(stored).toEqual([]);
    expect((await deps.events.list(RUN_ID)).map((e) => e.type)).toEqual([]);
  });

  it.each([true, false])(
    'does not end a resumed prepare before its run.started is written, its checkpoint reused (speculate %s)',
    async (speculate) => {
      // Prepare: prepare done, then the run failed later; run.started writes are slow.
      const deps = makeFakeDeps();
      await deps.podcasts.put(podcastConfig({ podcastId: 'pod' }));
      const raw = { runId: RUN_ID, podcastId: 'pod' };
      const stageInput = { runId: RUN_ID, podcastId: 'pod', input: raw, stages: {} };
      const def = { ...runnableStage('prepare'), module: prepareStage };
      await runStageUnit(def, stageInput, deps, { speculate });
      await deps.runs.markFailed(RUN_ID, { stage: 'script', name: 'Error', message: 'x' }, NOW);
      const append = deps.events.append.bind(deps.events);
      deps.events.append = async (event) => {
        if (event.type === 'run.started') await new Promise((resolve) => setTimeout(resolve, 30));
        return append(event);
      };

      // Act: the resume.
      await runStageUnit(def, stageInput, deps, { speculate });

      // Assess: both attempts' run.started are there when the unit returns.
      const started = (await deps.events.list(RUN_ID)).filter((e) => e.type === 'run.started');
      expect(started.map((e) => e.attempt)).toEqual([1, 2]);
    }
  );
});
