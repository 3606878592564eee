/**
 * The edge endpoint: one port speaking the AWS wire protocols, as LocalStack's 4566 does, so
 * `AWS_ENDPOINT_URL=http://127.0.0.1:4566` (or `--endpoint-url`) reaches every service. Each
 * request is routed by its shape:
 * - `X-Amz-Target: DynamoDB_20120810.*` -> the embedded DynamoDB (dynalite), in this process;
 * - `X-Amz-Target: AWSStepFunctions.*` -> the Step Functions service (sfn-service.ts);
 * - `GET/HEAD <originPrefix>/...` -> the public origin (feeds and media, as the CDN serves them);
 * - `GET /_serve/health` -> what is running, for scripts and people;
 * - anything else -> S3 (s3rver), path or virtual-hosted style, signed with any key pair.
 * Requests are handed to the servers' own request listeners: no second hop, no copy of a body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SfnApiError } from '../stepfunctions/sfn-errors';
import type { SfnService } from '../stepfunctions/sfn-service';
import { readJsonBody, sendError, sendJson } from './aws-json';
import { accessDenied, isSigned, prepareS3Request } from './s3-requests';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface EdgeRoutes {
  dynamodb: RequestListener;
  s3: RequestListener;
  /** The access key the embedded S3 server knows (any caller's key is swapped for it). */
  s3AccessKeyId: string;
  sfn: SfnService;
  origin: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** The path prefix of the public origin, e.g. `/_origin`. */
  originPrefix: string;
  health: () => Record<string, unknown>;
  onError?: (message: string, detail: Record<string, unknown>) => void;
}

export type EdgeService = 'dynamodb' | 'stepfunctions' | 's3' | 'origin' | 'health' | 'unknown';

/** Requests served per service, and the time the edge itself spent routing them. */
export interface EdgeStats {
  requests: Record<EdgeService, number>;
  routingMicros: number;
}

const SFN_TARGET = 'AWSStepFunctions.';
const DYNAMODB_TARGET = 'DynamoDB_20120810.';
export const HEALTH_PATH = '/_serve/health';

export function routeOf(req: IncomingMessage, originPrefix: string): EdgeService {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    if (target.startsWith(DYNAMODB_TARGET)) return 'dynamodb';
    if (target.startsWith(SFN_TARGET)) return 'stepfunctions';
    return 'unknown';
  }
  const path = (req.url ?? '/').split('?')[0] as string;
  if (path === originPrefix || path.startsWith(`${originPrefix}/`)) return 'origin';
  if (path === HEALTH_PATH) return 'health';
  return 's3';
}

export interface EdgeServer {
  server: Server;
  stats: EdgeStats;
  /** Starts routing (until then every request is answered 503: `serve` is starting). */
  route(routes: EdgeRoutes): void;
}

/** The server is created (and can listen) before its routes exist: they need its port. */
export function createEdgeServer(): EdgeServer {
  const stats: EdgeStats = {
    requests: { dynamodb: 0, stepfunctions: 0, s3: 0, origin: 0, health: 0, unknown: 0 },
    routingMicros: 0,
  };
  let routes: EdgeRoutes | undefined;
  const server = createServer((req, res) => {
    if (!routes) {
      res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '1' });
      return res.end('serve is starting\n');
    }
    handle(req, res, routes, stats);
  });
  // The SDKs keep connections alive; a long idle keep-alive avoids reconnects between polls.
  server.keepAliveTimeout = 65_000;
  return {
    server,
    stats,
    route(table) {
      routes = table;
    },
  };
}

function handle(req: IncomingMessage, res: ServerResponse, routes: EdgeRoutes, stats: EdgeStats): void {
  {
    const began = process.hrtime.bigint();
    const service = routeOf(req, routes.originPrefix);
    stats.requests[service] += 1;
    const routed = () => {
      stats.routingMicros += Number(process.hrtime.bigint() - began) / 1000;
    };
    switch (service) {
      case 'dynamodb':
        routed();
        return routes.dynamodb(req, res);
      case 'stepfunctions':
        routed();
        // The JSON protocols are POST only (as AWS's endpoints answer them).
        if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
        return void stepFunctions(req, res, routes);
      case 'origin':
        routed();
        return void routes.origin(req, res).catch((error: unknown) => failed(res, routes, 'origin', error));
      case 'health':
        routed();
        if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
        return sendJson(res, 200, routes.health(), { 'Content-Type': 'application/json' });
      case 'unknown':
        routed();
        return sendError(
          res,
          new SfnApiError(
            'UnknownOperationException',
            `serve speaks DynamoDB, S3 and Step Functions; ${String(req.headers['x-amz-target'])} is none of them`
          )
        );
      case 's3': {
        const url = requestUrl(req);
        if (!url) {
          routed();
          return badRequest(res, 'the request has no valid Host header or URL');
        }
        if (!isSigned(req, url)) {
          routed();
          return accessDenied(res, url.pathname);
        }
        prepareS3Request(req, url, routes.s3AccessKeyId);
        routed();
        return routes.s3(req, res);
      }
    }
  }
}

async function stepFunctions(req: IncomingMessage, res: ServerResponse, routes: EdgeRoutes): Promise<void> {
  const action = String(req.headers['x-amz-target']).slice(SFN_TARGET.length);
  try {
    const request = await readJsonBody(req);
    const answer = await routes.sfn.call(action, request);
    sendJson(res, 200, answer ?? {});
  } catch (error) {
    if (!req.readableEnded) {
      // The body was refused part-read: the rest would be taken for the next request on this
      // connection, so the answer closes it.
      res.setHeader('Connection', 'close');
      const socket = req.socket;
      res.once('finish', () => socket?.destroy());
    }
    if (error instanceof SfnApiError) return sendError(res, error);
    failed(res, routes, `Step Functions ${action}`, error);
  }
}

/** The request's URL, or undefined when its Host header or target cannot make one (never a throw). */
function requestUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  } catch {
    return undefined;
  }
}

function badRequest(res: ServerResponse, message: string): void {
  res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
  res.end(`${message}\n`);
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8', Allow: allow });
  res.end(`method not allowed: ${allow} only\n`);
}

function failed(res: ServerResponse, routes: EdgeRoutes, what: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  routes.onError?.(`${what} failed`, { error: message });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(res, new SfnApiError('InternalFailure', `${what} failed: ${message}`));
}
