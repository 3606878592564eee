import { z } from 'zod';
import type { RunnableStage } from '../../../stages/shared/stage';
import { runnableStage } from '../../../stages/stage-modules';
import { artifactKeys } from '../../../stages/shared/artifact-keys';
import type { StageModule } from '../../../stages/shared/stage';
import { runStageUnit } from '../../../stages/shared/stage-runner';
import { makeFakeDeps } from '../../fakes/fake-deps';

const RUN_ID = 'run-1';
const NEW_RUN = { runId: RUN_ID, podcastId: 'pod', mode: 'monolithic', inputHash: 'h', input: {} } as const;

/** outline's place in the plan with a stub core: needs `stages.prepare.ok`, returns `{ n }`. */
function stubStage(
  result: unknown,
  verify?: StageModule['verifyCheckpoint']
): { def: RunnableStage; calls: () => number } {
  let calls = 0;
  const module: StageModule = {
    id: 'outline',
    inputSchema: z.object({ stages: z.object({ prepare: z.object({ ok: z.literal(true) }) }) }),
    outputSchema: z.object({ n: z.number() }),
    async run() {
      calls++;
      return result;
    },
    ...(verify ? { verifyCheckpoint: verify } : {}),
  };
  return { def: { ...runnableStage('outline'), module }, calls: () => calls };
}

const input = (prepare: unknown) => ({
  runId: RUN_ID,
  podcastId: 'pod',
  stages: { prepare, summarize: { summaries: [] } },
});

describe("runStageUnit: the pipeline's own data is never reported as bad input", () => {
  it('fails a stage whose dependency manifest is malformed with a FatalStageError', async () => {
    const deps = makeFakeDeps();
    await deps.runs.claim(NEW_RUN, '2026-11-23T00:00:00.000Z');

    const failure = runStageUnit(stubStage({ n: 1 }).def, input({ ok: 'yes' }), deps);

    await expect(failure).rejects.toMatchObject({
      name: 'FatalStageError',
      message: expect.stringMatching(
        /^input\.stages\.prepare\.ok: .*\(a manifest of an earlier stage, not the run input\)$/
      ),
    });
  });

  it('fails a stage whose core returns a malformed manifest with a FatalStageError', async () => {
    const deps = makeFakeDeps();
    await deps.runs.claim(NEW_RUN, '2026-11-23T00:00:00.000Z');

    const failure = runStageUnit(stubStage({ n: 'one' }).def, input({ ok: true }), deps);

    await expect(failure).rejects.toMatchObject({
      name: 'FatalStageError',
      message: expect.stringMatching(
        /^outline output\.n: .*\(what stage outline returned, not the run input\)$/
      ),
    });
  });
});

describe('runStageUnit: verifyCheckpoint', () => {
  it('reuses a checkpoint its stage verifies, and redoes the unit (checkpoint.discarded) when it reports a problem', async () => {
    // Prepare
    const deps = makeFakeDeps();
    await deps.runs.claim(NEW_RUN, '2026-11-23T00:00:00.000Z');
    const side: { problem?: string } = {};
    const stage = stubStage({ n: 1 }, async () => side.problem);
    await runStageUnit(stage.def, input({ ok: true }), deps);

    // Act
    await runStageUnit(stage.def, input({ ok: true }), deps);
    side.problem = 'the side effect is gone';
    await runStageUnit(stage.def, input({ ok: true }), deps);

    // Assess
    expect(stage.calls()).toBe(2);
    const discarded = (await deps.events.list(RUN_ID)).filter((e) => e.type === 'checkpoint.discarded');
    expect(discarded).toEqual([
      expect.objectContaining({
        eventKey: 'outline#002#checkpoint.discarded',
        unit: 'outline',
        attempt: 2,
        detail: {
          checkpointKey: artifactKeys.checkpoint(RUN_ID, 'outline'),
          reason: 'the side effect is gone',
        },
      }),
    ]);
  });
});

describe('runStageUnit: a crash after the checkpoint', () => {
  it('writes the stage.succeeded event on the rerun, as the checkpoint recorded it, and only once', async () => {
    // Prepare: the event write fails after the checkpoint and progress were written (a crash there).
    const deps = makeFakeDeps();
    await deps.runs.claim(NEW_RUN, '2026-11-23T00:00:00.000Z');
    const stage = stubStage({ n: 1 });
    const append = deps.events.append.bind(deps.events);
    let crash = true;
    deps.events.append = async (event) => {
      if (crash && event.type === 'stage.succeeded') throw new Error('killed before the event');
      return append(event);
    };
    await expect(runStageUnit(stage.def, input({ ok: true }), deps)).rejects.toThrow(
      'killed before the event'
    );
    const succeeded = async () =>
      (await deps.events.list(RUN_ID)).filter((e) => e.type === 'stage.succeeded');
    expect(await succeeded()).toEqual([]);

    // Act: the rerun finds the checkpoint; then once more.
    crash = false;
    await runStageUnit(stage.def, input({ ok: true }), deps);
    await runStageUnit(stage.def, input({ ok: true }), deps);

    // Assess
    expect(stage.calls()).toBe(1);
    expect(await succeeded()).toEqual([
      expect.objectContaining({ eventKey: 'outline#001#stage.succeeded', unit: 'outline', attempt: 1 }),
    ]);
    expect((await deps.runs.get(RUN_ID))?.progressPercent).toBeGreaterThan(0);
  });
});
