/**
 * The `runs` operator command: list runs, show one run with its per-stage timings, and mark a
 * stalled run failed. A run is stalled when it still says `running` but its record has not been
 * updated for longer than the plan's stall deadline (stages/shared/stalled-runs.ts: the longest
 * unit with all its retries, plus a margin), e.g. because its Fargate task was killed without a
 * chance to record the failure. The deployed stack's run watchdog fails such runs on its own with
 * the same rule; `--older-than` looks with another threshold.
 */
import { describeError, ValidationError } from '../../stages/shared/errors';
import type { RunRepository, RunStatus } from '../../stages/shared/ports';
import { failRun } from '../../stages/shared/run-lifecycle';
import { RUN_STATUSES } from '../../stages/shared/run-statuses';
import type { StageDeps } from '../../stages/shared/stage';
import { formatDuration, oneOf, parseDuration, parseFlags, positiveInt } from './cli-flags';
import { printable } from '../../stages/shared/printable';
import {
  isStalled,
  quietMs as quietFor,
  selectStalled,
  STALLED_AFTER_MS,
  STALLED_ERROR_NAME,
  STALLED_SCAN_LIMIT,
  stalledStage,
} from '../../stages/shared/stalled-runs';
import type { TaskTokenNotifier } from '../../stages/shared/approval/approval-record';
import { ApprovalStateError } from '../../stages/shared/approval/pending-approval';
import { type ApprovalCommand, decideApproval, parseApprovalCommand } from './runs-approval';
import { formatRunDetail, formatRunsTable, shortTimestamp } from './runs-format';
import { DEFAULT_DATA_DIR, type RunStore, type StoreLocation } from './run-store';

export const DEFAULT_LIST_LIMIT = 20;
/** `--older-than` by default: the plan's stall deadline, as the run watchdog uses it. */
export const DEFAULT_STALLED_AFTER = formatDuration(STALLED_AFTER_MS);
export { selectStalled, STALLED_ERROR_NAME, STALLED_SCAN_LIMIT };

export const RUNS_USAGE = `usage: runs <command> [options]

  runs list [--status running|succeeded|failed|skipped] [--limit N] [--stalled [--older-than 30m]]
  runs show <runId>
  runs fail <runId> --reason "..." [--older-than 30m] [--force]
  runs approve <runId> [--script edited-script.json]
  runs reject <runId> --reason "..."
  runs edit <runId> --script edited-script.json

list     the most recent runs: id, podcast, status, mode, progress, current stage, last update, age
         --stalled: running runs not updated for --older-than (default ${DEFAULT_STALLED_AFTER}, the plan's
         stall deadline: its longest stage with all retries, plus a margin; the stack's run
         watchdog fails such runs every 15 minutes)
show     a run's status, error (with the stage) or skip reason, and a timing table per stage
         from its events (skipped: the run found nothing new to publish; it is final, as
         succeeded and failed are)
approve  lets a run awaiting approval of its script (status awaiting-approval) go on; with --script
         an edited script (Script JSON, as runs/<runId>/review/script.json) checked by the same
         schema and review rules first: a bad edit is refused and nothing changes
reject   ends a run awaiting approval failed (RunRejectedError) with --reason
edit     edits the script of a published (succeeded, monolithic) run, checked as approve --script
         checks it; the run becomes running as its next attempt: rerun it with --resume <runId> to
         re-render (only the stages after review redo) and publish a new version, same GUID
fail     marks a stalled run failed (run record + run.failed event), naming --reason; refuses a
         run updated within --older-than (default ${DEFAULT_STALLED_AFTER}) unless --force

where the runs are: the deployed tables named by the environment (RUNS_TABLE, EVENTS_TABLE, ...
from the stack's outputs), or with --local the local servers' data directory (--data-dir, default
${DEFAULT_DATA_DIR}, which must exist; --data-dir implies --local; stop a running local orchestrator
first, it holds the directory's lock)

exit codes: 0 done, 1 no such run / nothing to do, 2 bad arguments`;

