/**
 * `serve`: the platform on one machine. One process holds the embedded DynamoDB and S3 servers
 * (data under `--data-dir`, kept across restarts) and the platform over them (platform.ts): the
 * Step Functions service running the committed state machine, and the edge endpoint in front of
 * all of it plus the public origin.
 *
 * - In-process Lambda handlers use the embedded servers directly (this process's deps).
 * - Task processes (ECS stage tasks, the monolithic orchestrator) get the edge endpoint as
 *   AWS_ENDPOINT_URL: they reach DynamoDB, S3 and Step Functions the way a container reaches AWS.
 * - Podcasts without `publicBaseUrl` get the public origin (`<endpoint>/_origin/podcasts/<id>`).
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type LocalServers, startLocalServers } from '../containers/orchestrator/local/local-servers';
import { localFileRoots } from '../containers/orchestrator/local/local-file-roots';
import { createAwsPersistence } from '../stages/shared/adapters/aws/create-aws-persistence';
import { providersFromEnv } from '../stages/shared/adapters/all-providers-from-env';
import { redactDeps, SecretRedactor } from '../stages/shared/adapters/cloud/secret-redaction';
import { fetchPolicyFromEnv } from '../stages/shared/adapters/fetch/fetch-policy';
import { ENV } from '../stages/shared/env';
import type { Logger } from '../stages/shared/ports';
import type { StageDeps } from '../stages/shared/stage';
import type { EdgeStats } from './edge/edge-server';
import { ORIGIN_PREFIX, startPlatform } from './platform';
import { LOCAL_REGION } from './stepfunctions/local-state-machine';

export { ORIGIN_PREFIX };
export const DEFAULT_SERVE_PORT = 4566;

export interface ServeOptions {
  port: number;
  dataDir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** `HOST:PORT` pairs the fetch policy opens (a test feed server on this machine). */
  allowHosts?: readonly string[];
  /** Podcast config files stored on start (their folders become `file:` roots). */
  podcastFiles?: readonly string[];
  /** Stores the podcast configs the caller loaded from `podcastFiles`, once deps exist. */
  storePodcasts?: (deps: StageDeps) => Promise<void>;
}

export interface RunningServe {
  endpoint: string;
  stateMachineArn: string;
  originUrl: string;
  dataDir: string;
  /** Executions a previous `serve` left running, now FAILED. */
  interrupted: string[];
  stats: EdgeStats;
  tableNames: LocalServers['tableNames'];
  bucketNames: LocalServers['bucketNames'];
  /** The embedded servers' own ports (behind the edge; for measuring what the edge adds). */
  directEndpoints: LocalServers['endpoints'] & { s3Credentials: LocalServers['credentials'] };
  stop(reason: string): Promise<void>;
}

/**
 * `<data-dir>/serve.env`: the variables that point the scripts and the orchestrator at this
 * `serve` (`set -a; . .data/serve.env; set +a`), as the stack's outputs point them at AWS.
 */
export const SERVE_ENV_FILE = 'serve.env';

export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const dataDir = path.resolve(options.cwd, options.dataDir);
  const servers = await startLocalServers({ dataDir, acceptAnySignature: true });
  try {
    const fileRoots = await localFileRoots(dataDir, options.cwd, options.podcastFiles ?? []);
    const fetchPolicy = fetchPolicyFromEnv(options.env, {
      allowHosts: options.allowHosts ?? [],
      fileRoots,
      embedded: true,
    });
    const redactor = new SecretRedactor();
    const platform = await startPlatform({
      servers,
      dataDir,
      port: options.port,
      logger: options.logger,
      fetchPolicy,
      originIsPublic: true,
      deps: (originUrl) =>
        redactDeps(
          {
            ...createAwsPersistence({ ...options.env, ...servers.env }),
            providers: providersFromEnv(options.env, redactor, fetchPolicy),
            clock: { now: () => new Date() },
            logger: options.logger,
            publicOrigin: originUrl,
          },
          redactor
        ),
    });
    const { endpoint, originUrl, machine, sfn } = platform;
    const interrupted = await sfn.closeInterrupted(
      'serve stopped while this execution was running; continue it with RedriveExecution'
    );
    await options.storePodcasts?.(platform.deps);
    await writeServeEnv(dataDir, {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      STATE_MACHINE_ARN: machine.arn,
      [ENV.podcastsTable]: servers.tableNames.podcasts,
      [ENV.runsTable]: servers.tableNames.runs,
      [ENV.eventsTable]: servers.tableNames.events,
      [ENV.episodesTable]: servers.tableNames.episodes,
      [ENV.mediaBucket]: servers.bucketNames.media,
      [ENV.rssBucket]: servers.bucketNames.rss,
      [ENV.publicOrigin]: originUrl,
    });

    let stopped = false;
    return {
      endpoint,
      stateMachineArn: machine.arn,
      originUrl,
      dataDir,
      interrupted,
      stats: platform.stats,
      tableNames: servers.tableNames,
      bucketNames: servers.bucketNames,
      directEndpoints: { ...servers.endpoints, s3Credentials: servers.credentials },
      async stop(reason) {
        if (stopped) return;
        stopped = true;
        await sfn.interruptAll(
          `serve stopped (${reason}) while this execution was running; continue it with RedriveExecution`
        );
        await platform.close();
        await servers.stop();
      },
    };
  } catch (error) {
    await servers.stop().catch(() => undefined);
    throw error;
  }
}

async function writeServeEnv(dataDir: string, values: Record<string, string>): Promise<void> {
  const lines = Object.entries(values).map(([name, value]) => `${name}=${value}`);
  const file = path.join(dataDir, SERVE_ENV_FILE);
  await writeFile(
    `${file}.tmp`,
    `# written by npm run serve; load with: set -a; . ${file}; set +a\n${lines.join('\n')}\n`
  );
  await rename(`${file}.tmp`, file);
}
