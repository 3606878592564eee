/**
 * Jest helper: the real local servers (dynalite + s3rver, in-process) in a fresh temp directory,
 * with SDK clients and the AWS adapters already pointed at them. `stop()` shuts everything down
 * and deletes the directory; `restart()` stops and starts again on the same directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { type LocalServers, startLocalServers } from '../../containers/orchestrator/local/local-servers';
import { createDynamoDocumentClient, createS3Client } from '../../stages/shared/adapters/aws/aws-clients';
import {
  type AwsPersistence,
  createAwsPersistence,
} from '../../stages/shared/adapters/aws/create-aws-persistence';

export interface TestServers {
  dataDir: string;
  servers: LocalServers;
  clients: { dynamo: DynamoDBDocumentClient; s3: S3Client };
  persistence: AwsPersistence;
  /** Stops the servers (keeping the data) and starts them again on the same directory. */
  restart(): Promise<TestServers>;
  /** Stops the servers and deletes the data directory. */
  stop(): Promise<void>;
}

async function start(dataDir: string): Promise<TestServers> {
  const servers = await startLocalServers({ dataDir, quiet: true });
  const clients = { dynamo: createDynamoDocumentClient(servers.env), s3: createS3Client(servers.env) };
  const halt = async () => {
    clients.dynamo.destroy();
    clients.s3.destroy();
    await servers.stop();
  };
  return {
    dataDir,
    servers,
    clients,
    persistence: createAwsPersistence(servers.env, clients),
    restart: async () => {
      await halt();
      return start(dataDir);
    },
    stop: async () => {
      await halt();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startTestServers(): Promise<TestServers> {
  return start(await mkdtemp(join(tmpdir(), 'podcast-platform-local-')));
}
