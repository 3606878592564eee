/**
 * ECS stage states under `serve`'s engine: a task that never heartbeats fails its state with
 * States.HeartbeatTimeout and its process is stopped (so a retry never runs beside it); a task
 * that exits without reporting fails with States.TaskFailed; a report through the token ends the
 * state with its output.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TaskState } from '../../stepfunctions/asl-types';
import { ECS_WAIT_FOR_TASK_TOKEN } from '../../stepfunctions/stage-states';
import { type EcsRuntime, runEcsState } from '../../local-platform/stepfunctions/ecs-task-states';
import type { TaskProcess } from '../../local-platform/stepfunctions/task-processes';
import { TaskTokens } from '../../local-platform/stepfunctions/task-tokens';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ecs-states-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const parameters = {
  Overrides: {
    ContainerOverrides: [{ Name: 'stage-task', Environment: [{ Name: 'TASK_TOKEN', Value: 'replaced' }] }],
  },
};

async function runtimeWith(script: string, tokens: TaskTokens, tracked: TaskProcess[]): Promise<EcsRuntime> {
  const entry = path.join(dir, `task-${tracked.length}-${Date.now()}.mjs`);
  await writeFile(entry, script);
  return {
    tokens,
    env: {},
    logDir: dir,
    stackName: 'Test',
    history: () => undefined,
    afterStateEntered: async () => undefined,
    entries: { stageTask: entry, orchestrator: entry },
    track: (task) => tracked.push(task),
  };
}

const state = (heartbeatSeconds?: number): TaskState =>
  ({
    Type: 'Task',
    Resource: ECS_WAIT_FOR_TASK_TOKEN,
    ...(heartbeatSeconds ? { HeartbeatSeconds: heartbeatSeconds } : {}),
  }) as TaskState;

test('a task that never heartbeats fails with States.HeartbeatTimeout and is stopped', async () => {
  const tracked: TaskProcess[] = [];
  const runtime = await runtimeWith('setInterval(() => undefined, 1000);\n', new TaskTokens(), tracked);

  await expect(runEcsState('Scrape', state(1), parameters, runtime)).rejects.toMatchObject({
    name: 'States.HeartbeatTimeout',
  });

  expect(tracked).toHaveLength(1);
  expect(await tracked[0]?.exited).toBe('SIGTERM');
});

test('a task that exits without reporting fails with States.TaskFailed, naming its exit', async () => {
  const tracked: TaskProcess[] = [];
  const runtime = await runtimeWith(
    "console.error('out of memory, say');\nprocess.exit(137);\n",
    new TaskTokens(),
    tracked
  );

  await expect(runEcsState('Mix', state(), parameters, runtime)).rejects.toMatchObject({
    name: 'States.TaskFailed',
    message: expect.stringMatching(
      /exited \(137\) without reporting its result; last log: out of memory, say/
    ),
  });
});

test('a report through the task token ends the state with its output', async () => {
  const tokens = new TaskTokens();
  const tracked: TaskProcess[] = [];
  // The task "reports" by writing its token; the test answers for it as SendTaskSuccess would.
  const runtime = await runtimeWith(
    'console.log(process.env.TASK_TOKEN);\nsetTimeout(() => undefined, 5000);\n',
    tokens,
    tracked
  );

  const state_ = runEcsState('Scrape', state(30), parameters, runtime);
  for (let i = 0; i < 100 && !tracked[0]; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  let token = '';
  for (let i = 0; i < 100 && !token; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    token = (tracked[0]?.lastLines() ?? '').trim();
  }
  tokens.heartbeat(token);
  tokens.success(token, '{"stories":3}');

  await expect(state_).resolves.toEqual({ stories: 3 });
  await tracked[0]?.stop();
});
