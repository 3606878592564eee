import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { runStageTask, type StageTaskOptions } from '../../containers/stage-task/run-stage-task';
import type { RunnableStage } from '../../stages/shared/stage';
import { artifactKeys, putJson } from '../../stages/shared/artifact-keys';
import { FatalStageError, RetryableStageError } from '../../stages/shared/errors';
import type { StageInput } from '../../stages/shared/stage';
import { runStageUnit } from '../../stages/shared/stage-runner';
import { STOP_GRACE_MS } from '../../stages/shared/unit-cancellation';
import { type FakeDeps, makeFakeDeps } from '../fakes/fake-deps';
import { stubRegistry } from '../helpers/stub-registry';

const sfn = mockClient(SFNClient);
const TOKEN = 'token-123';

/** first -> (left, fan[3]) -> extra(optional) -> publish, with first's checkpoint and the deps' written. */
async function seededRun(
  options: { extraEnabled?: boolean } = {}
): Promise<{ deps: FakeDeps; registry: RunnableStage[] }> {
  // The stubs' 5 s timeouts would end the long fake-timer waits below: give them the plan's scale.
  const registry = stubRegistry().stages.map((s) => ({ ...s, timeoutSeconds: 900 }));
  const deps = makeFakeDeps();
  await deps.runs.claim(
    { runId: 'r1', podcastId: 'pod', mode: 'distributed', inputHash: 'h', input: null },
    '2026-11-23T12:00:00.000Z'
  );
  const plan = { enabled: { extra: options.extraEnabled ?? false }, shards: { fan: [0, 1, 2] } };
  await putJson(deps.media, artifactKeys.checkpoint('r1', 'first'), { inputHash: 'x', output: plan });
  await putJson(deps.media, artifactKeys.checkpoint('r1', 'left'), {
    inputHash: 'x',
    output: { unit: 'left' },
  });
  await putJson(deps.media, artifactKeys.checkpoint('r1', 'extra'), {
    inputHash: 'x',
    output: { unit: 'extra' },
  });
  for (const index of [2, 0, 1]) {
    await putJson(deps.media, artifactKeys.checkpoint('r1', 'fan', { index, count: 3 }), {
      inputHash: 'x',
      output: { unit: `fan/${index}` },
    });
  }
  return { deps, registry };
}

function options(
  deps: FakeDeps,
  registry: RunnableStage[],
  overrides: Omit<Partial<StageTaskOptions>, 'env'> & { env?: Record<string, string> } = {}
) {
  const lines: string[] = [];
  const built: string[] = [];
  const { env, ...rest } = overrides;
  const opts: StageTaskOptions = {
    env: { STAGE_ID: 'publish', RUN_ID: 'r1', PODCAST_ID: 'pod', ...env },
    buildDeps: (task) => {
      built.push(task.stageId);
      return deps;
    },
    createSfnClient: () => new SFNClient({ region: 'us-east-1' }),
    writeLine: (line) => {
      lines.push(line);
    },
    registry,
    logger: deps.logger,
    ...rest,
  };
  return { opts, lines, built };
}

beforeEach(() => {
  sfn.reset();
  sfn.on(SendTaskHeartbeatCommand).resolves({});
  sfn.on(SendTaskSuccessCommand).resolves({});
  sfn.on(SendTaskFailureCommand).resolves({});
});

afterEach(() => jest.useRealTimers());

