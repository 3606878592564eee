/**
 * The `serve` command: flags, the podcasts to store on start, the one ready line, and a clean stop
 * on SIGINT/SIGTERM (running executions end FAILED with the reason, and can be redriven after the
 * next start). Errors are one `error:` line and exit 2 (bad flags or files) or 1.
 */
import path from 'node:path';
import { checkFolderArg } from '../containers/orchestrator/cli/preflight';
import { loadPodcastConfigFile } from '../containers/orchestrator/local/podcast-config-file';
import { parseAllowHost } from '../stages/shared/adapters/fetch/fetch-policy';
import { describeError, ValidationError } from '../stages/shared/errors';
import { type LogLevel, StderrLogger } from '../stages/shared/logger';
import { resolvePublicBaseUrl } from '../stages/shared/public-urls';
import { oneOf, parseFlags, positiveInt } from '../scripts/lib/cli-flags';
import { DEFAULT_SERVE_PORT, type RunningServe, startServe } from './serve';

export const SERVE_USAGE = `usage: npm run serve -- [options]

The platform on this machine: one endpoint speaking the AWS wire protocols for DynamoDB, S3 and
Step Functions (the committed state machine, Lambda states in this process, ECS tasks as
processes), and the public origin that serves feeds and media as the CDN does.

  --port <n>              the edge endpoint's port on 127.0.0.1 (default ${DEFAULT_SERVE_PORT}; 0 picks a free one)
  --data-dir <dir>        tables, buckets, executions and task logs (default .data; kept across restarts)
  --podcast <file>        store this podcast config on start (repeatable); its folder may be read
                          through file: feed URLs
  --allow-host HOST:PORT  let sources be fetched from this loopback/private host:port (repeatable)
  --log-level <level>     debug | info | warn | error (default warn; logs go to stderr)
  -h, --help              this text

Point any AWS client at it with any key pair:
  export AWS_ENDPOINT_URL=http://127.0.0.1:${DEFAULT_SERVE_PORT} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1
  aws stepfunctions list-state-machines        (AWS CLI v2.13+, or --endpoint-url on older ones)`;

export interface ServeArgs {
  help: boolean;
  port: number;
  dataDir: string;
  podcastFiles: string[];
  allowHosts: string[];
  logLevel: LogLevel;
}

export function parseServeArgs(argv: readonly string[]): ServeArgs {
  const flags = parseFlags(argv, {
    values: ['port', 'data-dir', 'log-level'],
    repeatable: ['podcast', 'allow-host'],
    switches: ['help'],
    aliases: { h: 'help' },
  });
  if (flags.positionals.length > 0)
    throw new ValidationError(`unexpected argument "${flags.positionals[0]}" (see --help)`, 'arguments');
  const rawPort = flags.values.port;
  if (rawPort !== undefined && !/^\d{1,5}$/.test(rawPort))
    throw new ValidationError(`--port must be a port number (0-65535), not "${rawPort}"`, '--port');
  const port = positiveInt(rawPort, '--port', 0) ?? DEFAULT_SERVE_PORT;
  if (port > 65535) throw new ValidationError(`--port must be at most 65535, not ${port}`, '--port');
  const dataDir = flags.values['data-dir'] ?? '.data';
  if (!dataDir.trim()) throw new ValidationError('--data-dir must not be empty', '--data-dir');
  return {
    help: flags.switches.has('help'),
    port,
    dataDir,
    podcastFiles: flags.lists.podcast ?? [],
    allowHosts: (flags.lists['allow-host'] ?? []).map((entry) => parseAllowHost(entry, '--allow-host')),
    logLevel:
      oneOf(flags.values['log-level'], ['debug', 'info', 'warn', 'error'] as const, '--log-level') ?? 'warn',
  };
}

export interface ServeIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Registers the stop handler for SIGINT/SIGTERM. */
  onStop: (handler: (signal: string) => Promise<void>) => void;
}

/** Resolves with the exit code once `serve` has stopped (or could not start). */
export async function serveCommand(io: ServeIo): Promise<number> {
  let args: ServeArgs;
  let podcasts: Awaited<ReturnType<typeof loadPodcastConfigFile>>[];
  try {
    args = parseServeArgs(io.argv);
    if (args.help) {
      io.out(SERVE_USAGE);
      return 0;
    }
    await checkFolderArg(path.resolve(io.cwd, args.dataDir), '--data-dir');
    podcasts = [];
    for (const file of args.podcastFiles)
      podcasts.push(await loadPodcastConfigFile(path.resolve(io.cwd, file)));
  } catch (error) {
    io.err(`error: ${describeError(error).message}`);
    return 2;
  }
  let serve: RunningServe;
  try {
    serve = await startServe({
      port: args.port,
      dataDir: args.dataDir,
      cwd: io.cwd,
      env: io.env,
      logger: new StderrLogger(args.logLevel),
      allowHosts: args.allowHosts,
      podcastFiles: args.podcastFiles,
      storePodcasts: async (deps) => {
        for (const podcast of podcasts)
          await deps.podcasts.put(
            resolvePublicBaseUrl(podcast, deps.publicOrigin, `podcast ${podcast.podcastId}`)
          );
      },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      io.err(
        `error: port ${args.port} on 127.0.0.1 is in use (another serve, or LocalStack?): stop it or pass --port <n>`
      );
      return 1;
    }
    const { name, message } = describeError(error);
    io.err(`error: ${name === 'ValidationError' ? '' : `${name}: `}${message}`);
    return name === 'ValidationError' ? 2 : 1;
  }
  const stopped = new Promise<void>((resolve) =>
    io.onStop(async (signal) => {
      io.err(`serve: stopping (${signal})`);
      await serve.stop(signal);
      io.err('serve: stopped');
      resolve();
    })
  );
  for (const name of serve.interrupted)
    io.err(
      `serve: execution ${name} was running when serve last stopped; it is FAILED now (redrive it to continue)`
    );
  io.out(
    `serve ready: endpoint ${serve.endpoint} state machine ${serve.stateMachineArn} origin ${serve.originUrl} data ${displayPath(io.cwd, serve.dataDir)}`
  );
  await stopped;
  return 0;
}

/** The data directory as the user would write it: relative under the working directory, else absolute. */
function displayPath(cwd: string, dir: string): string {
  const relative = path.relative(cwd, dir);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative;
}
