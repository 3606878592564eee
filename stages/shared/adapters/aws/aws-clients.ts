/**
 * SDK clients for the composition roots (Lambda module scope, container main): built once per
 * process and injected into the adapters, never created inside a handler or an adapter.
 *
 * Local runs point the SDK at local servers through its own variables, AWS_ENDPOINT_URL_DYNAMODB
 * and AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL for both). They are read from the `env` passed in,
 * so a test can build clients for a local server without touching process.env; with an endpoint
 * set, the static credentials in that env (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) are used
 * too. Without an endpoint the SDK's default credential chain applies (Lambda role, ECS task role).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The region when none is configured: what local servers (dynalite, s3rver) expect. */
export const DEFAULT_REGION = 'us-east-1';

/**
 * How long a persistence request may wait on the network before it is abandoned as a TimeoutError,
 * which the SDK's standard retry sends again (at most 3 calls). Without them a connection that
 * stalls mid-request holds the unit until its plan timeout (DynamoDB's own default is an idle
 * socket of 5 minutes, S3 has none). Idle limits, not totals: a large MP3 upload that keeps
 * moving is never cut.
 */
export interface ClientTimeouts {
  /** Opening the TCP connection (in-region or on localhost it takes milliseconds). */
  connectionMs: number;
  /** No byte received on an open request for this long. */
  idleMs: number;
}

export const DYNAMO_TIMEOUTS: ClientTimeouts = { connectionMs: 3_000, idleMs: 10_000 };
export const S3_TIMEOUTS: ClientTimeouts = { connectionMs: 3_000, idleMs: 30_000 };

function requestHandler(timeouts: ClientTimeouts) {
  return { connectionTimeout: timeouts.connectionMs, socketTimeout: timeouts.idleMs };
}

export interface ClientSettings {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

type Service = 'DYNAMODB' | 'S3';

/** Region, endpoint and (for local endpoints) credentials for one service, from env. */
export function clientSettings(service: Service, env: NodeJS.ProcessEnv = process.env): ClientSettings {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || DEFAULT_REGION;
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL;
  if (!endpoint) return { region };
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return { region, endpoint };
  const sessionToken = env.AWS_SESSION_TOKEN;
  return {
    region,
    endpoint,
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
  };
}

/** A DynamoDB document client that drops undefined attributes (optional fields stay optional). */
export function createDynamoDocumentClient(
  env: NodeJS.ProcessEnv = process.env,
  timeouts: ClientTimeouts = DYNAMO_TIMEOUTS
): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    ...clientSettings('DYNAMODB', env),
    requestHandler: requestHandler(timeouts),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

/**
 * An S3 client. Checksums are computed only when an operation requires them: with the SDK's
 * newer default (a CRC32 trailer on every upload), s3rver stores a streamed body with its
 * aws-chunked framing as the object's content; S3 itself accepts both. A custom endpoint also means path-style addressing
 * (`http://host:port/bucket/key`), since local servers have no per-bucket host names.
 */
export function createS3Client(
  env: NodeJS.ProcessEnv = process.env,
  timeouts: ClientTimeouts = S3_TIMEOUTS
): S3Client {
  const settings = clientSettings('S3', env);
  return new S3Client({
    ...settings,
    requestHandler: requestHandler(timeouts),
    forcePathStyle: settings.endpoint !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
