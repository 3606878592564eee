/**
 * start-run: starts a pipeline run on the deployed state machine (StartExecution, execution name =
 * runId), picks the orchestration mode (flags.useMonolithicOrchestrator; `auto` estimates the run,
 * see run-mode.ts), and with --wait follows the run's events until it ends. With --local it runs
 * the same input through the orchestrator CLI on this machine (embedded local servers, the local
 * state machine for --mode distributed) instead.
 */
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import path from 'node:path';
import { ProgressReporter } from '../../containers/orchestrator/cli/progress-reporter';
import { loadPodcastConfigFile } from '../../containers/orchestrator/local/podcast-config-file';
import type { PodcastConfigInput } from '../../stages/shared/config-schema';
import { describeError, ValidationError } from '../../stages/shared/errors';
import { oneOf, parseDuration, parseFlags } from './cli-flags';
import { DEFAULT_POLL_MS, describeOutcome, followRun, outcomeExitCode } from './run-follow';
import { chooseMode, type ModeChoice, type ModeDecision } from './run-mode';
import type { RunStore, StoreLocation } from './run-store';
import { alreadyStartedHint, arnRegion, checkStateMachineArn, startExecution } from './start-execution';
import { buildRunInput, requestedMode, withMode } from './start-run-input';

export const START_RUN_USAGE = `usage: start-run [input.json] [options]

Starts a podcast pipeline run on the deployed state machine. The runId is the execution name:
starting the same run again reports "already started" instead of running it twice.

input (a JSON run input file, and/or):
  --podcast-id <id>           the podcast (stored in the podcasts table, or see --podcast)
  --date <YYYY-MM-DD>         the episode date (default: today, UTC, when no input file is given)
  --title <text>              the episode title
  --run-id <id>               default: <podcastId>-<hash of the input>, as the orchestrator does
  --podcast <file>            a podcast config file: carried in the input (its relative feed
                              paths become this machine's file:// URLs: use http(s) feeds for a
                              cloud run); with --local the orchestrator stores it first
mode:
  --mode <mode>               monolithic | distributed | auto (default auto: monolithic when the
                              estimated run is under the threshold, see scripts/lib/run-mode.ts)
where:
  --state-machine-arn <arn>   default STATE_MACHINE_ARN
  --local                     run it here through the orchestrator CLI instead (local servers;
                              it runs in the foreground, so it always waits)
  --data-dir <dir>            --local: the local servers' data directory (default .data)
following:
  --wait                      follow the run's events until it ends (tables from RUNS_TABLE,
                              EVENTS_TABLE, ... as the stack outputs them); exit 0 succeeded, 1 failed
  --poll <duration>           how often --wait polls (default 2s)
  --timeout <duration>        stop waiting after this long (the run goes on)
  --json                      machine-readable output (one JSON line per event with --wait)
  --dry-run                   print the runId, the mode and the input; start nothing
  -h, --help                  this text

exit codes: 0 started (or succeeded with --wait), 1 failed, 2 bad input or options`;

