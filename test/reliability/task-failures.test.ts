/**
 * Failures that are not a stage throwing: a stage that outruns its timeout (a Lambda timeout in
 * distributed mode, the engine's plan timeout in monolithic mode) fails as States.Timeout, is
 * retried by the plan's policy and, when every attempt times out, ends the run failed naming
 * the stage; an ECS stage task that dies without reporting (what the local runner sees when the
 * task process is killed) is retried the same way, and recorded failed when it keeps dying.
 * Timeouts are shortened (1 s in the definition, 0.3 s in the plan copy) to keep this quick.
 */
import { PipelineFailedError, runPipeline } from '../../containers/orchestrator/engine/pipeline-engine';
import { RUNNABLE_STAGES as STAGES } from '../../stages/stage-modules';
import type { JsonValue, StateMachineDefinition, TaskState } from '../../stepfunctions/asl-types';
import {
  readCommittedDefinition,
  runLocalStateMachine,
} from '../../stepfunctions/local/run-local-state-machine';
import { runStageTaskInProcess, StageTaskError } from '../../stepfunctions/local/stage-task-process';
import { stateNames } from '../../stepfunctions/state-names';
import {
  DATE,
  exactlyOnceProblems,
  fakeDeps,
  faultScenario,
  ofType,
  pipelineInput,
  RUN_ID,
} from '../helpers/fault-injection-harness';

const scenario = faultScenario();

const OUTLINE_ATTEMPTS = STAGES.find((s) => s.id === 'outline')?.retry.maxAttempts ?? 0;
const SCRAPE_ATTEMPTS = STAGES.find((s) => s.id === 'scrape')?.retry.maxAttempts ?? 0;

/** The committed definition with one state's TimeoutSeconds cut to 1 s. */
function withStateTimeout(stateName: string): StateMachineDefinition {
  const definition = readCommittedDefinition();
  const state = definition.States[stateName] as TaskState | undefined;
  if (state?.Type !== 'Task') throw new Error(`no Task state ${stateName}`);
  state.TimeoutSeconds = 1;
  return definition;
}

const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as JsonValue;

describe('a stage that never finishes', () => {
  it('distributed: the Lambda state times out on every attempt and the run fails at the stage with States.Timeout', async () => {
    const deps = fakeDeps();
    const faults = scenario.inject([{ stage: 'outline', kind: 'hang' }]);

    const result = await runLocalStateMachine(asJson(pipelineInput(RUN_ID, DATE, scenario.podcast())), {
      definition: withStateTimeout(stateNames.stage('outline')),
      deps,
      ecsMode: 'in-process',
      retryIntervalOverrides: 0,
    });

    expect(result.status).toBe('FAILED');
    expect(faults.injected.map((f) => f.attempt)).toEqual(
      Array.from({ length: OUTLINE_ATTEMPTS }, (_, i) => i + 1)
    );
    expect(await deps.runs.get(RUN_ID)).toMatchObject({
      status: 'failed',
      error: { stage: 'outline', name: 'States.Timeout' },
    });
    const events = await deps.events.list(RUN_ID);
    expect(ofType(events, 'run.failed')).toEqual([expect.objectContaining({ stage: 'outline' })]);
    expect(ofType(events, 'stage.retried').map((e) => e.attempt)).toEqual(
      Array.from({ length: OUTLINE_ATTEMPTS - 1 }, (_, i) => i + 2)
    );
    expect(await deps.episodes.listByPodcast(scenario.podcast().podcastId)).toEqual([]);
  }, 20_000);

  it('monolithic: the engine times the unit out with the registry timeout, retries it, then fails the run the same way', async () => {
    const deps = fakeDeps();
    const faults = scenario.inject([{ stage: 'outline', kind: 'hang' }]);
    const stages = STAGES.map((s) => (s.id === 'outline' ? { ...s, timeoutSeconds: 0.3 } : s));

    const failure = await runPipeline(
      { runId: RUN_ID, podcastId: scenario.podcast().podcastId },
      pipelineInput(RUN_ID, DATE, scenario.podcast()),
      { deps, stages, retryDelayScale: 0 }
    ).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(PipelineFailedError);
    expect((failure as PipelineFailedError).runError).toEqual({
      stage: 'outline',
      name: 'States.Timeout',
      message: 'stage outline timed out after 0.3 s',
    });
    expect(faults.injected.map((f) => f.attempt)).toEqual(
      Array.from({ length: OUTLINE_ATTEMPTS }, (_, i) => i + 1)
    );
    expect(await deps.runs.get(RUN_ID)).toMatchObject({
      status: 'failed',
      error: { stage: 'outline', name: 'States.Timeout' },
    });
    expect(ofType(await deps.events.list(RUN_ID), 'run.failed')).toHaveLength(1);
  });
});

describe('an ECS stage task that dies without reporting', () => {
  const died = () =>
    new StageTaskError(
      'States.TaskFailed',
      'the stage task printed no result line (exit SIGKILL; last log: )'
    );

  it('is retried, and the run publishes once', async () => {
    const deps = fakeDeps();
    let starts = 0;
    const scrape = async (parameters: JsonValue) => {
      starts++;
      if (starts === 1) throw died();
      return runStageTaskInProcess(parameters, deps);
    };

    const result = await runLocalStateMachine(asJson(pipelineInput(RUN_ID, DATE, scenario.podcast())), {
      deps,
      ecsMode: 'in-process',
      retryIntervalOverrides: 0,
      handlers: { [stateNames.stage('scrape')]: scrape },
    });

    expect(result.status).toBe('SUCCEEDED');
    expect(starts).toBe(2);
    expect(await exactlyOnceProblems(deps, RUN_ID, DATE)).toEqual([]);
  });

  it('that keeps dying fails the run at the stage with the task failure as the cause', async () => {
    const deps = fakeDeps();
    let starts = 0;
    const scrape = async () => {
      starts++;
      throw died();
    };

    const result = await runLocalStateMachine(asJson(pipelineInput(RUN_ID, DATE, scenario.podcast())), {
      deps,
      ecsMode: 'in-process',
      retryIntervalOverrides: 0,
      handlers: { [stateNames.stage('scrape')]: scrape },
    });

    expect(result.status).toBe('FAILED');
    expect(starts).toBe(SCRAPE_ATTEMPTS);
    expect(await deps.runs.get(RUN_ID)).toMatchObject({
      status: 'failed',
      error: { stage: 'scrape', name: 'States.TaskFailed', message: expect.stringContaining('exit SIGKILL') },
    });
    expect(ofType(await deps.events.list(RUN_ID), 'run.failed')).toEqual([
      expect.objectContaining({ stage: 'scrape' }),
    ]);
  });
});
