import { readFileSync } from 'node:fs';
import { STAGES } from '../../stages/pipeline-plan';
import { NON_RETRYABLE_ERROR_NAMES } from '../../stages/shared/errors';
import type {
  ChoiceState,
  MapState,
  ParallelState,
  State,
  StateMachineScope,
  TaskState,
} from '../../stepfunctions/asl-types';
import { buildDefinition, DEFINITION_FILE, renderDefinition } from '../../stepfunctions/generate-definition';
import { listPlaceholders } from '../../stepfunctions/placeholders';
import { validateDefinition } from '../../stepfunctions/validate-definition';
import { stubRegistry } from '../helpers/stub-registry';

const definition = buildDefinition();

/** Every state by name, nested ones included. */
function allStates(scope: StateMachineScope): Record<string, State> {
  const found: Record<string, State> = {};
  for (const [name, state] of Object.entries(scope.States)) {
    found[name] = state;
    if (state.Type === 'Parallel')
      for (const branch of state.Branches) Object.assign(found, allStates(branch));
    if (state.Type === 'Map') Object.assign(found, allStates(state.ItemProcessor));
  }
  return found;
}
const states = allStates(definition);
const task = (name: string) => states[name] as TaskState;

/** The happy path: Default of every Choice, Next of every state, branches in order. */
function happyPath(scope: StateMachineScope, start = scope.StartAt): string[] {
  const path: string[] = [];
  let name: string | undefined = start;
  while (name) {
    const state: State | undefined = scope.States[name];
    if (!state) throw new Error(`no state ${name}`);
    path.push(name);
    if (state.Type === 'Parallel') path.push(...state.Branches.flatMap((b) => happyPath(b)));
    if (state.Type === 'Choice') name = state.Default;
    else if (state.Type === 'Fail' || state.Type === 'Succeed') name = undefined;
    else name = state.Next;
  }
  return path;
}

