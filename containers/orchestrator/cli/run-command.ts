/**
 * The orchestrator command: reads and checks everything it was given (command-inputs.ts) before
 * it writes anything, resolves where data lives (AWS from the environment, or embedded local
 * servers), runs the pipeline in the chosen mode, reports, and maps the outcome to an exit code
 * (0 published or skipped: nothing new to publish, run-result.ts; 1 run failed, 2 bad input;
 * unfinished-run.ts). Errors are one stderr line, never
 * a stack trace (that only in a debug log line).
 */
import { fetchPolicyEnv, fetchPolicyFromEnv } from '../../../stages/shared/adapters/fetch/fetch-policy';
import { createAwsPersistence } from '../../../stages/shared/adapters/aws/create-aws-persistence';
import { redactDeps, SecretRedactor } from '../../../stages/shared/adapters/cloud/secret-redaction';
import { providersFromEnv } from '../../../stages/shared/adapters/all-providers-from-env';
import { ENV, optionalEnv } from '../../../stages/shared/env';
import { describeError, RunInterruptedError, ValidationError } from '../../../stages/shared/errors';
import { settledWithin } from '../../../stages/shared/unit-cancellation';
import { StderrLogger } from '../../../stages/shared/logger';
import type { StageDeps } from '../../../stages/shared/stage';
import { MONOLITHIC_TASK_APPROVAL_REFUSAL } from '../engine/approval-gate';
import { runPipeline } from '../engine/pipeline-engine';
import { exportEpisode } from '../local/export-episode';
import { localFileRoots } from '../local/local-file-roots';
import { type CliArgs, parseCliArgs, USAGE } from './cli-args';
import { type PipelineOutcome, resultLines } from './run-result';
import { readCommandInputs } from './command-inputs';
import { errorLine, printable } from './error-line';
import { ObservedEventLog, ProgressReporter } from './progress-reporter';
import { PIPELINE_EXECUTION_ARN, type RunInputEnvelope } from './read-run-input';
import type { StopSignal } from './stop-signals';
import { interruptRun, reportFailure, type RunState } from './unfinished-run';

export interface CommandIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: () => Promise<string | undefined>;
  /** Reads a Step Functions execution's input (PIPELINE_EXECUTION_ARN: the monolithic task's input). */
  executionInput?: (executionArn: string) => Promise<string>;
  /** Registers what to do on SIGINT or SIGTERM (Ctrl-C; the container's stop signal). */
  onTerminate?: (handler: (signal: StopSignal) => Promise<void>) => void;
}

export async function runCommand(io: CommandIo): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(io.argv);
  } catch (error) {
    io.stderr.write(errorLine(describeError(error).message));
    return 2;
  }
  if (args.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const local = !io.env[ENV.mediaBucket];
  const style = args.json ? 'json' : io.stdout.isTTY ? 'tty' : 'lines';
  const reporter = new ProgressReporter(style, io.stdout);
  const state: RunState = { logger: new StderrLogger(args.logLevel) };
  // A stop signal aborts the running units too (ctx.signal: fetches, SDK calls, ffmpeg end; their
  // writes are refused), while the handler records the run as interrupted.
  // From the signal on, the stop handler owns the ending: the pipeline is aborted and given a
  // moment to stop writing, then the run is recorded, children ended, servers stopped, and the
  // process exits 130/143 (the normal failure path below stands aside).
  const stop = new AbortController();
  let running: Promise<unknown> | undefined;
  io.onTerminate?.(async (signal) => {
    state.stopping = true;
    stop.abort(new RunInterruptedError(`the orchestrator was stopped (${signal}) before the run finished`));
    await settledWithin(running, STOP_SETTLE_MS);
    reporter.stop();
    await interruptRun(signal, state);
    // Not an error line (the run did not fail by itself): what happened and how to go on.
    if (state.runId)
      io.stderr.write(
        `stopped: run ${printable(state.runId)} (${signal}); resume it with --resume ${printable(state.runId)}\n`
      );
  });

  try {
    const inputs = await readCommandInputs(args, io, local);
    const servers = inputs.folders ? await startEmbeddedServers(inputs.folders.dataDir) : undefined;
    if (inputs.folders) reporter.runsOptions = ` --data-dir ${shellWord(inputs.folders.dataDir)}`;
    state.servers = servers;
    // The fetch policy: the environment's allowances plus --allow-host; in the embedded mode the
    // folders of --podcast files (this run's and those the data dir remembers) are the only
    // places file: URLs may read from.
    const fileRoots = inputs.folders
      ? await localFileRoots(inputs.folders.dataDir, io.cwd, args.podcastFiles)
      : [];
    const fetchPolicy = fetchPolicyFromEnv(io.env, {
      allowHosts: args.allowHosts,
      fileRoots,
      embedded: local,
    });
    const awsEnv = servers ? { ...io.env, ...servers.env, ...fetchPolicyEnv(fetchPolicy) } : io.env;
    const persistence = createAwsPersistence(awsEnv);
    const observedEvents = new ObservedEventLog(persistence.events, (event) => reporter.onEvent(event));
    // Provider secrets never reach a log line, an event or the run record (the redaction guard).
    const redactor = new SecretRedactor();
    const deps: StageDeps = redactDeps(
      {
        ...persistence,
        events: observedEvents,
        providers: providersFromEnv(io.env, redactor, fetchPolicy),
        clock: { now: () => new Date() },
        logger: state.logger,
        // Where podcasts without their own publicBaseUrl are served (prepare resolves inline ones).
        publicOrigin: optionalEnv(ENV.publicOrigin, io.env),
      },
      redactor
    );
    state.deps = deps;

    for (const podcast of inputs.podcasts) await deps.podcasts.put(podcast);
    const envelope = inputs.envelope ?? (await resumeEnvelope(args.resume ?? '', deps));
    state.runId = envelope.runId;
    const started = Date.now();
    running =
      args.mode === 'distributed'
        ? runDistributed(envelope, {
            deps,
            servers: requireEmbedded(servers),
            dataDir: inputs.folders?.dataDir ?? '',
            fetchPolicy,
            signal: stop.signal,
            // The stage tasks (processes) write their events straight to the table: shown as they land.
            catchUpEvents: () => observedEvents.catchUp(envelope.runId),
          })
        : runPipeline({ runId: envelope.runId, podcastId: envelope.podcastId }, envelope.raw, {
            deps,
            signal: stop.signal,
            // The state machine's monolithic task: its TimeoutSeconds bounds the run, not a wait.
            ...(io.env[PIPELINE_EXECUTION_ARN] ? { approvalRefusal: MONOLITHIC_TASK_APPROVAL_REFUSAL } : {}),
          });
    const result = (await running) as PipelineOutcome;
    reporter.stop();
    const run = await deps.runs.get(envelope.runId);
    // A skipped run published nothing: there is no episode to export.
    const files =
      inputs.folders && result.episode
        ? await exportEpisode(deps, envelope.podcastId, result.episode.episodeId, inputs.folders.outputDir)
        : [];
    const lines = resultLines(
      {
        runId: envelope.runId,
        podcastId: envelope.podcastId,
        mode: args.mode,
        status: run?.status ?? (result.skipped ? 'skipped' : 'succeeded'),
        seconds: (Date.now() - started) / 1000,
        outcome: result,
        files,
        cwd: io.cwd,
      },
      args.json
    );
    for (const line of lines) io.stdout.write(line);
    return 0;
  } catch (error) {
    reporter.stop();
    // A stopped run's failure is the stop handler's to record and report.
    if (state.stopping) return 1;
    return await reportFailure(error, state, io.stderr);
  } finally {
    if (!state.stopping) await state.servers?.stop();
  }
}

