/**
 * The orchestrator command: resolves where data lives (AWS from the environment, or embedded local
 * servers), reads the input, runs the pipeline in the chosen mode, reports, and maps the outcome
 * to an exit code (0 published, 1 run failed, 2 bad input). Never prints a stack trace on stdout.
 */
import path from 'node:path';
import { createAwsPersistence } from '../../../stages/shared/adapters/aws/create-aws-persistence';
import { redactDeps, SecretRedactor } from '../../../stages/shared/adapters/cloud/secret-redaction';
import { providersFromEnv } from '../../../stages/shared/adapters/register-runtime-deps';
import { ENV } from '../../../stages/shared/env';
import { describeError, ValidationError } from '../../../stages/shared/errors';
import { StderrLogger } from '../../../stages/shared/logger';
import { failRun } from '../../../stages/shared/run-lifecycle';
import type { StageDeps } from '../../../stages/shared/stage';
import { PipelineFailedError, runPipeline } from '../engine/pipeline-engine';
import { exportEpisode } from '../local/export-episode';
import { loadPodcastConfigFile } from '../local/podcast-config-file';
import { type CliArgs, parseCliArgs, USAGE } from './cli-args';
import { ObservedEventLog, ProgressReporter } from './progress-reporter';
import { readRunInput, type RunInputEnvelope } from './read-run-input';
import { runDistributedLocally } from './run-distributed';

export interface CommandIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: () => Promise<string | undefined>;
  /** Registers what to do on SIGTERM (the container's stop signal). */
  onTerminate?: (handler: () => Promise<void>) => void;
}

export async function runCommand(io: CommandIo): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(io.argv);
  } catch (error) {
    io.stderr.write(`error: ${describeError(error).message}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const logger = new StderrLogger(args.logLevel);
  const local = !io.env[ENV.mediaBucket];
  const servers = local ? await startEmbeddedServers(path.resolve(io.cwd, args.dataDir ?? io.env.PODCAST_PLATFORM_DATA_DIR ?? '.data')) : undefined;
  const awsEnv = servers ? { ...io.env, ...servers.env } : io.env;
  const persistence = createAwsPersistence(awsEnv);
  const style = args.json ? 'json' : io.stdout.isTTY ? 'tty' : 'lines';
  const reporter = new ProgressReporter(style, io.stdout);
  // Provider secrets never reach a log line, an event or the run record (the redaction guard).
  const redactor = new SecretRedactor();
  const deps: StageDeps = redactDeps(
    {
      ...persistence,
      events: new ObservedEventLog(persistence.events, (event) => reporter.onEvent(event)),
      providers: providersFromEnv(io.env, redactor),
      clock: { now: () => new Date() },
      logger,
    },
    redactor
  );
  let envelope: RunInputEnvelope | undefined;
  io.onTerminate?.(async () => {
    reporter.stop();
    if (envelope) {
      await failRun(envelope.runId, { stage: (await deps.runs.get(envelope.runId))?.currentStage ?? 'run', name: 'RunInterruptedError', message: 'the orchestrator was stopped (SIGTERM) before the run finished' }, deps);
    }
    await servers?.stop();
  });

  try {
    for (const file of args.podcastFiles) await deps.podcasts.put(await loadPodcastConfigFile(path.resolve(io.cwd, file)));
    envelope = args.resume ? await resumeEnvelope(args.resume, deps) : await readRunInput({ file: args.inputFile && path.resolve(io.cwd, args.inputFile), env: io.env, stdin: io.stdin });
    const started = Date.now();
    const result =
      args.mode === 'distributed'
        ? await runDistributedLocally(envelope, { deps, awsEnv, cwd: io.cwd })
        : await runPipeline({ runId: envelope.runId, podcastId: envelope.podcastId }, envelope.raw, { deps });
    reporter.stop();
    const run = await deps.runs.get(envelope.runId);
    const files = servers ? await exportEpisode(deps, envelope.podcastId, result.episode.episodeId, path.resolve(io.cwd, args.outputDir ?? 'output')) : [];
    const summary = { runId: envelope.runId, status: run?.status ?? 'succeeded', mode: args.mode, episodeId: result.episode.episodeId, guid: result.episode.guid, seconds: (Date.now() - started) / 1000, files: files.map((f) => path.relative(io.cwd, f.path)) };
    if (args.json) io.stdout.write(`${JSON.stringify({ type: 'result', ...summary })}\n`);
    else {
      io.stdout.write(`published ${envelope.podcastId} episode ${summary.episodeId} (run ${summary.runId}, ${args.mode}) in ${summary.seconds.toFixed(1)} s\n`);
      for (const f of files) io.stdout.write(`  ${path.relative(io.cwd, f.path).padEnd(48)} ${(f.bytes / 1024).toFixed(0).padStart(6)} KiB\n`);
    }
    return 0;
  } catch (error) {
    reporter.stop();
    if (error instanceof ValidationError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof PipelineFailedError) {
      io.stderr.write(`error: run ${envelope?.runId} failed at stage ${error.runError.stage}: ${error.runError.name}: ${error.runError.message}\n`);
      return 1;
    }
    const described = describeError(error);
    logger.error('unexpected failure', { error: described, stack: error instanceof Error ? error.stack : undefined });
    io.stderr.write(`error: ${described.name}: ${described.message}\n`);
    return 1;
  } finally {
    await servers?.stop();
  }
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
  if (run.status === 'succeeded') throw new ValidationError(`--resume: run "${runId}" already succeeded`, 'runId');
  return { raw: run.input as Record<string, unknown>, runId, podcastId: run.podcastId, source: `run ${runId}` };
}
