/**
 * Follows a run until it ends, by polling its record and its events (the same tables both
 * orchestrators write), and hands every new event to a progress display. The run record decides
 * the outcome; when following a Step Functions execution, the execution's own status is checked
 * too, so an execution that ended without the run record saying so (it failed before prepare
 * claimed the run, or was stopped from the console) does not leave the caller waiting forever.
 */
import type { EventLog, PipelineEvent, RunRecord, RunRepository } from '../../stages/shared/ports';

export const DEFAULT_POLL_MS = 2000;

export interface RunWatchStore {
  runs: Pick<RunRepository, 'get'>;
  events: Pick<EventLog, 'list'>;
}

export interface FollowOptions {
  onEvent: (event: PipelineEvent) => void;
  /** @default 2000 */
  pollMs?: number;
  /** Give up after this long (the run goes on; only the waiting stops). @default no limit */
  timeoutMs?: number;
  /** The execution's status (RUNNING, SUCCEEDED, FAILED, ...), when there is one to check. */
  executionStatus?: () => Promise<string | undefined>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type FollowResult =
  | { outcome: 'succeeded' | 'failed' | 'skipped'; run: RunRecord }
  /** The execution ended but the run record is missing or still says running. */
  | { outcome: 'execution-ended'; executionStatus: string; run?: RunRecord }
  | { outcome: 'timed-out'; run?: RunRecord };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function followRun(
  store: RunWatchStore,
  runId: string,
  options: FollowOptions
): Promise<FollowResult> {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const deadline = options.timeoutMs === undefined ? Infinity : now() + options.timeoutMs;
  const seen = new Set<string>();
  let executionEnded: string | undefined;

  const drainEvents = async () => {
    for (const event of await store.events.list(runId)) {
      if (seen.has(event.eventKey)) continue;
      seen.add(event.eventKey);
      options.onEvent(event);
    }
  };

  for (;;) {
    // Status first, events after: a final status is written before its run.* event, so the last
    // drain after a final status always includes the events that led to it.
    const run = await store.runs.get(runId);
    await drainEvents();
    if (run && run.status !== 'running') return { outcome: run.status, run };
    if (options.executionStatus) {
      const status = await options.executionStatus();
      if (status && status !== 'RUNNING' && status !== 'PENDING_REDRIVE') {
        // Give the run record one more poll to catch up with the execution (its failure
        // handler writes the record as the execution's last step), then report what we know.
        if (executionEnded)
          return { outcome: 'execution-ended', executionStatus: status, ...(run ? { run } : {}) };
        executionEnded = status;
      }
    }
    if (now() + pollMs > deadline) return { outcome: 'timed-out', ...(run ? { run } : {}) };
    await sleep(pollMs);
  }
}

/** One line naming how the run ended (the failing stage and the reason on failure). */
export function describeOutcome(runId: string, result: FollowResult): string {
  switch (result.outcome) {
    case 'succeeded':
      return `run ${runId} succeeded: episode ${result.run.episodeId ?? '?'} published (guid ${result.run.guid ?? '?'})`;
    case 'skipped':
      return `run ${runId} skipped at stage ${result.run.skipped?.stage ?? 'unknown'}: ${result.run.skipped?.reason ?? 'no reason recorded'} (nothing published)`;
    case 'failed': {
      const error = result.run.error;
      const stage = error?.stage ?? result.run.currentStage ?? 'unknown stage';
      return `run ${runId} failed at stage ${stage}: ${error ? `${error.name}: ${error.message}` : 'no reason recorded'}`;
    }
    case 'execution-ended':
      return `run ${runId}: the execution ended ${result.executionStatus} but the run record ${result.run ? `still says ${result.run.status}` : 'was never written'} (see the execution's history)`;
    case 'timed-out':
      return `run ${runId} is still ${result.run?.status ?? 'not started'} (stopped waiting; it goes on)`;
  }
}

/** Exit code for start-run --wait: 0 succeeded or skipped (nothing new to publish), 1 anything else. */
export function outcomeExitCode(result: FollowResult): number {
  return result.outcome === 'succeeded' || result.outcome === 'skipped' ? 0 : 1;
}
