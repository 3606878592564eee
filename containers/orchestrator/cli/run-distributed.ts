/**
 * `--mode distributed` on a laptop: the committed state machine on the same engine as `npm run
 * serve` (local-platform/platform.ts), over this command's embedded servers: Lambda states in this
 * process on its deps, ECS stage states as stage-task processes that report with their task token
 * through a private edge endpoint, RunMonolithicOrchestrator (when the input's flags pick it) as
 * the orchestrator entry point in a child. The execution is kept in the data directory like
 * serve's (its name is the runId): running the same input again redrives it, so only what did
 * not finish is done again; serve lists it too.
 */
import { canonicalJson } from '../../../stages/shared/hashing';
import type { FetchPolicy } from '../../../stages/shared/adapters/fetch/fetch-policy';
import { describeError, ValidationError } from '../../../stages/shared/errors';
import type { StageDeps } from '../../../stages/shared/stage';
import { startPlatform } from '../../../local-platform/platform';
import type { LocalServers } from '../local/local-servers';
import { PipelineFailedError } from '../engine/pipeline-engine';
import type { RunInputEnvelope } from './read-run-input';
import type { PipelineOutcome } from './run-result';

export interface DistributedRunOptions {
  deps: StageDeps;
  servers: LocalServers;
  dataDir: string;
  fetchPolicy: FetchPolicy;
  signal?: AbortSignal;
  /** Shows the events other processes wrote; called every second while the execution runs. */
  catchUpEvents?: () => Promise<void>;
}

const CATCH_UP_MS = 1_000;

/** The published episode, or the skip (nothing new to publish): as the run record says. */
export interface DistributedRunResult extends PipelineOutcome {
  transitions: number;
}

export async function runDistributedLocally(
  envelope: RunInputEnvelope,
  options: DistributedRunOptions
): Promise<DistributedRunResult> {
  const { deps } = options;
  const platform = await startPlatform({
    servers: options.servers,
    dataDir: options.dataDir,
    port: 0,
    logger: deps.logger,
    fetchPolicy: options.fetchPolicy,
    originIsPublic: deps.publicOrigin !== undefined,
    deps: () => deps,
    // A task's events (it writes them to the table) are shown before the next state starts.
    ...(options.catchUpEvents ? { afterTask: options.catchUpEvents } : {}),
  });
  // Stopped (SIGINT/SIGTERM): the executions end now, their task processes stopped; the command
  // records the run itself (RunInterruptedError at its current stage).
  const onStop = () =>
    void platform.sfn.interruptAll(describeError(options.signal?.reason).message, {
      error: 'RunInterruptedError',
      recordRun: false,
    });
  options.signal?.addEventListener('abort', onStop, { once: true });
  try {
    const { sfn, machine } = platform;
    await sfn.closeInterrupted('the orchestrator stopped while this execution was running');
    const name = envelope.runId;
    const input = JSON.stringify(envelope.raw);
    const existing = platform.store.get(name);
    const executionArn = existing?.executionArn;
    if (!existing) await sfn.call('StartExecution', { stateMachineArn: machine.arn, name, input });
    else if (canonicalJson(JSON.parse(existing.input)) !== canonicalJson(envelope.raw))
      throw new ValidationError(
        `runId "${name}" was already run with a different input (execution ${executionArn}); pick another runId`,
        'runId'
      );
    else if (existing.status !== 'SUCCEEDED') await sfn.call('RedriveExecution', { executionArn });
    const polling = options.catchUpEvents
      ? setInterval(() => void options.catchUpEvents?.().catch(() => undefined), CATCH_UP_MS)
      : undefined;
    const ended = await sfn.whenEnded(name).finally(() => clearInterval(polling));
    await options.catchUpEvents?.().catch(() => undefined);
    const run = await deps.runs.get(envelope.runId);
    const transitions = () =>
      platform.store.history(name).filter((event) => event.type.endsWith('StateEntered')).length;
    if (ended?.status === 'SUCCEEDED' && run?.status === 'succeeded' && run.episodeId && run.guid)
      return { episode: { episodeId: run.episodeId, guid: run.guid }, transitions: transitions() };
    if (ended?.status === 'SUCCEEDED' && run?.status === 'skipped' && run.skipped)
      return { skipped: run.skipped, transitions: transitions() };
    const error = run?.error ?? {
      stage: 'run',
      name: ended?.error ?? ended?.status ?? 'Unknown',
      message: ended?.cause ?? 'the execution did not succeed',
    };
    if (error.name === 'ValidationError') throw new ValidationError(error.message, error.stage);
    throw new PipelineFailedError(error);
  } finally {
    options.signal?.removeEventListener('abort', onStop);
    await platform.close();
  }
}
