/**
 * `serve`: the platform on one machine. One process holds the embedded DynamoDB and S3 servers
 * (data under `--data-dir`, kept across restarts), the Step Functions service running the
 * committed state machine, and the edge endpoint in front of all of it plus the public origin.
 *
 * - In-process Lambda handlers use the embedded servers directly (this process's deps).
 * - Task processes (ECS stage tasks, the monolithic orchestrator) get the edge endpoint as
 *   AWS_ENDPOINT_URL: they reach DynamoDB, S3 and Step Functions the way a container reaches AWS.
 * - Podcasts without `publicBaseUrl` get the public origin (`<endpoint>/_origin/podcasts/<id>`).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createS3Client } from '../stages/shared/adapters/aws/aws-clients';
import { createAwsPersistence } from '../stages/shared/adapters/aws/create-aws-persistence';
import { providersFromEnv } from '../stages/shared/adapters/all-providers-from-env';
import { redactDeps, SecretRedactor } from '../stages/shared/adapters/cloud/secret-redaction';
import { fetchPolicyEnv, fetchPolicyFromEnv } from '../stages/shared/adapters/fetch/fetch-policy';
import { ENV } from '../stages/shared/env';
import type { Logger } from '../stages/shared/ports';
import type { StageDeps } from '../stages/shared/stage';
import { type LocalServers, startLocalServers } from '../containers/orchestrator/local/local-servers';
import { localFileRoots } from '../containers/orchestrator/local/local-file-roots';
import { createEdgeServer, type EdgeStats } from './edge/edge-server';
import { createPublicOrigin } from './origin/public-origin';
import { ExecutionStore } from './stepfunctions/execution-store';
import { LOCAL_REGION, localStateMachine } from './stepfunctions/local-state-machine';
import { SfnService } from './stepfunctions/sfn-service';
import { TaskTokens } from './stepfunctions/task-tokens';

export const DEFAULT_SERVE_PORT = 4566;
export const ORIGIN_PREFIX = '/_origin';
const HOST = '127.0.0.1';
/** Task processes sign with this pair: any pair works, as for every client of `serve`. */
const TASK_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'serve-task', AWS_SECRET_ACCESS_KEY: 'serve-task' };

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

export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const dataDir = path.resolve(options.cwd, options.dataDir);
  const servers = await startLocalServers({ dataDir, acceptAnySignature: true });
  const edge = createEdgeServer();
  try {
    const port = await listen(edge.server, options.port);
    const endpoint = `http://${HOST}:${port}`;
    const originUrl = `${endpoint}${ORIGIN_PREFIX}`;

    const fileRoots = await localFileRoots(dataDir, options.cwd, options.podcastFiles ?? []);
    const fetchPolicy = fetchPolicyFromEnv(options.env, {
      allowHosts: options.allowHosts ?? [],
      fileRoots,
      embedded: true,
    });
    const redactor = new SecretRedactor();
    const deps: StageDeps = redactDeps(
      {
        ...createAwsPersistence({ ...options.env, ...servers.env }),
        providers: providersFromEnv(options.env, redactor, fetchPolicy),
        clock: { now: () => new Date() },
        logger: options.logger,
        publicOrigin: originUrl,
      },
      redactor
    );
    const childEnv: NodeJS.ProcessEnv = {
      ...servers.env,
      ...TASK_CREDENTIALS,
      AWS_REGION: LOCAL_REGION,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ENDPOINT_URL_SFN: endpoint,
      [ENV.publicOrigin]: originUrl,
      ...fetchPolicyEnv(fetchPolicy),
    };

    const sfnDir = path.join(dataDir, 'stepfunctions');
    const machine = localStateMachine({ creationDate: await machineCreationDate(sfnDir) });
    const store = await ExecutionStore.open(path.join(sfnDir, 'executions'));
    for (const file of store.unreadable)
      options.logger.warn('an execution record could not be read; it is left out', { file });
    const tokens = new TaskTokens();
    const sfn = new SfnService({
      machine,
      store,
      tokens,
      deps,
      childEnv,
      logDir: path.join(dataDir, 'logs'),
    });
    const interrupted = await sfn.closeInterrupted(
      'serve stopped while this execution was running; continue it with RedriveExecution'
    );
    await options.storePodcasts?.(deps);

    edge.route({
      dynamodb: servers.dispatch.dynamodb,
      s3: servers.dispatch.s3,
      s3AccessKeyId: servers.credentials.accessKeyId,
      sfn,
      origin: createPublicOrigin({
        s3: createS3Client(servers.env),
        buckets: servers.bucketNames,
        pathPrefix: ORIGIN_PREFIX,
      }),
      originPrefix: ORIGIN_PREFIX,
      health: () => ({
        status: 'running',
        endpoint,
        stateMachineArn: machine.arn,
        originUrl,
        services: { dynamodb: 'running', s3: 'running', stepfunctions: 'running' },
        executions: { running: sfn.runningCount, total: store.list().length },
        requests: edge.stats.requests,
      }),
      onError: (message, detail) => options.logger.error(message, detail),
    });

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
      stats: edge.stats,
      tableNames: servers.tableNames,
      bucketNames: servers.bucketNames,
      directEndpoints: { ...servers.endpoints, s3Credentials: servers.credentials },
      async stop(reason) {
        if (stopped) return;
        stopped = true;
        await sfn.interruptAll(
          `serve stopped (${reason}) while this execution was running; continue it with RedriveExecution`
        );
        await store.flush();
        await close(edge.server);
        await servers.stop();
      },
    };
  } catch (error) {
    await close(edge.server).catch(() => undefined);
    await servers.stop().catch(() => undefined);
    throw error;
  }
}

/**
 * `<data-dir>/serve.env`: the variables that point the scripts and the orchestrator at this
 * `serve` (`set -a; . .data/serve.env; set +a`), as the stack's outputs point them at AWS.
 */
export const SERVE_ENV_FILE = 'serve.env';

async function writeServeEnv(dataDir: string, values: Record<string, string>): Promise<void> {
  const lines = Object.entries(values).map(([name, value]) => `${name}=${value}`);
  const file = path.join(dataDir, SERVE_ENV_FILE);
  await writeFile(
    `${file}.tmp`,
    `# written by npm run serve; load with: set -a; . ${file}; set +a\n${lines.join('\n')}\n`
  );
  await rename(`${file}.tmp`, file);
}

/** The state machine's creation date: the first `serve` on this data directory. */
async function machineCreationDate(dir: string): Promise<Date> {
  const file = path.join(dir, 'state-machine.json');
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { creationDate?: string };
    if (stored.creationDate && !Number.isNaN(Date.parse(stored.creationDate)))
      return new Date(stored.creationDate);
  } catch {
    // first start on this data directory
  }
  const now = new Date();
  await mkdir(dir, { recursive: true });
  await writeFile(file, `${JSON.stringify({ creationDate: now.toISOString() }, null, 2)}\n`);
  return now;
}

function listen(server: import('node:http').Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: import('node:http').Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