describe('buildDefinition (registry)', () => {
  it('runs the stages in dependency order after the mode choice, then records success', () => {
    // Act
    const path = happyPath(definition);

    // Assess
    expect(path).toEqual([
      'CheckOrchestrationMode',
      'Prepare',
      'Discover',
      'CheckDiscoverSkipsRun',
      'Scrape',
      'Summarize',
      'Outline',
      'Script',
      'CheckReviewEnabled',
      'Review',
      'CheckReviewApproval',
      'TtsAndArtworkInParallel',
      'Tts',
      'Mix',
      'CheckNotesEnabled',
      'Notes',
      'CheckArtworkEnabled',
      'Artwork',
      'Publish',
      'Feed',
      'RecordSuccess',
    ]);
  });

  it('sends flags.useMonolithicOrchestrator = true to the orchestrator task, anything else to the first stage', () => {
    const choice = definition.States.CheckOrchestrationMode as ChoiceState;

    expect(choice.Default).toBe('Prepare');
    expect(choice.Choices).toEqual([
      {
        And: [
          { Variable: '$.flags.useMonolithicOrchestrator', IsPresent: true },
          { Variable: '$.flags.useMonolithicOrchestrator', BooleanEquals: true },
        ],
        Next: 'RunMonolithicOrchestrator',
      },
    ]);
    const mono = task('RunMonolithicOrchestrator');
    expect(mono.Resource).toBe('arn:aws:states:::ecs:runTask.sync');
    expect(mono.Parameters).toMatchObject({
      Cluster: '${EcsClusterArn}',
      TaskDefinition: '${OrchestratorTaskDefinitionArn}',
      LaunchType: 'FARGATE',
    });
    // The input goes by reference (the task reads it with DescribeExecution), never inline.
    expect(JSON.stringify(mono.Parameters)).toContain(
      '{"Name":"PIPELINE_EXECUTION_ARN","Value.$":"$$.Execution.Id"}'
    );
    expect(JSON.stringify(mono.Parameters)).not.toContain('JsonToString');
    // A passing lack of Fargate capacity or RunTask throttling is retried with backoff; a task that ran and failed is not.
    expect(mono.Retry).toEqual([
      expect.objectContaining({
        ErrorEquals: ['ECS.AmazonECSException', 'ECS.ThrottlingException', 'ECS.InvalidParameterException'],
        BackoffRate: 2,
        JitterStrategy: 'FULL',
      }),
    ]);
    expect(mono.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'RecordOrchestratorFailure' },
    ]);
    // it may take as long as every stage using all its attempts
    expect(mono.TimeoutSeconds).toBeGreaterThan(
      STAGES.reduce((sum, s) => sum + s.timeoutSeconds * s.retry.maxAttempts, 0)
    );
    expect(task('RecordOrchestratorFailure').Parameters).toMatchObject({
      action: 'fail',
      stage: 'orchestrator',
    });
  });

  it.each(STAGES.map((s) => [s.id, s] as const))(
    'gives %s the registry retry policy (non-retryable names first)',
    (id, stage) => {
      const state = stage.fanOut ? task(`${pascal(id)}Shard`) : task(pascal(id));

      expect(state.Retry).toEqual([
        { ErrorEquals: [...NON_RETRYABLE_ERROR_NAMES], MaxAttempts: 0 },
        {
          ErrorEquals: ['States.ALL'],
          IntervalSeconds: stage.retry.intervalSeconds,
          BackoffRate: stage.retry.backoffRate,
          MaxAttempts: stage.retry.maxAttempts - 1,
          MaxDelaySeconds: stage.retry.maxDelaySeconds,
          JitterStrategy: stage.retry.jitter,
        },
      ]);
      expect(state.TimeoutSeconds).toBe(stage.timeoutSeconds);
    }
  );

  it.each(STAGES.map((s) => [s.id] as const))(
    'catches every failure of %s into its run-status task, which ends in a Fail state',
    (id) => {
      const stageState = states[pascal(id)] as TaskState | MapState;
      const record = task(`Record${pascal(id)}Failure`);

      expect(stageState.Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: `Record${pascal(id)}Failure` },
      ]);
      expect(record.Resource).toBe('${RunStatusFunctionArn}');
      expect(record.Parameters).toEqual({
        action: 'fail',
        'runId.$': '$.runId',
        stage: id,
        'failure.$': '$.failure',
      });
      expect(record.ResultSelector).toEqual({ 'Cause.$': '$.cause' });
      expect(states[record.Next as string]).toEqual({
        Type: 'Fail',
        Error: 'PipelineFailed',
        CausePath: '$.recorded.Cause',
      });
    }
  );

  it('passes the run input and the mode to the first stage and the finished manifests to the others', () => {
    expect(task('Prepare').Parameters).toEqual({
      'runId.$': '$.runId',
      'podcastId.$': '$.podcastId',
      'input.$': '$',
      stages: {},
      mode: 'distributed',
    });
    expect(task('Outline')).toMatchObject({
      Resource: '${OutlineFunctionArn}',
      Parameters: { 'runId.$': '$.runId', 'podcastId.$': '$.podcastId', 'stages.$': '$.stages' },
      ResultPath: '$.stages.outline',
    });
  });

  it('maps fan-out stages over the shards prepare fixed, with the registry concurrency', () => {
    for (const stage of STAGES.filter((s) => s.fanOut)) {
      const map = states[pascal(stage.id)] as MapState;
      expect(map).toMatchObject({
        Type: 'Map',
        ItemsPath: `$.stages.prepare.shards.${stage.id}`,
        MaxConcurrency: stage.fanOut?.maxConcurrency,
        ResultPath: `$.stages.${stage.id}`,
        ItemSelector: {
          'stages.$': '$.stages',
          shard: {
            'index.$': '$$.Map.Item.Value',
            'count.$': `States.ArrayLength($.stages.prepare.shards.${stage.id})`,
          },
        },
      });
      expect(map.ItemProcessor.StartAt).toBe(`${pascal(stage.id)}Shard`);
      expect(task(`${pascal(stage.id)}Shard`)).toMatchObject({
        Resource: `\${${pascal(stage.id)}FunctionArn}`,
        End: true,
      });
    }
  });

  it('runs ecs stages as Fargate tasks that report with a task token and a heartbeat', () => {
    for (const stage of STAGES.filter((s) => s.runtime === 'ecs')) {
      const state = task(pascal(stage.id));
      expect(state.Resource).toBe('arn:aws:states:::ecs:runTask.waitForTaskToken');
      expect(state.HeartbeatSeconds).toBeLessThan(stage.timeoutSeconds);
      expect(state.Parameters).toMatchObject({
        TaskDefinition: `\${${pascal(stage.id)}TaskDefinitionArn}`,
        LaunchType: 'FARGATE',
      });
      const environment = JSON.stringify(state.Parameters);
      expect(environment).toContain(`{"Name":"STAGE_ID","Value":"${stage.id}"}`);
      expect(environment).toContain('{"Name":"TASK_TOKEN","Value.$":"$$.Task.Token"}');
      expect(environment).toContain(`{"Name":"HEARTBEAT_SECONDS","Value":"${state.HeartbeatSeconds}"}`);
    }
  });

  it('puts a Choice and a Skip before each optional stage', () => {
    for (const stage of STAGES.filter((s) => s.optional)) {
      const check = states[`Check${pascal(stage.id)}Enabled`] as ChoiceState;
      expect(check.Choices).toEqual([
        {
          Variable: `$.stages.prepare.enabled.${stage.id}`,
          BooleanEquals: false,
          Next: `Skip${pascal(stage.id)}`,
        },
      ]);
      expect(check.Default).toBe(pascal(stage.id));
      expect(states[`Skip${pascal(stage.id)}`]).toMatchObject({
        Type: 'Pass',
        Result: { skipped: true },
        ResultPath: `$.stages.${stage.id}`,
      });
    }
  });

  it('runs tts -> mix -> notes beside artwork and rebuilds the stages object after the join', () => {
    const parallel = definition.States.TtsAndArtworkInParallel as ParallelState;

    expect(parallel.Branches.map((b) => Object.keys(b.States))).toEqual([
      [
        'Tts',
        'RecordTtsFailure',
        'Mix',
        'RecordMixFailure',
        'CheckNotesEnabled',
        'SkipNotes',
        'Notes',
        'RecordNotesFailure',
        'TtsBranchFailed',
      ],
      ['CheckArtworkEnabled', 'SkipArtwork', 'Artwork', 'RecordArtworkFailure', 'ArtworkBranchFailed'],
    ]);
    expect(parallel.ResultSelector).toEqual({
      'prepare.$': '$[0].stages.prepare',
      'discover.$': '$[0].stages.discover',
      'scrape.$': '$[0].stages.scrape',
      'summarize.$': '$[0].stages.summarize',
      'outline.$': '$[0].stages.outline',
      'script.$': '$[0].stages.script',
      'review.$': '$[0].stages.review',
      'tts.$': '$[0].stages.tts',
      'mix.$': '$[0].stages.mix',
      'notes.$': '$[0].stages.notes',
      'artwork.$': '$[1].stages.artwork',
    });
    expect(parallel).toMatchObject({ ResultPath: '$.stages', Next: 'Publish' });
    expect(parallel.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.recorded', Next: 'PipelineFailed' },
    ]);
  });

  it('catches every Task, the failure-recording ones included, so an execution always ends', () => {
    const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');
    const recorders = tasks.filter(([name]) => /^Record.+Failure$/.test(name));
    expect(recorders.length).toBeGreaterThanOrEqual(STAGES.length);
    // A shard's failure fails its Map, which has the Catch.
    for (const [name, state] of tasks.filter(([n]) => !n.endsWith('Shard'))) {
      const catchers = (state as TaskState).Catch ?? [];
      expect([name, catchers.some((c) => c.ErrorEquals.includes('States.ALL'))]).toEqual([name, true]);
    }
    for (const [name, state] of recorders) {
      const target = (state as TaskState).Catch?.[0]?.Next as string;
      expect([name, states[target]?.Type]).toEqual([name, 'Fail']);
    }
  });

  it('after discover (plan canSkipRun), records the run skipped when its manifest asks, then ends in a Succeed state', () => {
    expect(STAGES.filter((s) => s.canSkipRun).map((s) => s.id)).toEqual(['discover']);
    expect(task('Discover').Next).toBe('CheckDiscoverSkipsRun');
    expect(states.CheckDiscoverSkipsRun).toEqual({
      Type: 'Choice',
      Comment: expect.stringContaining('skipRun'),
      Choices: [{ Variable: '$.stages.discover.skipRun', IsPresent: true, Next: 'RecordDiscoverSkip' }],
      Default: 'Scrape',
    });
    expect(task('RecordDiscoverSkip')).toMatchObject({
      Resource: '${RunStatusFunctionArn}',
      Parameters: {
        action: 'skip',
        'runId.$': '$.runId',
        stage: 'discover',
        'skip.$': '$.stages.discover.skipRun',
      },
      ResultPath: '$.runStatus',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.recorded', Next: 'PipelineFailed' }],
      Next: 'PipelineSkipped',
    });
    expect(states.PipelineSkipped).toMatchObject({ Type: 'Succeed' });
  });

  it('records success with the publish manifest', () => {
    expect(task('RecordSuccess')).toMatchObject({
      Parameters: { action: 'succeed', 'runId.$': '$.runId', 'publish.$': '$.stages.publish' },
      End: true,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.recorded', Next: 'PipelineFailed' }],
    });
  });
});

