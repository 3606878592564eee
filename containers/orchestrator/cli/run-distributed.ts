/**
 * `--mode distributed` on a laptop: the committed state machine executed by the local runner,
 * Lambda states in this process on the same local servers, ECS stage states as node processes,
 * and RunMonolithicOrchestrator (when the input's flags pick it) as this entry point in a child.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { trackChildProcess } from '../../../stages/shared/adapters/child-processes';
import { ValidationError } from '../../../stages/shared/errors';
import type { StageDeps } from '../../../stages/shared/stage';
import type { JsonValue } from '../../../stepfunctions/asl-types';
import { runLocalStateMachine } from '../../../stepfunctions/local/run-local-state-machine';
import {
  containerEnvironment,
  REPO_ROOT,
  StageTaskError,
} from '../../../stepfunctions/local/stage-task-process';
import { PipelineFailedError } from '../engine/pipeline-engine';
import type { RunInputEnvelope } from './read-run-input';

export interface DistributedRunOptions {
  deps: StageDeps;
  /** Endpoints, table and bucket names and credentials for the child processes. */
  awsEnv: NodeJS.ProcessEnv;
  cwd: string;
}

export interface DistributedRunResult {
  episode: { episodeId: string; guid: string };
  transitions: number;
}

const ORCHESTRATOR_MAIN = path.join(REPO_ROOT, 'containers', 'orchestrator', 'main.ts');

/** RunMonolithicOrchestrator's local stand-in: the container's entry point as a child process. */
function runOrchestratorProcess(env: NodeJS.ProcessEnv) {
  return (parameters: JsonValue): Promise<JsonValue> =>
    new Promise((resolve, reject) => {
      // Tracked: this process's stop signal is passed on to it (it records the run and exits).
      const child = trackChildProcess(
        spawn(process.execPath, ['--import', 'tsx', ORCHESTRATOR_MAIN, '--log-level', 'silent'], {
          cwd: REPO_ROOT,
          env: { ...process.env, ...env, ...containerEnvironment(parameters) },
          stdio: ['ignore', 'ignore', 'pipe'],
        }),
        'orchestrator (RunMonolithicOrchestrator)'
      );
      let stderr = '';
      child.stderr
        .setEncoding('utf8')
        .on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve({ StopCode: 'EssentialContainerExited', ExitCode: 0 });
        else
          reject(
            new StageTaskError(
              'States.TaskFailed',
              `orchestrator exited with ${code}: ${stderr.trim().split('\n').pop() ?? ''}`
            )
          );
      });
    });
}

export async function runDistributedLocally(
  envelope: RunInputEnvelope,
  options: DistributedRunOptions
): Promise<DistributedRunResult> {
  const result = await runLocalStateMachine(envelope.raw as JsonValue, {
    deps: options.deps,
    stageTaskEnv: options.awsEnv,
    // The task reads its input from the execution (PIPELINE_EXECUTION_ARN) on AWS and under
    // `serve`; this in-process runner has no Step Functions endpoint, so it hands the input over.
    monolithic: runOrchestratorProcess({ ...options.awsEnv, PIPELINE_INPUT: JSON.stringify(envelope.raw) }),
    onStageTaskStderr: (chunk) => options.deps.logger.debug('stage task log', { chunk }),
  });
  const run = await options.deps.runs.get(envelope.runId);
  if (result.status === 'SUCCEEDED' && run?.status === 'succeeded' && run.episodeId && run.guid) {
    return { episode: { episodeId: run.episodeId, guid: run.guid }, transitions: result.transitions };
  }
  const error = run?.error ?? {
    stage: 'run',
    name: result.error?.Error ?? result.status,
    message: result.error?.Cause ?? 'the execution did not succeed',
  };
  if (error.name === 'ValidationError') throw new ValidationError(error.message, error.stage);
  throw new PipelineFailedError(error);
}
