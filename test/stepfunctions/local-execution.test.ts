/**
 * Executes the committed definition with aws-local-stepfunctions: prepare and run-status are the
 * real handler modules on in-memory fakes, the other stages are stub cores behind the real
 * lifecycle (scripted-pipeline.ts), ECS stages go through the real stage-task code in-process.
 */
import type { JsonValue } from '../../stepfunctions/asl-types';
import { type LocalRunResult, runLocalStateMachine } from '../../stepfunctions/local/run-local-state-machine';
import { type FakeDeps, makeFakeDeps } from '../fakes/fake-deps';
import { podcastConfig } from '../fixtures/podcast-config';
import { type PipelineScript, scriptedPipeline } from './scripted-pipeline';

const RUN_ID = 'run-1';

function runInput(extra: Record<string, unknown> = {}): JsonValue {
  return JSON.parse(
    JSON.stringify({
      runId: RUN_ID,
      podcastId: 'test-pod',
      episode: { date: '2026-11-23' },
      podcast: podcastConfig(),
      ...extra,
    })
  );
}

async function execute(
  input: JsonValue,
  script: PipelineScript = {},
  monolithic?: (params: JsonValue) => Promise<JsonValue>
) {
  const deps = makeFakeDeps();
  const pipeline = scriptedPipeline(deps, script);
  const result = await runLocalStateMachine(input, {
    deps,
    handlers: pipeline.handlers,
    retryIntervalOverrides: 0,
    ...(monolithic ? { monolithic } : {}),
  });
  return { deps, pipeline, result };
}

const entered = (result: LocalRunResult) =>
  result.events.flatMap((e) => (e.type === 'StateEntered' ? [e.state.name] : []));
const retried = (result: LocalRunResult) =>
  result.events.flatMap((e) => (e.type === 'StateRetried' ? [e.state.name] : []));
const eventTypes = async (deps: FakeDeps) =>
  (await deps.events.list(RUN_ID)).map((e) => `${e.unit ?? 'run'}:${e.type}`);