describe('the committed definition', () => {
  it('is what the generator builds from the registry', () => {
    const committed = readFileSync(DEFINITION_FILE, 'utf8');

    expect({ upToDate: committed === renderDefinition(), hint: 'run `npm run asl`' }).toEqual({
      upToDate: true,
      hint: 'run `npm run asl`',
    });
  });

  it('is valid ASL once its placeholders hold ARNs', () => {
    const committed = JSON.parse(readFileSync(DEFINITION_FILE, 'utf8'));

    const result = validateDefinition(committed);

    expect(result).toEqual({ isValid: true, errors: '' });
  });

  it('uses exactly the placeholders the stack substitutes', () => {
    expect(listPlaceholders(definition)).toEqual(
      [
        'AssignPublicIp',
        'EcsClusterArn',
        'OrchestratorTaskDefinitionArn',
        'RunStatusFunctionArn',
        'SecurityGroupId',
        'SubnetId1',
        'SubnetId2',
        ...STAGES.filter((s) => s.runtime === 'lambda').map((s) => `${pascal(s.id)}FunctionArn`),
        ...STAGES.filter((s) => s.runtime === 'ecs').map((s) => `${pascal(s.id)}TaskDefinitionArn`),
      ].sort()
    );
  });
});

describe('buildDefinition (another registry)', () => {
  it('derives the parallel branches, the Map and the optional stage from any series-parallel registry', () => {
    const { stages } = stubRegistry();

    const built = buildDefinition(stages);

    expect(happyPath(built)).toEqual([
      'CheckOrchestrationMode',
      'First',
      'LeftAndFanInParallel',
      'Left',
      'CheckExtraEnabled',
      'Extra',
      'Fan',
      'Publish',
      'RecordSuccess',
    ]);
    expect((allStates(built).Fan as MapState).MaxConcurrency).toBe(2);
    expect(validateDefinition(built).isValid).toBe(true);
  });

  it('emits no skip states for a registry where no stage can skip the run', () => {
    const built = buildDefinition(stubRegistry().stages);

    expect(Object.keys(allStates(built)).filter((n) => /Skip(sRun)?$|Skipped$/.test(n))).toEqual([]);
  });

  it('puts the skip check after a stage that can skip the run, and refuses one inside a parallel branch', () => {
    const { stages } = stubRegistry();
    const firstSkips = stages.map((s) => (s.id === 'first' ? { ...s, canSkipRun: true } : s));
    const leftSkips = stages.map((s) => (s.id === 'left' ? { ...s, canSkipRun: true } : s));

    const built = buildDefinition(firstSkips);

    expect(happyPath(built).slice(0, 3)).toEqual(['CheckOrchestrationMode', 'First', 'CheckFirstSkipsRun']);
    expect(validateDefinition(built).isValid).toBe(true);
    expect(() => buildDefinition(leftSkips)).toThrow(
      'stage "left": a stage that can skip the run must run at the machine\'s top level'
    );
  });

  it('refuses a registry without the publish stage RecordSuccess reads', () => {
    const stages = stubRegistry().stages.map((s) => (s.id === 'publish' ? { ...s, id: 'release' } : s));

    expect(() => buildDefinition(stages)).toThrow('the registry has no "publish" stage');
  });
});

function pascal(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}