export type RunsCommand =
  | { command: 'help' }
  | { command: 'list'; status?: RunStatus; limit: number; stalledAfterMs?: number }
  | { command: 'show'; runId: string }
  | { command: 'fail'; runId: string; reason: string; stalledAfterMs: number; force: boolean }
  | ApprovalCommand;

export interface ParsedRunsArgs {
  command: RunsCommand;
  location: Omit<StoreLocation, 'cwd' | 'env'>;
}

export function parseRunsArgs(argv: readonly string[]): ParsedRunsArgs {
  const flags = parseFlags(argv, {
    values: ['status', 'limit', 'older-than', 'reason', 'data-dir', 'script'],
    switches: ['stalled', 'force', 'local', 'help'],
    aliases: { h: 'help' },
  });
  // --data-dir names the local data: it implies --local rather than being silently ignored.
  const location = {
    local: flags.switches.has('local') || flags.values['data-dir'] !== undefined,
    ...(flags.values['data-dir'] ? { dataDir: flags.values['data-dir'] } : {}),
  };
  const [name, runId, extra] = flags.positionals;
  if (flags.switches.has('help') || name === undefined || name === 'help')
    return { command: { command: 'help' }, location };
  const olderThan = flags.values['older-than'];
  if (olderThan !== undefined && !(name === 'fail' || (name === 'list' && flags.switches.has('stalled')))) {
    throw new ValidationError('--older-than goes with list --stalled or fail', '--older-than');
  }
  const stalledAfterMs =
    olderThan === undefined ? STALLED_AFTER_MS : parseDuration(olderThan, '--older-than');
  switch (name) {
    case 'list': {
      if (runId !== undefined)
        throw new ValidationError(`runs list takes no argument (got "${runId}")`, 'argv');
      const status = oneOf(flags.values.status, RUN_STATUSES, '--status');
      if (flags.switches.has('stalled') && status && status !== 'running') {
        throw new ValidationError(
          '--stalled lists running runs; it cannot be combined with another --status',
          '--status'
        );
      }
      const limit = positiveInt(flags.values.limit, '--limit') ?? DEFAULT_LIST_LIMIT;
      return {
        command: {
          command: 'list',
          limit,
          ...(status ? { status } : {}),
          ...(flags.switches.has('stalled') ? { stalledAfterMs } : {}),
        },
        location,
      };
    }
    case 'show':
    case 'fail': {
      if (!runId) throw new ValidationError(`runs ${name} needs a runId`, 'runId');
      if (extra !== undefined) throw new ValidationError(`unexpected argument "${extra}"`, 'argv');
      if (name === 'show') return { command: { command: 'show', runId }, location };
      const reason = flags.values.reason?.trim();
      if (!reason)
        throw new ValidationError('runs fail needs --reason "<why the run is being failed>"', '--reason');
      return {
        command: { command: 'fail', runId, reason, stalledAfterMs, force: flags.switches.has('force') },
        location,
      };
    }
    case 'approve':
    case 'reject':
    case 'edit':
      if (extra !== undefined) throw new ValidationError(`unexpected argument "${extra}"`, 'argv');
      return { command: parseApprovalCommand(name, runId, flags.values), location };
    default:
      throw new ValidationError(
        `unknown command "${name}" (list, show, fail, approve, reject or edit)`,
        'command'
      );
  }
}

export async function listRuns(
  runs: Pick<RunRepository, 'list'>,
  options: Extract<RunsCommand, { command: 'list' }>,
  now: Date
): Promise<string[]> {
  if (options.stalledAfterMs === undefined) {
    return formatRunsTable(
      await runs.list({ limit: options.limit, ...(options.status ? { status: options.status } : {}) }),
      now
    );
  }
  const running = await runs.list({ status: 'running', limit: Math.max(STALLED_SCAN_LIMIT, options.limit) });
  const stalled = selectStalled(running, now, options.stalledAfterMs).slice(0, options.limit);
  if (stalled.length === 0)
    return [`no stalled runs (running and not updated for ${formatDuration(options.stalledAfterMs)})`];
  return formatRunsTable(stalled, now);
}