export interface StartRunIo {
  stdout: NodeJS.WriteStream;
  err: (line: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  createSfnClient: (region: string) => SFNClient;
  openStore: (location: StoreLocation) => Promise<RunStore>;
  /** Reads a stored podcast config (for --mode auto when the input does not carry one; publicBaseUrl may be unset). */
  lookupPodcast: (podcastId: string, location: StoreLocation) => Promise<PodcastConfigInput | undefined>;
  /** Runs the orchestrator CLI with these arguments and extra environment; resolves its exit code. */
  spawnOrchestrator: (args: string[], env: Record<string, string>) => Promise<number>;
  today?: () => string;
  sleep?: (ms: number) => Promise<void>;
}

interface StartRunArgs {
  help: boolean;
  inputFile?: string;
  values: Record<string, string>;
  mode?: ModeChoice;
  local: boolean;
  wait: boolean;
  json: boolean;
  dryRun: boolean;
}

function parseStartRunArgs(argv: readonly string[]): StartRunArgs {
  const flags = parseFlags(argv, {
    values: [
      'podcast-id',
      'date',
      'title',
      'run-id',
      'podcast',
      'mode',
      'state-machine-arn',
      'data-dir',
      'poll',
      'timeout',
    ],
    switches: ['local', 'wait', 'json', 'dry-run', 'help'],
    aliases: { h: 'help' },
  });
  if (flags.positionals.length > 1)
    throw new ValidationError(
      `only one input file is accepted (got ${flags.positionals.join(', ')})`,
      'input'
    );
  const mode = oneOf(flags.values.mode, ['monolithic', 'distributed', 'auto'] as const, '--mode');
  return {
    help: flags.switches.has('help'),
    ...(flags.positionals[0] ? { inputFile: flags.positionals[0] } : {}),
    values: flags.values,
    ...(mode ? { mode } : {}),
    local: flags.switches.has('local'),
    wait: flags.switches.has('wait'),
    json: flags.switches.has('json'),
    dryRun: flags.switches.has('dry-run'),
  };
}

function writeLine(io: StartRunIo, line: string): void {
  io.stdout.write(`${line}\n`);
}

async function decideMode(
  args: StartRunArgs,
  raw: Record<string, unknown>,
  podcast: PodcastConfigInput | undefined,
  podcastId: string,
  io: StartRunIo,
  location: StoreLocation
): Promise<ModeDecision> {
  const requested = requestedMode(raw, args.mode);
  if (typeof requested === 'object')
    return { mode: requested.fromInput, reason: 'the input sets flags.useMonolithicOrchestrator' };
  if (requested !== 'auto') return chooseMode(requested, undefined);
  const config = podcast ?? (await io.lookupPodcast(podcastId, location));
  if (!config) {
    throw new ValidationError(
      `--mode auto needs podcast "${podcastId}"'s config to estimate the run: carry it in the input (podcast), pass --podcast <file>, or ${location.local ? 'store it locally first' : 'set PODCASTS_TABLE'}; or pass --mode`,
      '--mode'
    );
  }
  return chooseMode('auto', config);
}

export async function startRunMain(argv: readonly string[], io: StartRunIo): Promise<number> {
  let store: RunStore | undefined;
  try {
    const args = parseStartRunArgs(argv);
    if (args.help) {
      writeLine(io, START_RUN_USAGE);
      return 0;
    }
    const v = args.values;
    const location: StoreLocation = {
      local: args.local,
      ...(v['data-dir'] ? { dataDir: v['data-dir'] } : {}),
      cwd: io.cwd,
      env: io.env,
    };
    const podcastFile = v.podcast ? await loadPodcastConfigFile(path.resolve(io.cwd, v.podcast)) : undefined;
    const today = io.today?.() ?? new Date().toISOString().slice(0, 10);
    const built = await buildRunInput(
      {
        ...(args.inputFile ? { inputFile: args.inputFile } : {}),
        ...(v['podcast-id'] || podcastFile ? { podcastId: v['podcast-id'] ?? podcastFile?.podcastId } : {}),
        ...(v.date ? { date: v.date } : {}),
        ...(v.title ? { title: v.title } : {}),
        ...(v['run-id'] ? { runId: v['run-id'] } : {}),
        // --local stores the file's config through the orchestrator's --podcast (relative feed
        // paths stay usable); a cloud run carries it in its input.
        ...(podcastFile && !args.local ? { podcast: podcastFile } : {}),
      },
      io.cwd,
      today
    );
    const decision = await decideMode(
      args,
      built.raw,
      built.parsed.podcast ?? podcastFile,
      built.parsed.podcastId,
      io,
      location
    );
    const input = withMode(built.raw, decision);
    const runId = built.runId;

    if (args.dryRun) {
      writeLine(
        io,
        JSON.stringify(
          { runId, mode: decision.mode, reason: decision.reason, input },
          null,
          args.json ? undefined : 2
        )
      );
      return 0;
    }
    if (!args.json) io.err(`run ${runId}: ${decision.mode} (${decision.reason})`);

    if (args.local) {
      const orchestratorArgs = ['--mode', decision.mode];
      if (v.podcast) orchestratorArgs.push('--podcast', v.podcast);
      if (v['data-dir']) orchestratorArgs.push('--data-dir', v['data-dir']);
      if (args.json) orchestratorArgs.push('--json');
      return await io.spawnOrchestrator(orchestratorArgs, { PIPELINE_INPUT: JSON.stringify(input) });
    }

    const stateMachineArn = checkStateMachineArn(v['state-machine-arn'] ?? io.env.STATE_MACHINE_ARN);
    const pollMs = v.poll ? parseDuration(v.poll, '--poll') : DEFAULT_POLL_MS;
    const timeoutMs = v.timeout ? parseDuration(v.timeout, '--timeout') : undefined;
    // Open the tables before starting, so a --wait without them fails before anything runs.
    if (args.wait) store = await io.openStore(location);
    const client = io.createSfnClient(arnRegion(stateMachineArn));
    const started = await startExecution(client, { stateMachineArn, name: runId, input });
    if (args.json)
      writeLine(
        io,
        JSON.stringify({ type: 'start', runId, mode: decision.mode, reason: decision.reason, ...started })
      );
    else if (started.outcome === 'started')
      writeLine(io, `started run ${runId}\nexecution ${started.executionArn}`);
    else
      writeLine(
        io,
        `run ${runId} already started: ${alreadyStartedHint(started)}\nexecution ${started.executionArn}`
      );
    if (!store) return 0;

    const reporter = new ProgressReporter(args.json ? 'json' : io.stdout.isTTY ? 'tty' : 'lines', io.stdout);
    const result = await followRun(store.persistence, runId, {
      onEvent: (event) => reporter.onEvent(event),
      pollMs,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(io.sleep ? { sleep: io.sleep } : {}),
      executionStatus: async () =>
        (await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).status,
    });
    reporter.stop();
    if (args.json) writeLine(io, JSON.stringify({ type: 'result', runId, ...result }));
    else writeLine(io, describeOutcome(runId, result));
    return outcomeExitCode(result);
  } catch (error) {
    io.err(`error: ${describeError(error).message}`);
    return error instanceof ValidationError ? 2 : 1;
  } finally {
    await store?.close();
  }
}
