/**
 * One ECS stage task, start to finish: read the environment, build deps, rebuild the StageInput
 * from checkpoints, run the shared stage lifecycle (runStageUnit) and report the outcome, with
 * heartbeats while the work runs. Everything is injected so tests drive it without a process.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import {
  describeError,
  RunInterruptedError,
  StageTimeoutError,
  ValidationError,
} from '../../stages/shared/errors';
import { StderrLogger } from '../../stages/shared/logger';
import type { Logger } from '../../stages/shared/ports';
import type { RunnableStage, StageDeps, StageInput } from '../../stages/shared/stage';
import { runStageUnit, type UnitOptions } from '../../stages/shared/stage-runner';
import { attemptSignal, untilAborted } from '../../stages/shared/unit-cancellation';
import { RUNNABLE_STAGES } from '../../stages/stage-modules';
import { stageInputFromCheckpoints } from './stage-input-from-checkpoints';
import { heartbeatIntervalMs, readStageTaskEnv, type StageTaskEnv } from './task-env';
import { StdoutReporter, type TaskReporter, TaskTokenReporter } from './task-reporters';

export const STAGE_TASK_EXIT = { succeeded: 0, failed: 1, invalid: 2, interrupted: 143 } as const;

export interface StageTaskOptions {
  env: NodeJS.ProcessEnv;
  /** Builds the deps once the environment is known to be valid. */
  buildDeps: (task: StageTaskEnv) => StageDeps;
  /** Called only when there is a task token. */
  createSfnClient: () => SFNClient;
  /** Local runs: where the one result line goes (stdout in main). */
  writeLine: (line: string) => Promise<void> | void;
  /** Aborted on SIGTERM: the task reports RunInterruptedError and stops. */
  signal?: AbortSignal;
  registry?: readonly RunnableStage[];
  /** The work of the unit; defaults to the shared stage lifecycle. */
  runUnit?: (
    def: RunnableStage,
    input: StageInput,
    deps: StageDeps,
    options: UnitOptions
  ) => Promise<unknown>;
  /** Logs what happens before deps exist (defaults to JSON lines on stderr). */
  logger?: Logger;
}

/** This task's attempt is no longer the one its state waits for: it ends without writing. */
export class TaskSupersededError extends Error {
  override readonly name = 'TaskSupersededError';
}

function exitCodeFor(error: unknown): number {
  if (error instanceof RunInterruptedError) return STAGE_TASK_EXIT.interrupted;
  if (error instanceof ValidationError) return STAGE_TASK_EXIT.invalid;
  return STAGE_TASK_EXIT.failed;
}

/** Runs the task and returns the process exit code (0 after a reported success). */
export async function runStageTask(options: StageTaskOptions): Promise<number> {
  const registry = options.registry ?? RUNNABLE_STAGES;
  const runUnit = options.runUnit ?? runStageUnit;
  let logger: Logger = options.logger ?? new StderrLogger('info');
  const token = options.env.TASK_TOKEN?.trim();
  const reporter: TaskReporter = token
    ? new TaskTokenReporter(options.createSfnClient(), token, logger)
    : new StdoutReporter(options.writeLine);
  let heartbeat: NodeJS.Timeout | undefined;
  let listening = true;
  // Ends the attempt: SIGTERM/SIGINT, or the state machine no longer waiting for this task.
  const stopped = new AbortController();
  const stopHeartbeat = () => {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
  };
  const superseded = () =>
    new TaskSupersededError(
      'the state machine no longer waits for this task (its state timed out, was retried or cancelled); it stops without writing'
    );
  // A heartbeat answered "no such task" means another attempt owns the stage now (a retry after a
  // heartbeat timeout) or nobody does (a cancelled Parallel): this one stops at once.
  const beat = () =>
    void reporter.heartbeat().then((answered) => {
      if (answered) return;
      listening = false;
      stopHeartbeat();
      stopped.abort(superseded());
    });
  // The first heartbeat goes out as the process starts, before anything is read or built: the
  // state's HeartbeatSeconds has been running since RunTask, through the cold start.
  if (token) beat();

  try {
    const task = readStageTaskEnv(options.env);
    const def = registry.find((s) => s.id === task.stageId);
    if (!def) throw new ValidationError(`STAGE_ID: unknown stage "${task.stageId}"`, 'STAGE_ID');
    const deps = options.buildDeps(task);
    logger = deps.logger;
    logger.info('stage task started', {
      stage: def.id,
      runId: task.runId,
      reportsTo: token ? 'step-functions' : 'stdout',
    });

    if (token && listening) heartbeat = setInterval(beat, heartbeatIntervalMs(task));
    // One attempt: stopped by SIGTERM/SIGINT (RunInterruptedError) or by the plan's timeout
    // (States.Timeout); its writes are refused from then on and it ends once its core has stopped.
    const onStop = () =>
      stopped.abort(new RunInterruptedError(`the ${def.id} task was stopped (SIGTERM) before it finished`));
    if (options.signal?.aborted) onStop();
    else options.signal?.addEventListener('abort', onStop, { once: true });
    const attempt = attemptSignal(
      stopped.signal,
      def.timeoutSeconds * 1000,
      () => new StageTimeoutError(`stage ${def.id} timed out after ${def.timeoutSeconds} s`)
    );
    // An attempt that is stopping is not kept alive: its failure is reported once it has stopped.
    attempt.signal.addEventListener('abort', stopHeartbeat, { once: true });
    const work = (async () => {
      const input = await stageInputFromCheckpoints(def.id, task, deps.media, registry);
      // Superseded or stopped before the work began: nothing to do.
      attempt.signal.throwIfAborted();
      return runUnit(def, input, deps, {
        signal: attempt.signal,
        // Most tasks run a unit's first attempt; a retried one is told by the begin (runStageUnit).
        speculate: true,
        // The last word before anything is written: is this attempt still the one the state waits for?
        ...(token
          ? {
              beforeCommit: async () => {
                if (!(await reporter.heartbeat())) throw superseded();
              },
            }
          : {}),
      });
    })();
    const output = await untilAborted(work, attempt.signal).finally(() => {
      attempt.dispose();
      options.signal?.removeEventListener('abort', onStop);
    });
    stopHeartbeat();
    await reporter.succeed(output);
    logger.info('stage task succeeded', { stage: def.id, runId: task.runId });
    return STAGE_TASK_EXIT.succeeded;
  } catch (error) {
    stopHeartbeat();
    const { name, message } = describeError(error);
    logger.error('stage task failed', { error: { name, message } });
    const delivered = await reporter.fail(name, message);
    return delivered ? exitCodeFor(error) : STAGE_TASK_EXIT.failed;
  }
}