describe('the state machine, executed locally', () => {
  it('runs every stage, fans out over the shards, joins the branches and records success in 29 transitions', async () => {
    // Act
    const { deps, pipeline, result } = await execute(
      runInput({ flags: { useMonolithicOrchestrator: false } })
    );

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    const run = await deps.runs.get(RUN_ID);
    expect(run).toMatchObject({ status: 'succeeded', episodeId: '2026-11-23', progressPercent: 100 });
    expect([...pipeline.calls].sort()).toEqual(
      [
        'artwork',
        'discover',
        'feed',
        'mix',
        'notes',
        'outline',
        'publish',
        'review',
        'scrape',
        'script',
        'summarize/0',
        'summarize/1',
        'summarize/2',
        'summarize/3',
        'tts/0',
        'tts/1',
        'tts/2',
        'tts/3',
      ].sort()
    );
    expect(pipeline.inputs['summarize/2']?.shard).toEqual({ index: 2, count: 4 });
    // mix runs as an ECS task: its input was rebuilt from checkpoints, the tts shards merged in turn order
    expect(pipeline.inputs.mix?.stages.tts).toEqual({
      clips: [0, 1, 2, 3].map((turnIndex) => expect.objectContaining({ turnIndex })),
      scriptKey: 'runs/run-1/script/script.json',
    });
    expect(Object.keys(pipeline.inputs.publish?.stages ?? {}).sort()).toEqual(
      [
        'artwork',
        'discover',
        'mix',
        'notes',
        'outline',
        'prepare',
        'review',
        'scrape',
        'script',
        'summarize',
        'tts',
      ].sort()
    );
    const output = result.output as { stages: Record<string, unknown>; runStatus: unknown };
    expect(output.stages.summarize).toHaveLength(4);
    expect(output.runStatus).toEqual({ runId: RUN_ID, status: 'succeeded' });
    expect(result.events.filter((e) => e.type === 'MapIterationStarted')).toHaveLength(8);
    expect(result.events.filter((e) => e.type === 'ParallelBranchStarted')).toHaveLength(2);
    expect(result.transitions).toBe(29);
    expect(result.transitions).toBeLessThanOrEqual(40);
  });

  it('hands the whole run to the orchestrator task when flags.useMonolithicOrchestrator is true', async () => {
    const calls: JsonValue[] = [];
    const input = runInput({ flags: { useMonolithicOrchestrator: true } });

    const { pipeline, result } = await execute(input, {}, async (params) => {
      calls.push(params);
      return { exitCode: 0 };
    });

    expect(result.status).toBe('SUCCEEDED');
    expect(entered(result)).toEqual(['CheckOrchestrationMode', 'RunMonolithicOrchestrator']);
    const environment = (
      calls[0] as {
        Overrides: { ContainerOverrides: { Name: string; Environment: { Name: string; Value: string }[] }[] };
      }
    ).Overrides.ContainerOverrides[0];
    expect(environment?.Name).toBe('orchestrator');
    expect(Object.fromEntries((environment?.Environment ?? []).map((e) => [e.Name, e.Value]))).toEqual({
      RUN_ID: RUN_ID,
      PODCAST_ID: 'test-pod',
      PIPELINE_EXECUTION_ARN: `arn:aws:states:us-east-1:123456789012:execution:podcast-local:${RUN_ID}`,
    });
    expect((result.output as { orchestrator: unknown }).orchestrator).toEqual({ exitCode: 0 });
    expect(pipeline.calls).toEqual([]);
  });

  it('keeps every container override under 1 KiB for a config at every schema maximum', async () => {
    const calls: JsonValue[] = [];
    const long = (n: number) => 'x'.repeat(n);
    const podcast = {
      ...podcastConfig(),
      title: long(120),
      description: long(4000),
      author: long(120),
      targetMinutes: 60,
      maxStories: 20,
      hosts: [0, 1, 2, 3].map((i) => ({
        id: `host-${i}`,
        name: `${long(59)}${i}`,
        voice: { pitch: 50, speed: 165 },
      })),
      sources: Array.from({ length: 20 }, (_, i) => ({
        id: `source-${i}`,
        name: long(80),
        feedUrl: `https://example.com/${long(400)}/${i}.xml`,
        weight: 1,
      })),
      topics: Array.from({ length: 30 }, (_, i) => `${long(38)}${i}`.slice(0, 40)),
      style: {
        tone: 'formal',
        bannedPhrases: Array.from({ length: 100 }, (_, i) => `${long(78)}${i}`.slice(0, 80)),
      },
    };
    const input = runInput({ podcast, flags: { useMonolithicOrchestrator: true } });
    expect(JSON.stringify(input).length).toBeGreaterThan(8192 * 2);

    const { result } = await execute(input, {}, async (params) => {
      calls.push(params);
      return { exitCode: 0 };
    });

    expect(result.status).toBe('SUCCEEDED');
    const overrides = (calls[0] as { Overrides: unknown }).Overrides;
    expect(JSON.stringify(overrides).length).toBeLessThan(1024);
  });

  it.each([
    ['no flags', runInput()],
    ['the flag false', runInput({ flags: { useMonolithicOrchestrator: false } })],
  ])('runs distributed with %s', async (_what, input) => {
    const monolithic = jest.fn(async () => ({}));

    const { result } = await execute(input, {}, monolithic);

    expect(result.status).toBe('SUCCEEDED');
    expect(entered(result).slice(0, 2)).toEqual(['CheckOrchestrationMode', 'Prepare']);
    expect(monolithic).not.toHaveBeenCalled();
  });

  it('records the run failed at "orchestrator" when the monolithic task dies', async () => {
    const deps = makeFakeDeps();
    const result = await runLocalStateMachine(runInput({ flags: { useMonolithicOrchestrator: true } }), {
      deps,
      monolithic: async () => {
        await deps.runs.claim(
          { runId: RUN_ID, podcastId: 'test-pod', mode: 'monolithic', inputHash: 'h', input: null },
          '2026-11-23T12:00:00.000Z'
        );
        throw Object.assign(new Error('Essential container in task exited (137)'), {
          name: 'States.TaskFailed',
        });
      },
    });

    expect(result.status).toBe('FAILED');
    expect(result.error).toEqual({
      Error: 'PipelineFailed',
      Cause: expect.stringMatching(/^orchestrator failed: /),
    });
    expect((await deps.runs.get(RUN_ID))?.error).toEqual({
      stage: 'orchestrator',
      name: 'States.TaskFailed',
      message: 'Essential container in task exited (137)',
    });
  });

  it('ends FAILED even when recording the failure fails (the Record…Failure state is caught too)', async () => {
    const deps = makeFakeDeps();
    const result = await runLocalStateMachine(runInput({ flags: { useMonolithicOrchestrator: true } }), {
      deps,
      retryIntervalOverrides: 0,
      monolithic: async () => {
        throw Object.assign(new Error('Essential container in task exited (137)'), {
          name: 'States.TaskFailed',
        });
      },
      handlers: {
        RecordOrchestratorFailure: async () => {
          throw Object.assign(new Error('the runs table is unavailable'), {
            name: 'Lambda.ServiceException',
          });
        },
      },
    });

    expect(result.status).toBe('FAILED');
    expect(result.error?.Error).toBe('PipelineFailed');
    expect(result.error?.Cause).toMatch(/the runs table is unavailable/);
  });

  it('retries a stage and a shard that fail once, with stage.retried recorded', async () => {
    const { deps, result } = await execute(runInput(), {
      failures: { outline: ['retryable'], 'tts/2': ['retryable'] },
    });

    expect(result.status).toBe('SUCCEEDED');
    expect(retried(result).sort()).toEqual(['Outline', 'TtsShard']);
    const types = await eventTypes(deps);
    expect(types).toEqual(
      expect.arrayContaining([
        'outline:stage.failed',
        'outline:stage.retried',
        'tts/2:stage.retried',
        'run:run.succeeded',
      ])
    );
    expect((await deps.runs.get(RUN_ID))?.stageAttempts).toMatchObject({ outline: 2, 'tts/2': 2, script: 1 });
  });

  it('gives up on a stage that keeps failing after the registry attempts and records it failed', async () => {
    const { deps, pipeline, result } = await execute(runInput(), { alwaysFail: { discover: 'retryable' } });

    expect(result.status).toBe('FAILED');
    expect(result.error).toEqual({
      Error: 'PipelineFailed',
      Cause: expect.stringMatching(/^discover failed: /),
    });
    expect(pipeline.calls.filter((c) => c === 'discover')).toHaveLength(4);
    expect(retried(result)).toEqual(['Discover', 'Discover', 'Discover']);
    expect(entered(result).slice(-2)).toEqual(['RecordDiscoverFailure', 'PipelineFailed']);
    expect(await deps.runs.get(RUN_ID)).toMatchObject({
      status: 'failed',
      error: { stage: 'discover', name: 'RetryableStageError', message: 'discover flaked (attempt 4)' },
    });
    expect(await eventTypes(deps)).toContain('run:run.failed');
  });

  it('does not retry a fatal error inside a parallel branch and fails the run naming the stage', async () => {
    const { deps, pipeline, result } = await execute(runInput(), { alwaysFail: { mix: 'fatal' } });

    expect(result.status).toBe('FAILED');
    expect(result.error).toEqual({ Error: 'PipelineFailed', Cause: expect.stringMatching(/^mix failed: /) });
    expect(retried(result)).not.toContain('Mix');
    expect(pipeline.calls.filter((c) => c === 'mix')).toHaveLength(1);
    expect(pipeline.calls).not.toContain('publish');
    expect(entered(result)).toContain('RecordMixFailure');
    expect((await deps.runs.get(RUN_ID))?.error).toEqual({
      stage: 'mix',
      name: 'FatalStageError',
      message: 'mix is broken',
    });
  });

  it('skips a disabled optional stage (flags.enable.artwork = false)', async () => {
    const { deps, pipeline, result } = await execute(runInput({ flags: { enable: { artwork: false } } }));

    expect(result.status).toBe('SUCCEEDED');
    expect(entered(result)).toEqual(expect.arrayContaining(['CheckArtworkEnabled', 'SkipArtwork']));
    expect(entered(result)).not.toContain('Artwork');
    expect(pipeline.calls).not.toContain('artwork');
    expect(pipeline.inputs.publish?.stages.artwork).toEqual({ skipped: true });
    expect((await deps.runs.get(RUN_ID))?.status).toBe('succeeded');
  });

  it('ends SUCCEEDED after discover when it finds nothing new: the run recorded skipped, no later stage run', async () => {
    // Prepare
    const reason = 'no new stories: all 4 candidates were covered in episode 2026-11-16';

    // Act
    const { deps, pipeline, result } = await execute(runInput(), { skipRun: { discover: reason } });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(entered(result)).toEqual([
      'CheckOrchestrationMode',
      'Prepare',
      'Discover',
      'CheckDiscoverSkipsRun',
      'RecordDiscoverSkip',
      'PipelineSkipped',
    ]);
    expect(pipeline.calls).toEqual(['discover']);
    expect(await deps.runs.get(RUN_ID)).toMatchObject({
      status: 'skipped',
      skipped: { stage: 'discover', reason },
      progressPercent: 100,
    });
    expect((await eventTypes(deps)).filter((t) => t.startsWith('run:'))).toEqual([
      'run:run.started',
      'run:run.skipped',
    ]);
    expect((result.output as { runStatus: unknown }).runStatus).toEqual({
      runId: RUN_ID,
      status: 'skipped',
      cause: reason,
    });
    expect(deps.episodes.episodes.size).toBe(0);
  });

  it('stops the execution when the caller aborts it', async () => {
    const deps = makeFakeDeps();
    const controller = new AbortController();
    const pipeline = scriptedPipeline(deps);

    const result = await runLocalStateMachine(runInput(), {
      deps,
      signal: controller.signal,
      handlers: {
        ...pipeline.handlers,
        // aborts while the stage is busy; the stage then finishes (a hung task would keep its timeout timer)
        Discover: () => {
          controller.abort();
          return new Promise((resolve) => setTimeout(() => resolve({}), 20));
        },
      },
    });

    expect(result.status).toBe('ABORTED');
    expect(entered(result)).toEqual(['CheckOrchestrationMode', 'Prepare', 'Discover']);
    expect(result.events.at(-1)?.type).toBe('ExecutionAborted');
  });

  it('fails at prepare without retrying bad input, leaving the rejected run', async () => {
    const { deps, pipeline, result } = await execute(runInput({ episode: { date: 'yesterday' } }));

    expect(result.status).toBe('FAILED');
    expect(result.error).toEqual({
      Error: 'PipelineFailed',
      Cause: expect.stringMatching(/^prepare failed: /),
    });
    expect(retried(result)).toEqual([]);
    expect(pipeline.calls).toEqual([]);
    expect(await deps.runs.get(RUN_ID)).toMatchObject({
      status: 'failed',
      error: { stage: 'prepare', name: 'ValidationError' },
    });
  });
});