/** `--mode distributed` runs the state machine on this machine, over the embedded servers. */
function requireEmbedded<T>(servers: T | undefined): T {
  if (!servers)
    throw new ValidationError(
      `--mode distributed runs the committed state machine on this machine, over the embedded local servers; with ${ENV.mediaBucket} set, start the run on the deployed state machine instead (npm run start-run)`,
      '--mode'
    );
  return servers;
}

/** How long a stop waits for the aborted pipeline to stop writing before it records the run. */
const STOP_SETTLE_MS = 5_000;

/**
 * `--mode distributed` runs the committed state machine with the local runner (a development
 * dependency): loaded only when asked for, so it is never in the production image's static graph.
 */
async function runDistributed(...args: Parameters<typeof import('./run-distributed').runDistributedLocally>) {
  let mod: typeof import('./run-distributed');
  try {
    mod = await import('./run-distributed');
  } catch (error) {
    throw new ValidationError(
      `--mode distributed runs the state machine locally and needs the development dependencies (${describeError(error).message}); run it from a full checkout`,
      '--mode'
    );
  }
  return mod.runDistributedLocally(...args);
}

/**
 * The embedded local servers are development dependencies: loaded only when there is no AWS
 * configuration, so the production image (production dependencies only) never needs them.
 */
async function startEmbeddedServers(dataDir: string) {
  let mod: typeof import('../local/local-servers');
  try {
    mod = await import('../local/local-servers');
  } catch (error) {
    throw new ValidationError(
      `no AWS configuration (${ENV.mediaBucket} is not set) and the embedded local servers are not installed (${describeError(error).message}); set the table and bucket variables or run from a full checkout`,
      ENV.mediaBucket
    );
  }
  return mod.startLocalServers({ dataDir });
}

async function resumeEnvelope(runId: string, deps: StageDeps): Promise<RunInputEnvelope> {
  const run = await deps.runs.get(runId);
  if (!run) throw new ValidationError(`--resume: no run "${runId}"`, 'runId');
  if (run.status === 'succeeded')
    throw new ValidationError(`--resume: run "${runId}" already succeeded`, 'runId');
  if (run.status === 'skipped')
    throw new ValidationError(
      `--resume: run "${runId}" was skipped (${run.skipped?.reason ?? 'nothing new to publish'}); nothing to resume`,
      'runId'
    );
  if (run.rejectedInput) {
    throw new ValidationError(
      `--resume: run "${runId}" was rejected (${run.error?.message ?? 'bad input'}); its input was not kept: start a new run with a fixed input`,
      'runId'
    );
  }
  return {
    raw: run.input as Record<string, unknown>,
    runId,
    podcastId: run.podcastId,
    source: `run ${runId}`,
  };
}

/** A path as one shell word (quoted when it holds anything but plain characters). */
function shellWord(value: string): string {
  return /^[\w./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
