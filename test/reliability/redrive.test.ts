/**
 * Redrive and resume, for a failure at every stage of the plan: after a run failed
 * permanently at a stage, running the same input again (distributed: a new execution of the
 * state machine on the local runner, the local stand-in for RedriveExecution; monolithic: the
 * engine again, as `--resume` does) continues from the failed stage. Finished units hit their
 * checkpoints (no stage.started for them), the failed unit runs as attempt 2, and the run
 * publishes exactly once.
 */
import { STAGES } from '../../stages/pipeline-plan';
import {
  allUnits,
  DATE,
  exactlyOnceProblems,
  fakeDeps,
  faultScenario,
  MODES,
  ofType,
  pipelineInput,
  RUN_ID,
  runInMode,
  unitsOf,
} from '../helpers/fault-injection-harness';

const scenario = faultScenario();

describe.each(MODES)('%s mode', (mode) => {
  test.each(STAGES.map((s) => s.id))(
    'after a permanent failure in %s, a rerun continues from there without redoing finished stages',
    async (stage) => {
      // Prepare: the run fails at the stage
      const deps = fakeDeps();
      const input = pipelineInput(RUN_ID, DATE, scenario.podcast());
      const faults = scenario.inject([{ stage, kind: 'fatal' }]);
      expect((await runInMode(mode, deps, input)).status).toBe('failed');
      faults.restore();
      const failedRun = await deps.runs.get(RUN_ID);
      expect(failedRun).toMatchObject({ status: 'failed', error: { stage } });
      const finished = new Set(failedRun?.doneUnits);
      const firstEvents = new Set(deps.events.events.keys());

      // Act
      const rerun = await runInMode(mode, deps, input);

      // Assess
      expect(rerun).toEqual({ status: 'succeeded' });
      const newEvents = (await deps.events.list(RUN_ID)).filter(
        (e) => !firstEvents.has(`${RUN_ID}|${e.eventKey}`)
      );
      const restarted = unitsOf(newEvents, 'stage.started');
      expect(restarted.filter((unit) => finished.has(unit))).toEqual([]);
      expect([...restarted].sort()).toEqual(
        allUnits()
          .filter((unit) => !finished.has(unit))
          .sort()
      );
      // the units that failed run again as a later attempt, announced as retried
      const failedUnits = [...new Set(faults.injected.map((f) => f.unit))].sort();
      expect(
        ofType(newEvents, 'stage.retried')
          .map((e) => e.unit)
          .sort()
      ).toEqual(failedUnits);
      expect(ofType(newEvents, 'run.started')).toEqual([
        expect.objectContaining({ attempt: 2, detail: expect.objectContaining({ resumed: true }) }),
      ]);
      expect(await deps.runs.get(RUN_ID)).toMatchObject({
        status: 'succeeded',
        runAttempt: 2,
        episodeId: DATE,
      });
      expect(await exactlyOnceProblems(deps, RUN_ID, DATE)).toEqual([]);
    }
  );
});
