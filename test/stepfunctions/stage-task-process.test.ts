import path from 'node:path';
import type { JsonValue } from '../../stepfunctions/asl-types';
import {
  containerEnvironment,
  parseResultLine,
  runStageTaskProcess,
} from '../../stepfunctions/local/stage-task-process';

const FAKE_TASK = path.join(__dirname, 'fixtures', 'fake-stage-task.ts');

/** An ECS state's Parameters after evaluation (what the local handler receives). */
function ecsParameters(stageId: string): JsonValue {
  return {
    Cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/podcast-local',
    Overrides: {
      ContainerOverrides: [
        {
          Name: 'stage-task',
          Environment: [
            { Name: 'RUN_ID', Value: 'run-7' },
            { Name: 'PODCAST_ID', Value: 'tech-weekly' },
            { Name: 'STAGE_ID', Value: stageId },
            { Name: 'TASK_TOKEN', Value: 'local-task-token' },
          ],
        },
      ],
    },
  };
}

describe('runStageTaskProcess', () => {
  it('runs the task with the container environment and the caller env, without the task token', async () => {
    // Act
    const output = await runStageTaskProcess(ecsParameters('scrape'), {
      scriptPath: FAKE_TASK,
      env: { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569' },
    });

    // Assess
    expect(output).toEqual({
      stage: 'scrape',
      runId: 'run-7',
      podcastId: 'tech-weekly',
      token: null,
      endpoint: 'http://127.0.0.1:4569',
    });
  });

  it('throws the error the task reported, under its name', async () => {
    const attempt = runStageTaskProcess(ecsParameters('broken'), { scriptPath: FAKE_TASK });

    await expect(attempt).rejects.toMatchObject({ name: 'FatalStageError', message: 'broken is broken' });
  });

  it('fails as States.TaskFailed with the exit code and last log when the task prints no result', async () => {
    const attempt = runStageTaskProcess(ecsParameters('crash'), { scriptPath: FAKE_TASK });

    await expect(attempt).rejects.toMatchObject({
      name: 'States.TaskFailed',
      message: 'the stage task printed no result line (exit 3; last log: out of memory)',
    });
  });

  it('sends SIGTERM to the task when the run is aborted', async () => {
    const controller = new AbortController();
    const attempt = runStageTaskProcess(ecsParameters('slow'), {
      scriptPath: FAKE_TASK,
      signal: controller.signal,
      onStderr: (chunk) => {
        if (chunk.includes('ready')) controller.abort();
      },
    });

    await expect(attempt).rejects.toMatchObject({ name: 'RunInterruptedError', message: 'stopped' });
  });

  it('runs the real stage-task entry point, which rejects an unknown stage before building deps', async () => {
    const attempt = runStageTaskProcess(ecsParameters('nope'));

    await expect(attempt).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'STAGE_ID: unknown stage "nope"',
    });
  });
});

describe('containerEnvironment and parseResultLine', () => {
  it('reads the overrides and drops TASK_TOKEN', () => {
    expect(containerEnvironment(ecsParameters('mix'))).toEqual({
      RUN_ID: 'run-7',
      PODCAST_ID: 'tech-weekly',
      STAGE_ID: 'mix',
    });
    expect(() => containerEnvironment({ Cluster: 'x' })).toThrow(
      'the ECS state has no Overrides.ContainerOverrides[0].Environment'
    );
  });

  it('takes the last result line and ignores log lines', () => {
    const stdout = [
      '{"level":"INFO","message":"x","error":{"name":"E"}}',
      '{"output":{"a":1}}',
      'plain text',
      '{"level":"INFO","message":"after"}',
      '',
    ].join('\n');

    expect(parseResultLine(stdout)).toEqual({ output: { a: 1 } });
    expect(parseResultLine('{"error":"FatalStageError","cause":"c"}\n')).toEqual({
      error: 'FatalStageError',
      cause: 'c',
    });
    expect(parseResultLine('{"level":"INFO"}\n')).toBeUndefined();
  });
});