export class RunNotFoundError extends Error {
  override readonly name = 'RunNotFoundError';
}

export async function showRun(
  store: Pick<StageDeps, 'runs' | 'events'>,
  runId: string,
  now: Date
): Promise<string[]> {
  const run = await store.runs.get(runId);
  if (!run) throw new RunNotFoundError(`no run "${runId}"`);
  return formatRunDetail(run, await store.events.list(runId), now);
}

/** Fails a stalled run through the shared lifecycle (conditional: a run that just ended stays as it is). */
export async function failStalledRun(
  deps: StageDeps,
  options: Extract<RunsCommand, { command: 'fail' }>
): Promise<string[]> {
  const run = await deps.runs.get(options.runId);
  if (!run) throw new RunNotFoundError(`no run "${options.runId}"`);
  if (run.status !== 'running')
    throw new RunNotFoundError(`run "${options.runId}" is ${run.status}, not running: nothing to fail`);
  const now = deps.clock.now();
  const quietMs = quietFor(run, now);
  if (!options.force && !isStalled(run, now, options.stalledAfterMs)) {
    throw new ValidationError(
      `run "${options.runId}" was updated ${formatDuration(quietMs)} ago (${shortTimestamp(run.updatedAt)}), within --older-than ${formatDuration(options.stalledAfterMs)}: it may still be working; pass --force to fail it anyway`,
      '--older-than'
    );
  }
  const stage = stalledStage(run);
  await failRun(
    options.runId,
    {
      stage,
      name: STALLED_ERROR_NAME,
      message: `${options.reason} (no update for ${formatDuration(quietMs)}; failed by an operator)`,
    },
    deps
  );
  const after = await deps.runs.get(options.runId);
  if (after?.status !== 'failed')
    throw new RunNotFoundError(
      `run "${options.runId}" ended as ${after?.status ?? 'missing'} while it was being failed`
    );
  return [`run ${options.runId} marked failed at stage ${stage}: ${after.error?.message ?? options.reason}`];
}

export interface RunsIo {
  out: (line: string) => void;
  err: (line: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  openStore: (location: StoreLocation) => Promise<RunStore>;
  now?: () => Date;
  /** Tells a state machine waiting on a run's approval (SendTaskSuccess/SendTaskFailure). */
  taskTokens?: () => TaskTokenNotifier;
}

export async function runsMain(argv: readonly string[], io: RunsIo): Promise<number> {
  let parsed: ParsedRunsArgs;
  try {
    parsed = parseRunsArgs(argv);
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return 2;
  }
  const { command } = parsed;
  if (command.command === 'help') {
    io.out(RUNS_USAGE);
    return 0;
  }
  let store: RunStore | undefined;
  try {
    store = await io.openStore({ ...parsed.location, cwd: io.cwd, env: io.env });
    const now = io.now?.() ?? new Date();
    const lines =
      command.command === 'list'
        ? await listRuns(store.persistence.runs, command, now)
        : command.command === 'show'
          ? await showRun(store.persistence, command.runId, now)
          : command.command === 'fail'
            ? await failStalledRun(store.deps, command)
            : await decideApproval(command, store.deps, {
                cwd: io.cwd,
                ...(io.taskTokens ? { notifier: io.taskTokens } : {}),
              });
    // Run ids, errors and details come from inputs and servers: never let them drive the terminal.
    for (const line of lines) io.out(printable(line));
    return 0;
  } catch (error) {
    // Expected failures say what is wrong; anything else is named (a full disk: `Error: ENOSPC: ...`).
    const { name, message } = describeError(error);
    io.err(
      `error: ${error instanceof ValidationError || error instanceof RunNotFoundError || error instanceof ApprovalStateError ? message : `${name}: ${message}`}`
    );
    return error instanceof ValidationError ? 2 : 1;
  } finally {
    await store?.close();
  }
}