describe('runStageTask without a task token (local)', () => {
  it('rebuilds the input from checkpoints, runs the stage lifecycle and prints exactly one result line', async () => {
    // Prepare
    const { deps, registry } = await seededRun();
    const seen: StageInput[] = [];
    const { opts, lines } = options(deps, registry, {
      runUnit: (def, input, d) => {
        seen.push(input);
        return runStageUnit(def, input, d);
      },
    });

    // Act
    const code = await runStageTask(opts);

    // Assess
    expect(code).toBe(0);
    expect(seen[0]?.stages).toEqual({
      first: { enabled: { extra: false }, shards: { fan: [0, 1, 2] } },
      left: { unit: 'left' },
      fan: [{ unit: 'fan/0' }, { unit: 'fan/1' }, { unit: 'fan/2' }],
      extra: { skipped: true },
    });
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0] as string) as { output: Record<string, unknown> };
    expect(printed.output).toMatchObject({ unit: 'publish', episodeId: 'e1', guid: 'g1' });
    expect(deps.media.json<{ output: unknown }>(artifactKeys.checkpoint('r1', 'publish')).output).toEqual(
      printed.output
    );
    expect((await deps.events.list('r1')).map((e) => e.type)).toEqual(['stage.started', 'stage.succeeded']);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('prints the error name and message and exits 1 when the stage fails', async () => {
    const { deps, registry } = await seededRun();
    const { opts, lines } = options(deps, registry, {
      runUnit: async () => Promise.reject(new FatalStageError('source https://x.test is gone')),
    });

    const code = await runStageTask(opts);

    expect(code).toBe(1);
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { error: 'FatalStageError', cause: 'source https://x.test is gone' },
    ]);
  });

  it('names the missing environment variable (exit 2) before building any deps', async () => {
    const { deps, registry } = await seededRun();
    const { opts, lines, built } = options(deps, registry, { env: { RUN_ID: '' } });

    const code = await runStageTask(opts);

    expect(code).toBe(2);
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { error: 'ValidationError', cause: 'RUN_ID: environment variable RUN_ID is required but not set' },
    ]);
    expect(built).toEqual([]);
  });

  it('fails with the missing checkpoint named when a dependency has not finished', async () => {
    const { deps, registry } = await seededRun();
    deps.media.objects.delete(artifactKeys.checkpoint('r1', 'fan', { index: 1, count: 3 }));
    const { opts, lines } = options(deps, registry);

    const code = await runStageTask(opts);

    expect(code).toBe(1);
    expect(JSON.parse(lines[0] as string)).toEqual({
      error: 'FatalStageError',
      cause:
        'checkpoint s3://media-bucket/runs/r1/fan/shards/1-of-3.json (stage fan shard 1) is missing: it must finish before publish runs',
    });
  });
});

