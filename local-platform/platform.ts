/**
 * The platform over a set of embedded servers: the edge endpoint, the Step Functions service
 * running the committed state machine, and the public origin. `serve` builds it over servers it
 * starts and keeps running; the orchestrator's `--mode distributed` builds it over its own
 * embedded servers for one execution: one engine for both (DESIGN "Platform surfaces").
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { close, listen, type LocalServers } from '../containers/orchestrator/local/local-servers';
import { createS3Client } from '../stages/shared/adapters/aws/aws-clients';
import { type FetchPolicy, fetchPolicyEnv } from '../stages/shared/adapters/fetch/fetch-policy';
import { ENV } from '../stages/shared/env';
import type { Logger } from '../stages/shared/ports';
import type { StageDeps } from '../stages/shared/stage';
import { createEdgeServer, type EdgeStats } from './edge/edge-server';
import { createPublicOrigin } from './origin/public-origin';
import { ExecutionStore } from './stepfunctions/execution-store';
import { LOCAL_REGION, type LocalStateMachine, localStateMachine } from './stepfunctions/local-state-machine';
import { SfnService } from './stepfunctions/sfn-service';
import { TaskTokens } from './stepfunctions/task-tokens';

export const ORIGIN_PREFIX = '/_origin';
/** Where the embedded servers and the edge listen (local-servers.ts `listen`). */
const HOST = '127.0.0.1';
/** Task processes sign with this pair: any pair works, as for every client of the edge. */
const TASK_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'serve-task', AWS_SECRET_ACCESS_KEY: 'serve-task' };

export interface PlatformOptions {
  servers: LocalServers;
  /** Where executions, their histories and task logs are kept (`stepfunctions/`, `logs/`). */
  dataDir: string;
  port: number;
  logger: Logger;
  fetchPolicy: FetchPolicy;
  /** The in-process Lambdas' deps, given the public origin's URL. */
  deps: (originUrl: string) => StageDeps;
  /** Whether task processes default podcasts without publicBaseUrl to this origin (as the Lambdas do). */
  originIsPublic: boolean;
  /** Called when an ECS state ends, before the next state starts. */
  afterTask?: () => Promise<void>;
}

export interface Platform {
  endpoint: string;
  originUrl: string;
  machine: LocalStateMachine;
  store: ExecutionStore;
  sfn: SfnService;
  deps: StageDeps;
  stats: EdgeStats;
  /** Closes the edge (running executions are the caller's to end first). */
  close(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const { servers, logger } = options;
  const edge = createEdgeServer();
  const port = await listen(edge.server, options.port);
  try {
    const endpoint = `http://${HOST}:${port}`;
    const originUrl = `${endpoint}${ORIGIN_PREFIX}`;
    const deps = options.deps(originUrl);
    const childEnv: NodeJS.ProcessEnv = {
      ...servers.env,
      ...TASK_CREDENTIALS,
      AWS_REGION: LOCAL_REGION,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ENDPOINT_URL_SFN: endpoint,
      ...(options.originIsPublic ? { [ENV.publicOrigin]: originUrl } : {}),
      ...fetchPolicyEnv(options.fetchPolicy),
    };
    const sfnDir = path.join(options.dataDir, 'stepfunctions');
    const machine = localStateMachine({ creationDate: await machineCreationDate(sfnDir) });
    const store = await ExecutionStore.open(path.join(sfnDir, 'executions'));
    for (const file of store.unreadable)
      logger.warn('an execution record could not be read; it is left out', { file });
    const sfn = new SfnService({
      machine,
      store,
      tokens: new TaskTokens(),
      deps,
      childEnv,
      logDir: path.join(options.dataDir, 'logs'),
      ...(options.afterTask ? { afterTask: options.afterTask } : {}),
    });
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
      onError: (message, detail) => logger.error(message, detail),
    });
    return {
      endpoint,
      originUrl,
      machine,
      store,
      sfn,
      deps,
      stats: edge.stats,
      async close() {
        await store.flush();
        await close(edge.server);
      },
    };
  } catch (error) {
    await close(edge.server).catch(() => undefined);
    throw error;
  }
}

/** The state machine's creation date: the first start on this data directory. */
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
