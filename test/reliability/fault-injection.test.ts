/**
 * Fault injection in both modes, for every stage of the plan (adding a stage adds cases):
 * a transient failure on the first attempt is retried and the run still publishes, exactly once;
 * a permanent failure ends the run failed with the stage and the cause, a run.failed event, no
 * downstream stage started, no episode record for the date and the feed byte-for-byte unchanged.
 *
 * Monolithic: the engine on in-memory fakes. Distributed: the committed state machine on the
 * local runner, the real Lambda handler modules on the same fakes, the ECS stage task in-process,
 * retries without waiting. The fault wraps the stage's work inside the shared lifecycle
 * (fault-injection.ts); heavy providers are quick stand-ins, fetcher and writer are real.
 */
import { STAGES } from '../../stages/pipeline-plan';
import type { FakeDeps } from '../fakes/fake-deps';
import {
  cloneFakeDeps,
  DATE,
  dependentsOf,
  exactlyOnceProblems,
  fakeDeps,
  faultScenario,
  feedXml,
  MODES,
  ofType,
  pipelineInput,
  publishedState,
  RUN_ID,
  runInMode,
  runMonolithic,
  unitsOf,
} from '../helpers/fault-injection-harness';

const scenario = faultScenario();

const EARLIER = { runId: 'tech-weekly-2026-11-16', date: '2026-11-16' };
const STAGE_IDS = STAGES.map((s) => s.id);

/** The podcast with one episode already published: every case starts from a copy of it. */
let history: FakeDeps;

beforeAll(async () => {
  history = fakeDeps();
  const earlier = await runMonolithic(
    history,
    pipelineInput(EARLIER.runId, EARLIER.date, scenario.podcast())
  );
  if (earlier.status !== 'succeeded')
    throw new Error(`the earlier episode did not publish: ${JSON.stringify(earlier)}`);
});

describe.each(MODES)('%s mode', (mode) => {
  test.each(STAGE_IDS)(
    'a transient failure in %s on the first attempt is retried and the run publishes once',
    async (stage) => {
      // Prepare
      const deps = cloneFakeDeps(history);
      const faults = scenario.inject([{ stage, kind: 'retryable' }]);

      // Act
      const outcome = await runInMode(mode, deps, pipelineInput(RUN_ID, DATE, scenario.podcast()));

      // Assess
      expect(outcome).toEqual({ status: 'succeeded' });
      const faulted = faults.injected.map((f) => f.unit).sort();
      expect(faulted.length).toBeGreaterThan(0);
      expect(faults.injected.every((f) => f.attempt === 1 && f.unit.split('/')[0] === stage)).toBe(true);
      const events = await deps.events.list(RUN_ID);
      expect(
        ofType(events, 'stage.failed')
          .map((e) => [e.unit, e.attempt, e.error?.name])
          .sort()
      ).toEqual(faulted.map((u) => [u, 1, 'RetryableStageError']));
      expect(
        ofType(events, 'stage.retried')
          .map((e) => [e.unit, e.attempt])
          .sort()
      ).toEqual(faulted.map((u) => [u, 2]));
      const run = await deps.runs.get(RUN_ID);
      expect(run).toMatchObject({
        status: 'succeeded',
        episodeId: DATE,
        progressPercent: 100,
        runAttempt: 1,
      });
      for (const unit of faulted) expect(run?.stageAttempts[unit]).toBe(2);
      expect(await exactlyOnceProblems(deps, RUN_ID, DATE)).toEqual([]);
      expect((await publishedState(deps)).episodes.map((e) => e.episodeId).sort()).toEqual([
        EARLIER.date,
        DATE,
      ]);
    }
  );

  test.each(STAGE_IDS)(
    'a permanent failure in %s fails the run naming the stage, publishes nothing and leaves the feed as it was',
    async (stage) => {
      // Prepare
      const deps = cloneFakeDeps(history);
      const feedBefore = feedXml(deps);
      const episodesBefore = (await publishedState(deps)).episodes;
      const faults = scenario.inject([{ stage, kind: 'fatal' }]);

      // Act
      const outcome = await runInMode(mode, deps, pipelineInput(RUN_ID, DATE, scenario.podcast()));

      // Assess
      expect(outcome.status).toBe('failed');
      expect(faults.injected.length).toBeGreaterThan(0);
      expect(faults.injected.every((f) => f.attempt === 1)).toBe(true); // a fatal error is never retried
      const run = await deps.runs.get(RUN_ID);
      expect(run).toMatchObject({
        status: 'failed',
        error: {
          stage,
          name: 'FatalStageError',
          message: expect.stringMatching(
            new RegExp(`^injected fatal fault in ${stage}(/\\d+)? \\(attempt 1\\)$`)
          ),
        },
      });
      const events = await deps.events.list(RUN_ID);
      expect(ofType(events, 'run.failed')).toEqual([expect.objectContaining({ stage, error: run?.error })]);
      expect(ofType(events, 'run.succeeded')).toEqual([]);
      expect(ofType(events, 'stage.retried')).toEqual([]);
      expect(
        ofType(events, 'stage.failed').every((e) => e.stage === stage && e.error?.name === 'FatalStageError')
      ).toBe(true);
      const downstream = dependentsOf(stage);
      expect(
        unitsOf(events, 'stage.started').filter((u) => downstream.includes(u.split('/')[0] as string))
      ).toEqual([]);
      // The feed stage runs after publish: when it is the one that fails, the episode record stays
      // (a resume or the next run's feed lists it); the feed itself is never half written.
      const after = await publishedState(deps);
      expect(after.episodes.filter((e) => e.episodeId === DATE)).toHaveLength(stage === 'feed' ? 1 : 0);
      expect(after.episodes.filter((e) => e.episodeId !== DATE)).toEqual(episodesBefore);
      expect(feedXml(deps)).toBe(feedBefore);
    }
  );
});