describe('runStageTask with a task token (Step Functions)', () => {
  it('sends the manifest with SendTaskSuccess and exits 0', async () => {
    const { deps, registry } = await seededRun({ extraEnabled: true });
    const { opts, lines } = options(deps, registry, {
      env: { TASK_TOKEN: TOKEN },
      runUnit: async (_def, input) => ({ got: Object.keys(input.stages).sort() }),
    });

    const code = await runStageTask(opts);

    expect(code).toBe(0);
    expect(lines).toEqual([]);
    const success = sfn.commandCalls(SendTaskSuccessCommand);
    expect(success).toHaveLength(1);
    expect(success[0]?.args[0].input).toEqual({
      taskToken: TOKEN,
      output: JSON.stringify({ got: ['extra', 'fan', 'first', 'left'] }),
    });
    expect(sfn.commandCalls(SendTaskFailureCommand)).toHaveLength(0);
  });

  it.each([
    ['FatalStageError', new FatalStageError('review cannot be fixed'), 1],
    ['RetryableStageError', new RetryableStageError('throttled'), 1],
    ['TypeError', new TypeError('x is not a function'), 1],
  ])('reports a %s by name so the state Retry/Catch match it', async (name, error, exitCode) => {
    const { deps, registry } = await seededRun();
    const { opts } = options(deps, registry, {
      env: { TASK_TOKEN: TOKEN },
      runUnit: async () => Promise.reject(error),
    });

    const code = await runStageTask(opts);

    expect(code).toBe(exitCode);
    expect(sfn.commandCalls(SendTaskFailureCommand).map((c) => c.args[0].input)).toEqual([
      { taskToken: TOKEN, error: name, cause: error.message },
    ]);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('reports an unknown stage as a ValidationError (exit 2)', async () => {
    const { deps, registry } = await seededRun();
    const { opts, built } = options(deps, registry, { env: { TASK_TOKEN: TOKEN, STAGE_ID: 'nope' } });

    const code = await runStageTask(opts);

    expect(code).toBe(2);
    expect(sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input).toEqual({
      taskToken: TOKEN,
      error: 'ValidationError',
      cause: 'STAGE_ID: unknown stage "nope"',
    });
    expect(built).toEqual([]);
  });

  it('sends a heartbeat as it starts, then every third of a short HEARTBEAT_SECONDS while working, and none after', async () => {
    jest.useFakeTimers();
    const { deps, registry } = await seededRun();
    let finish: (value: unknown) => void = () => undefined;
    const { opts } = options(deps, registry, {
      env: { TASK_TOKEN: TOKEN, HEARTBEAT_SECONDS: '30' },
      runUnit: () => new Promise((resolve) => (finish = resolve)),
    });

    const running = runStageTask(opts);
    await jest.advanceTimersByTimeAsync(35_000);
    const duringWork = sfn.commandCalls(SendTaskHeartbeatCommand).length;
    finish({ done: true });
    const code = await running;
    await jest.advanceTimersByTimeAsync(60_000);

    expect(duringWork).toBe(4);
    expect(sfn.commandCalls(SendTaskHeartbeatCommand)).toHaveLength(4);
    expect(sfn.commandCalls(SendTaskHeartbeatCommand)[0]?.args[0].input).toEqual({ taskToken: TOKEN });
    expect(code).toBe(0);
  });

  it('stops heartbeats once Step Functions says the task timed out', async () => {
    jest.useFakeTimers();
    sfn
      .on(SendTaskHeartbeatCommand)
      .rejects(Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' }));
    const { deps, registry } = await seededRun();
    let finish: (value: unknown) => void = () => undefined;
    const { opts } = options(deps, registry, {
      env: { TASK_TOKEN: TOKEN, HEARTBEAT_SECONDS: '3' },
      runUnit: () => new Promise((resolve) => (finish = resolve)),
    });

    const running = runStageTask(opts);
    await jest.advanceTimersByTimeAsync(10_000);
    finish({});
    await running;

    expect(sfn.commandCalls(SendTaskHeartbeatCommand)).toHaveLength(1);
  });

  it('on SIGTERM stops heartbeats, reports RunInterruptedError and exits non-zero', async () => {
    jest.useFakeTimers();
    const { deps, registry } = await seededRun();
    const controller = new AbortController();
    const { opts } = options(deps, registry, {
      env: { TASK_TOKEN: TOKEN, HEARTBEAT_SECONDS: '3' },
      runUnit: () => new Promise(() => undefined),
      signal: controller.signal,
    });

    const running = runStageTask(opts);
    await jest.advanceTimersByTimeAsync(2_500);
    controller.abort();
    // The unit ignores the signal: the task waits the stop grace for it, then reports.
    await jest.advanceTimersByTimeAsync(STOP_GRACE_MS);
    const code = await running;
    const heartbeats = sfn.commandCalls(SendTaskHeartbeatCommand).length;
    await jest.advanceTimersByTimeAsync(10_000);

    expect(code).toBe(143);
    expect(heartbeats).toBe(3);
    expect(sfn.commandCalls(SendTaskHeartbeatCommand)).toHaveLength(heartbeats);
    expect(sfn.commandCalls(SendTaskFailureCommand).map((c) => c.args[0].input)).toEqual([
      {
        taskToken: TOKEN,
        error: 'RunInterruptedError',
        cause: 'the publish task was stopped (SIGTERM) before it finished',
      },
    ]);
  });

  it('exits 1 when even the failure cannot be reported', async () => {
    sfn.on(SendTaskFailureCommand).rejects(Object.assign(new Error('bad token'), { name: 'InvalidToken' }));
    const { deps, registry } = await seededRun();
    const { opts } = options(deps, registry, { env: { TASK_TOKEN: TOKEN, STAGE_ID: 'nope' } });

    const code = await runStageTask(opts);

    expect(code).toBe(1);
  });

  it('does no work and writes nothing once a heartbeat says the state no longer waits for it', async () => {
    sfn
      .on(SendTaskHeartbeatCommand)
      .rejects(Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' }));
    const { deps, registry } = await seededRun();
    let reason: unknown;
    const { opts } = options(deps, registry, {
      env: { TASK_TOKEN: TOKEN },
      runUnit: (_def, _input, _deps, unit) =>
        new Promise((_resolve, reject) => {
          const stop = () => reject((reason = unit.signal?.reason));
          if (unit.signal?.aborted) stop();
          else unit.signal?.addEventListener('abort', stop);
        }),
    });

    const code = await runStageTask(opts);

    // Refused by the first heartbeat, which goes out as the task starts: no work begins at all.
    expect(reason).toBeUndefined();
    expect(code).not.toBe(0);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('asks once more before it commits: a superseded attempt writes no checkpoint', async () => {
    const { deps, registry } = await seededRun();
    const committed: string[] = [];
    const { opts } = options(deps, registry, {
      env: { TASK_TOKEN: TOKEN },
      runUnit: async (_def, _input, _deps, unit) => {
        // The state was retried while the work ran: the next heartbeat is refused.
        sfn.on(SendTaskHeartbeatCommand).rejects(Object.assign(new Error('gone'), { name: 'TaskTimedOut' }));
        await unit.beforeCommit?.();
        committed.push('checkpoint');
        return {};
      },
    });

    const code = await runStageTask(opts);

    expect(committed).toEqual([]);
    expect(code).not.toBe(0);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });
});
