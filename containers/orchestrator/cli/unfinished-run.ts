/**
 * A run that does not finish: how the command records it and what it prints. A stop signal
 * records the run failed with RunInterruptedError at its current stage, ends the child
 * processes and stops the local servers. A failure maps to one stderr line and an exit code:
 * 2 bad input, 1 a failed run or an unexpected error (which also records the run failed while it
 * is still running, e.g. a full disk after the stages finished).
 */
import { stopChildProcesses } from '../../../stages/shared/adapters/child-processes';
import { describeError, ERROR_NAMES, ValidationError } from '../../../stages/shared/errors';
import type { Logger } from '../../../stages/shared/ports';
import { failRun } from '../../../stages/shared/run-lifecycle';
import type { StageDeps } from '../../../stages/shared/stage';
import { PipelineFailedError } from '../engine/pipeline-engine';
import { DataDirLockedError } from '../local/data-dir-lock';
import { errorLine, unexpectedErrorLine } from './error-line';
import type { StopSignal } from './stop-signals';

/** What the command has built so far (each part is there once it exists). */
export interface RunState {
  runId?: string;
  deps?: StageDeps;
  servers?: { stop(): Promise<void> };
  logger: Logger;
  /** Set once a stop signal arrived: the stop handler then owns recording, reporting and exiting. */
  stopping?: boolean;
}

async function recordFailed(state: RunState, name: string, message: string): Promise<void> {
  const { runId, deps } = state;
  if (!runId || !deps) return;
  try {
    const stage = (await deps.runs.get(runId))?.currentStage ?? 'run';
    await failRun(runId, { stage, name, message }, deps);
  } catch (error) {
    state.logger.warn('could not record the run as failed', { runId, error: describeError(error) });
  }
}

/** The stop signal's work: record the run, end the children (they use the servers), stop the servers. */
export async function interruptRun(signal: StopSignal, state: RunState): Promise<void> {
  try {
    await recordFailed(
      state,
      ERROR_NAMES.interrupted,
      `the orchestrator was stopped (${signal}) before the run finished`
    );
    await stopChildProcesses(signal);
  } finally {
    await state.servers?.stop();
  }
}

/** Prints the one error line for `error` and returns the exit code. */
export async function reportFailure(
  error: unknown,
  state: RunState,
  stderr: Pick<NodeJS.WriteStream, 'write'>
): Promise<number> {
  if (error instanceof ValidationError) {
    stderr.write(errorLine(error.message));
    return 2;
  }
  if (error instanceof PipelineFailedError) {
    const { stage, name, message } = error.runError;
    stderr.write(errorLine(`run ${state.runId} failed at stage ${stage}: ${name}: ${message}`));
    return 1;
  }
  if (error instanceof DataDirLockedError) {
    stderr.write(errorLine(error.message));
    return 1;
  }
  const described = describeError(error);
  await recordFailed(state, described.name, described.message);
  stderr.write(unexpectedErrorLine(error, state.logger));
  return 1;
}
