import { recordRunStatus } from '../../../stages/run-status/run-status';
import { ConflictError, ValidationError } from '../../../stages/shared/errors';
import { skipRun } from '../../../stages/shared/run-lifecycle';
import { makeFakeDeps, type FakeDeps } from '../../fakes/fake-deps';

const RUN_ID = 'tech-weekly-2026-11-30';
const REASON = 'no new stories: all 4 candidates were covered in episodes 2026-11-16, 2026-11-23';

async function runningRun(): Promise<FakeDeps> {
  const deps = makeFakeDeps();
  await deps.runs.claim(
    { runId: RUN_ID, podcastId: 'tech-weekly', mode: 'distributed', inputHash: 'h', input: {} },
    deps.clock.now().toISOString()
  );
  return deps;
}

describe('run-status skip (the state machine after a stage found nothing to publish)', () => {
  it('ends the run skipped with the stage and the reason, and writes one run.skipped event', async () => {
    // Prepare
    const deps = await runningRun();
    const event = { action: 'skip', runId: RUN_ID, stage: 'discover', skip: { reason: REASON } };

    // Act
    const first = await recordRunStatus(event, deps);
    const again = await recordRunStatus(event, deps);

    // Assess
    expect(first).toEqual({ runId: RUN_ID, status: 'skipped', cause: REASON });
    expect(again).toEqual(first);
    expect(await deps.runs.get(RUN_ID)).toMatchObject({
      status: 'skipped',
      skipped: { stage: 'discover', reason: REASON },
      progressPercent: 100,
    });
    const events = await deps.events.list(RUN_ID);
    expect(events.map((e) => [e.eventKey, e.type, e.stage, e.detail])).toEqual([
      ['run#001#run.skipped', 'run.skipped', 'discover', { reason: REASON }],
    ]);
  });

  it('refuses a skip without a reason, naming the field', async () => {
    const deps = await runningRun();

    const error = await recordRunStatus(
      { action: 'skip', runId: RUN_ID, stage: 'discover', skip: { reason: ' ' } },
      deps
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/skip\.reason/);
    expect((await deps.runs.get(RUN_ID))?.status).toBe('running');
  });

  it('never moves a run that already ended otherwise (skipRun is a ConflictError there)', async () => {
    const deps = await runningRun();
    await recordRunStatus({ action: 'fail', runId: RUN_ID, stage: 'discover' }, deps);

    await expect(skipRun(RUN_ID, { stage: 'discover', reason: REASON }, deps)).rejects.toBeInstanceOf(
      ConflictError
    );
    expect((await deps.runs.get(RUN_ID))?.status).toBe('failed');
    expect((await deps.events.list(RUN_ID)).map((e) => e.type)).toEqual(['run.failed']);
  });
});
