import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { readRunInput } from '../../containers/orchestrator/cli/read-run-input';
import { describeOutcome, followRun } from '../../scripts/lib/run-follow';
import { skipRun } from '../../stages/shared/run-lifecycle';
import { AUTO_THRESHOLD_SECONDS, chooseMode, estimateRunSeconds } from '../../scripts/lib/run-mode';
import type { RunStore } from '../../scripts/lib/run-store';
import { startRunMain, type StartRunIo } from '../../scripts/lib/start-run-command';
import { executionArnFor } from '../../scripts/lib/start-execution';
import { makeFakeDeps } from '../fakes/fake-deps';
import { podcastConfig } from '../fixtures/podcast-config';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:PodcastPipeline';
const sfn = mockClient(SFNClient);

afterEach(() => sfn.reset());

function harness(overrides: Partial<StartRunIo> = {}) {
  const written: string[] = [];
  const errors: string[] = [];
  const deps = makeFakeDeps();
  const spawned: { args: string[]; env: Record<string, string> }[] = [];
  const io: StartRunIo = {
    stdout: {
      write: (text: string) => written.push(text) > 0,
      isTTY: false,
    } as unknown as NodeJS.WriteStream,
    err: (line) => errors.push(line),
    cwd: process.cwd(),
    env: { STATE_MACHINE_ARN: STATE_MACHINE },
    createSfnClient: (region) =>
      new SFNClient({ region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    openStore: async () =>
      ({ persistence: deps, deps, where: 'memory', close: async () => undefined }) satisfies RunStore,
    lookupPodcast: async (id) => deps.podcasts.get(id),
    spawnOrchestrator: async (args, env) => {
      spawned.push({ args, env });
      return 0;
    },
    today: () => '2026-11-23',
    sleep: async () => undefined,
    ...overrides,
  };
  return { io, deps, spawned, errors, stdout: () => written.join('') };
}

function startedInput(): Record<string, unknown> {
  const call = sfn.commandCalls(StartExecutionCommand)[0];
  return JSON.parse(call?.args[0].input.input ?? 'null') as Record<string, unknown>;
}

describe('run mode', () => {
  const cloud = { writer: 'bedrock', speech: 'polly' } as const;
  const twoSources = [1, 2].map((i) => ({
    id: `s${i}`,
    name: `S${i}`,
    feedUrl: `https://example.com/${i}.xml`,
    weight: 1,
  }));

  it('goes monolithic just below the threshold and distributed just above it', () => {
    // Prepare: cloud providers, 2 sources, 6 stories; 10 and 11 minutes straddle 240 s.
    const below = {
      ...podcastConfig({ targetMinutes: 10, maxStories: 6, providers: cloud }),
      sources: twoSources,
    };
    const above = {
      ...podcastConfig({ targetMinutes: 11, maxStories: 6, providers: cloud }),
      sources: twoSources,
    };

    // Act
    const low = chooseMode('auto', below);
    const high = chooseMode('auto', above);

    // Assess
    expect(AUTO_THRESHOLD_SECONDS).toBe(240);
    expect(low.estimate?.seconds).toBe(229);
    expect(low.mode).toBe('monolithic');
    expect(high.estimate?.seconds).toBe(246);
    expect(high.mode).toBe('distributed');
    expect(high.reason).toBe(
      'auto: estimated 246 s = 6 + 17.7 x 11 min + 7.25 x 6 stories + 1 x 2 sources, writer bedrock, speech polly; at or above the 240 s threshold'
    );
  });

  it('counts cloud providers as slower per minute and per story; offline runs stay monolithic', () => {
    const offline = podcastConfig({ targetMinutes: 12, maxStories: 6 });
    const remote = podcastConfig({ targetMinutes: 12, maxStories: 6, providers: cloud });
    const largestOffline = {
      ...podcastConfig({ targetMinutes: 60, maxStories: 20 }),
      sources: Array.from({ length: 20 }, (_, i) => ({
        id: `s${i}`,
        name: `S${i}`,
        feedUrl: `https://example.com/${i}.xml`,
        weight: 1,
      })),
    };

    expect(estimateRunSeconds(offline).seconds).toBe(35);
    expect(estimateRunSeconds(remote).seconds).toBe(263);
    expect(chooseMode('auto', offline).mode).toBe('monolithic');
    expect(chooseMode('auto', remote).mode).toBe('distributed');
    expect(chooseMode('auto', largestOffline)).toMatchObject({
      mode: 'monolithic',
      estimate: { seconds: 153 },
    });
  });

  it('keeps an explicit mode', () => {
    expect(chooseMode('distributed', undefined)).toEqual({
      mode: 'distributed',
      reason: '--mode distributed',
    });
  });
});

describe('start-run', () => {
  it('starts an execution named by the runId the orchestrator would give the same input', async () => {
    // Prepare
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: executionArnFor(STATE_MACHINE, 'x'), startDate: new Date() });
    const { io, stdout } = harness();
    const { runId: orchestratorRunId } = await readRunInput({
      env: { PIPELINE_INPUT: JSON.stringify({ podcastId: 'test-pod', episode: { date: '2026-11-23' } }) },
    });

    // Act
    const code = await startRunMain(
      ['--podcast-id', 'test-pod', '--date', '2026-11-23', '--mode', 'monolithic'],
      io
    );

    // Assess
    expect(code).toBe(0);
    const call = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(call.name).toBe(orchestratorRunId);
    expect(call.stateMachineArn).toBe(STATE_MACHINE);
    expect(startedInput()).toEqual({
      podcastId: 'test-pod',
      runId: orchestratorRunId,
      episode: { date: '2026-11-23' },
      flags: { useMonolithicOrchestrator: true },
    });
    expect(stdout()).toContain(`started run ${orchestratorRunId}\n`);
  });

  it('gives the same episode the same runId in either mode, and today as the default date', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn' });
    const { io } = harness();

    await startRunMain(['--podcast-id', 'test-pod', '--mode', 'monolithic'], io);
    await startRunMain(['--podcast-id', 'test-pod', '--date', '2026-11-23', '--mode', 'distributed'], io);

    const [first, second] = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(first?.name).toBe(second?.name);
    expect(JSON.parse(second?.input ?? '{}').flags).toEqual({ useMonolithicOrchestrator: false });
  });

  it('reports "already started" for the same input, with the existing execution', async () => {
    const { io, stdout } = harness();
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    const expectedArn = `arn:aws:states:eu-west-1:123456789012:execution:PodcastPipeline:`;
    sfn.on(DescribeExecutionCommand).callsFake((input: { executionArn: string }) => ({
      executionArn: input.executionArn,
      status: 'SUCCEEDED',
      input: sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input,
    }));

    const code = await startRunMain(
      ['--podcast-id', 'test-pod', '--date', '2026-11-23', '--mode', 'monolithic'],
      io
    );

    expect(code).toBe(0);
    const runId = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.name;
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]!.args[0].input).toEqual({
      executionArn: `${expectedArn}${runId}`,
    });
    expect(stdout()).toBe(
      `run ${runId} already started: it already succeeded\nexecution ${expectedArn}${runId}\n`
    );
  });

  it('refuses a runId already used with a different input', async () => {
    const { io, errors } = harness();
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'RUNNING', input: JSON.stringify({ podcastId: 'test-pod', runId: 'fixed-id' }) });

    const code = await startRunMain(
      ['--podcast-id', 'test-pod', '--run-id', 'fixed-id', '--mode', 'distributed'],
      io
    );

    expect(code).toBe(2);
    expect(errors[errors.length - 1]).toMatch(
      /^error: runId "fixed-id" was already started with a different input \(execution arn:aws:states:eu-west-1:123456789012:execution:PodcastPipeline:fixed-id\)/
    );
  });

  it('picks the mode from the stored podcast with --mode auto, and needs one', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn' });
    const missing = harness();
    const stored = harness();
    await stored.deps.podcasts.put(
      podcastConfig({ targetMinutes: 20, maxStories: 10, providers: { writer: 'bedrock', speech: 'polly' } })
    );

    const refused = await startRunMain(['--podcast-id', 'test-pod'], missing.io);
    const started = await startRunMain(['--podcast-id', 'test-pod'], stored.io);

    expect(refused).toBe(2);
    expect(missing.errors[missing.errors.length - 1]).toMatch(
      /^error: --mode auto needs podcast "test-pod"'s config to estimate the run/
    );
    expect(started).toBe(0);
    expect(startedInput().flags).toEqual({ useMonolithicOrchestrator: false });
    expect(stored.errors[0]).toMatch(
      /^run test-pod-[0-9a-f]{12}: distributed \(auto: estimated 434 s = 6 \+ 17.7 x 20 min \+ 7.25 x 10 stories \+ 1 x 1 sources, writer bedrock, speech polly; at or above the 240 s threshold\)$/
    );
  });

  it('refuses a --mode that contradicts the input file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'start-run-'));
    await writeFile(
      path.join(dir, 'run.json'),
      JSON.stringify({ podcastId: 'test-pod', flags: { useMonolithicOrchestrator: true } })
    );
    const { io, errors } = harness({ cwd: dir });

    const code = await startRunMain(['run.json', '--mode', 'distributed'], io);

    expect(code).toBe(2);
    expect(errors).toEqual([
      "error: --mode distributed contradicts the input's flags.useMonolithicOrchestrator (monolithic)",
    ]);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('runs --local through the orchestrator CLI with the podcast file and the chosen mode', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'start-run-'));
    await writeFile(path.join(dir, 'podcast.json'), JSON.stringify(podcastConfig()));
    const { io, spawned } = harness({ cwd: dir });

    const code = await startRunMain(['--podcast', 'podcast.json', '--date', '2026-11-24', '--local'], io);

    expect(code).toBe(0);
    expect(spawned).toHaveLength(1);
    expect(spawned[0]!.args).toEqual(['--mode', 'monolithic', '--podcast', 'podcast.json']);
    const input = JSON.parse(spawned[0]!.env.PIPELINE_INPUT ?? '{}') as Record<string, unknown>;
    expect(input).toEqual({
      podcastId: 'test-pod',
      runId: expect.stringMatching(/^test-pod-[0-9a-f]{12}$/),
      episode: { date: '2026-11-24' },
      flags: { useMonolithicOrchestrator: true },
    });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe('start-run --wait', () => {
  it('follows the events until the run fails, then names the stage and the reason', async () => {
    // Prepare: the run appears, progresses, then fails at tts, one poll at a time.
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    let runId = '';
    const steps: ((h: ReturnType<typeof harness>) => Promise<void>)[] = [
      async ({ deps }) => {
        await deps.runs.claim(
          { runId, podcastId: 'test-pod', mode: 'distributed', inputHash: 'h', input: {} },
          '2026-11-23T12:00:00.000Z'
        );
        await deps.events.append({
          runId,
          eventKey: 'prepare#001#stage.succeeded',
          type: 'stage.succeeded',
          at: '2026-11-23T12:00:01.000Z',
          stage: 'prepare',
          unit: 'prepare',
          attempt: 1,
          durationMs: 900,
          progressPercent: 1,
        });
      },
      async ({ deps }) => {
        await deps.events.append({
          runId,
          eventKey: 'tts/1#001#stage.failed',
          type: 'stage.failed',
          at: '2026-11-23T12:01:00.000Z',
          stage: 'tts',
          unit: 'tts/1',
          attempt: 1,
          error: { stage: 'tts', name: 'FatalStageError', message: 'voice "xx" is not installed' },
        });
        await deps.runs.markFailed(
          runId,
          { stage: 'tts', name: 'FatalStageError', message: 'voice "xx" is not installed' },
          '2026-11-23T12:01:00.000Z'
        );
      },
    ];
    const h: ReturnType<typeof harness> = harness({ sleep: async () => steps.shift()?.(h) });
    sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => {
      runId = input.name;
      return { executionArn: executionArnFor(STATE_MACHINE, input.name) };
    });

    // Act
    const code = await startRunMain(
      ['--podcast-id', 'test-pod', '--date', '2026-11-23', '--mode', 'distributed', '--wait'],
      h.io
    );

    // Assess
    expect(code).toBe(1);
    const lines = h.stdout().trim().split('\n');
    expect(lines).toContain('[  1%] prepare done in 0.9 s');
    expect(lines).toContain('[  1%] tts/1 failed: voice "xx" is not installed');
    expect(lines[lines.length - 1]).toBe(
      `run ${runId} failed at stage tts: FatalStageError: voice "xx" is not installed`
    );
  });

  it('ends 0 with the skip line when the run found nothing new to publish', async () => {
    // Prepare: the run is claimed, then discover finds every story covered (run-status `skip`).
    sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' });
    let runId = '';
    const reason = 'no new stories: all 4 candidates were covered in episodes 2026-11-16, 2026-11-23';
    const steps: ((h: ReturnType<typeof harness>) => Promise<void>)[] = [
      async ({ deps }) => {
        await deps.runs.claim(
          { runId, podcastId: 'test-pod', mode: 'distributed', inputHash: 'h', input: {} },
          '2026-11-30T12:00:00.000Z'
        );
        await skipRun(runId, { stage: 'discover', reason }, deps);
      },
    ];
    const h: ReturnType<typeof harness> = harness({ sleep: async () => steps.shift()?.(h) });
    sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => {
      runId = input.name;
      return { executionArn: executionArnFor(STATE_MACHINE, input.name) };
    });

    // Act
    const code = await startRunMain(
      ['--podcast-id', 'test-pod', '--date', '2026-11-30', '--mode', 'distributed', '--wait'],
      h.io
    );

    // Assess
    expect(code).toBe(0);
    const lines = h.stdout().trim().split('\n');
    expect(lines[lines.length - 1]).toBe(
      `run ${runId} skipped at stage discover: ${reason} (nothing published)`
    );
  });

  it('stops waiting when the execution ended without the run record saying so', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArnFor(STATE_MACHINE, 'r') });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'ABORTED' });
    const { io, stdout } = harness();

    const code = await startRunMain(
      ['--podcast-id', 'test-pod', '--date', '2026-11-23', '--mode', 'distributed', '--wait'],
      io
    );

    expect(code).toBe(1);
    expect(stdout()).toMatch(
      /the execution ended ABORTED but the run record was never written \(see the execution's history\)\n$/
    );
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(2);
  });

  it('stops waiting after the timeout, polling at the interval, and says the run goes on', async () => {
    const deps = makeFakeDeps();
    await deps.runs.claim(
      { runId: 'slow', podcastId: 'test-pod', mode: 'monolithic', inputHash: 'h', input: {} },
      '2026-11-23T12:00:00.000Z'
    );
    let clock = 0;
    const sleeps: number[] = [];

    const result = await followRun(deps, 'slow', {
      onEvent: () => undefined,
      pollMs: 2000,
      timeoutMs: 5000,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });

    expect(result.outcome).toBe('timed-out');
    expect(sleeps).toEqual([2000, 2000]);
    expect(describeOutcome('slow', result)).toBe('run slow is still running (stopped waiting; it goes on)');
  });
});
