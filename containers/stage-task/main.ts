/**
 * The ECS stage task's entry point (distributed mode's heavy stages): a composition root only.
 * Deps come from the environment (deps-from-env.ts), the work and the reporting from
 * run-stage-task.ts. Without TASK_TOKEN (local runs) logs go to stderr so stdout carries exactly
 * the one result line.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { StderrLogger } from '../../stages/shared/logger';
import { ALL_PROVIDER_FACTORIES } from '../../stages/shared/adapters/all-providers-from-env';
import { createDepsFromEnv } from '../../stages/shared/adapters/deps-from-env';
import { runStageTask } from './run-stage-task';

const controller = new AbortController();
// ECS stops a task with SIGTERM; a local run's Ctrl-C reaches it as SIGINT: both end the work.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => controller.abort());

const writeLine = (line: string) =>
  new Promise<void>((resolve) => process.stdout.write(`${line}\n`, () => resolve()));

runStageTask({
  env: process.env,
  buildDeps: (task) => {
    const deps = createDepsFromEnv(ALL_PROVIDER_FACTORIES, `the ${task.stageId} stage task`);
    return task.taskToken ? deps : { ...deps, logger: new StderrLogger('info') };
  },
  createSfnClient: () => new SFNClient({}),
  writeLine,
  signal: controller.signal,
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`stage task crashed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  }
);
