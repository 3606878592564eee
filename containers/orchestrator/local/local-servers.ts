/**
 * Local stand-ins for DynamoDB and S3, run inside this Node process: dynalite (DynamoDB API on
 * LevelDB) and s3rver (S3 API on the file system). Both listen on 127.0.0.1, on a free port by
 * default, and keep their data under `dataDir` (`dynamodb/`, `s3/`), so a restart with the same
 * directory finds the tables, items and objects of the previous run.
 *
 * What the local servers do not do, and how the platform copes:
 * - dynalite has no TransactWriteItems (the adapters use conditional writes only) and no TTL API
 *   (tables are created without TTL; local events do not expire);
 * - s3rver only accepts requests signed with its built-in key pair S3RVER/S3RVER; it stores a
 *   streamed body sent with the SDK's default checksum trailer (aws-chunked framing) verbatim,
 *   so clients use requestChecksumCalculation WHEN_REQUIRED (aws-clients.ts); and it pages
 *   listings with DES tokens that OpenSSL 3 no longer has by default (legacy-des.ts, installed
 *   here, so nobody has to set NODE_OPTIONS).
 */
import { mkdir } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { DEFAULT_REGION } from '../../../stages/shared/adapters/aws/aws-clients';
import { ENV } from '../../../stages/shared/env';
import { lockDataDir } from './data-dir-lock';
import { publishRunningServers } from './running-servers';
import { ensureDesCipher } from './legacy-des';
import { ensureAtomicPut } from './s3rver-atomic-put';
import { ensureTables, localTableNames, type TableNames } from './local-tables';

export const DEFAULT_LOCAL_PREFIX = 'podcast-platform-local';
/** s3rver's built-in account; dynalite accepts any credentials. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
const HOST = '127.0.0.1';

export interface LocalServersOptions {
  /** Where the servers keep their data; created when missing. */
  dataDir: string;
  /** Silences s3rver's request log. @default true */
  quiet?: boolean;
  /** Table and bucket name prefix. @default 'podcast-platform-local' */
  namePrefix?: string;
  /** Fixed ports, e.g. to point another tool at the servers. @default 0 (a free port each) */
  ports?: { dynamodb?: number; s3?: number };
  /**
   * Accept S3 requests whose signature does not match the secret (`serve`'s edge swaps any
   * caller's access key for s3rver's). @default false
   */
  acceptAnySignature?: boolean;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface LocalServers {
  endpoints: { dynamodb: string; s3: string };
  tableNames: TableNames;
  bucketNames: { media: string; rss: string };
  credentials: typeof LOCAL_CREDENTIALS;
  region: string;
  /** ENV table/bucket names plus the AWS_* variables that point the SDK at these servers. */
  env: Record<string, string>;
  /** Tables this start created (empty on a restart with the same dataDir). */
  createdTables: string[];
  /** Wall-clock time the start took, tables included. */
  startupMs: number;
  /** Hands a request to a server's own request listener, in this process (the edge endpoint). */
  dispatch: { dynamodb: RequestListener; s3: RequestListener };
  /** Stops both servers and closes the LevelDB store; safe to call twice. */
  stop(): Promise<void>;
}

/** Listens on 127.0.0.1 (port 0: a free one) and resolves the port. */
export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

/** Closes the server, its kept-alive connections too; at once when it is not listening. */
export function close(server: Server): Promise<void> {
  return new Promise((resolveClose, reject) => {
    if (!server.listening) return resolveClose();
    server.close((error) => (error ? reject(error) : resolveClose()));
    // SDK clients keep sockets alive; without this, close() waits for them to time out.
    server.closeAllConnections();
  });
}

export async function startLocalServers(options: LocalServersOptions): Promise<LocalServers> {
  const started = Date.now();
  const dataDir = resolve(options.dataDir);
  const prefix = options.namePrefix ?? DEFAULT_LOCAL_PREFIX;
  const tableNames = localTableNames(prefix);
  const bucketNames = { media: `${prefix}-media`, rss: `${prefix}-rss` };
  await Promise.all([
    mkdir(resolve(dataDir, 'dynamodb'), { recursive: true }),
    mkdir(resolve(dataDir, 's3'), { recursive: true }),
  ]);
  const unlock = await lockDataDir(dataDir);
  let dynamo: Server;
  let s3: S3rver;
  try {
    ensureDesCipher();
    ensureAtomicPut();
    dynamo = dynalite({
      path: resolve(dataDir, 'dynamodb'),
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    });
    s3 = new S3rver({
      address: HOST,
      port: options.ports?.s3 ?? 0,
      silent: options.quiet ?? true,
      allowMismatchedSignatures: options.acceptAnySignature ?? false,
      directory: resolve(dataDir, 's3'),
      // Created on start when missing, straight in s3rver's store.
      configureBuckets: [{ name: bucketNames.media }, { name: bucketNames.rss }],
    });
  } catch (error) {
    await unlock();
    throw error;
  }
  let stopped = false;
  let unpublish: () => Promise<void> = async () => undefined;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try {
      await unpublish();
      await Promise.all([close(dynamo), s3.httpServer?.listening ? closeS3(s3) : undefined]);
    } finally {
      await unlock();
    }
  };

  try {
    const [dynamoPort, s3Address] = await Promise.all([
      listen(dynamo, options.ports?.dynamodb ?? 0),
      s3.run(),
    ]);
    const endpoints = { dynamodb: `http://${HOST}:${dynamoPort}`, s3: `http://${HOST}:${s3Address.port}` };
    const admin = new DynamoDBClient({
      region: DEFAULT_REGION,
      endpoint: endpoints.dynamodb,
      credentials: LOCAL_CREDENTIALS,
    });
    let createdTables: string[];
    try {
      createdTables = await ensureTables(admin, tableNames);
    } finally {
      admin.destroy();
    }
    const env: Record<string, string> = {
      [ENV.podcastsTable]: tableNames.podcasts,
      [ENV.runsTable]: tableNames.runs,
      [ENV.eventsTable]: tableNames.events,
      [ENV.episodesTable]: tableNames.episodes,
      [ENV.mediaBucket]: bucketNames.media,
      [ENV.rssBucket]: bucketNames.rss,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_REGION: DEFAULT_REGION,
    };
    // Operator commands (runs approve while a run waits) join these servers instead of the lock.
    unpublish = await publishRunningServers(dataDir, env);
    return {
      endpoints,
      tableNames,
      bucketNames,
      credentials: LOCAL_CREDENTIALS,
      region: DEFAULT_REGION,
      env,
      createdTables,
      startupMs: Date.now() - started,
      dispatch: {
        dynamodb: (req, res) => dynamo.emit('request', req, res),
        s3: (req, res) => s3.httpServer?.emit('request', req, res),
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

async function closeS3(s3: S3rver): Promise<void> {
  const closing = s3.close();
  s3.httpServer?.closeAllConnections();
  await closing;
}
