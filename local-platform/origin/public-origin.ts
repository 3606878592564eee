/**
 * The local platform's public origin: what the CloudFront distribution in front of the two
 * private buckets serves, answered from the (local) S3 server through the SDK. A podcast's
 * `publicBaseUrl` points at `<pathPrefix>/podcasts/<podcastId>` here, so the URLs the pipeline
 * writes into feeds resolve exactly as they would on the CDN (origin-path.ts has the mapping).
 *
 * Per request: HeadObject for size and validators, then the conditional headers (304/412), then
 * the Range (206/416, byte-range.ts), then GetObject, with an explicit `Range: bytes=a-b` when a
 * range applies and `If-Match` on the ETag just read, streamed to the client and never buffered.
 * A feed is gzipped for clients that accept it (as CloudFront compresses), media never is.
 *
 * Failure handling: a missing object is a plain-text 404 (no S3 XML); any other S3 error a 502
 * with a one-line reason. A client that goes away cancels the S3 calls and destroys the S3 body
 * stream; the returned promise always resolves, so a server can call the handler bare.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  contentRange,
  decideRange,
  ifRangeAllows,
  rangeLength,
  s3Range,
  unsatisfiedContentRange,
} from './byte-range';
import { evaluateConditionals, quoteEtag } from './conditional-request';
import {
  acceptsGzip,
  commonHeaders,
  COMPRESSIBLE_SIZE,
  contentTypeFor,
  ERROR_CACHE_CONTROL,
  objectHeaders,
  weakEtag,
} from './origin-headers';
import { normalizePathPrefix, type OriginTarget, resolveOriginPath } from './origin-path';

export interface PublicOriginOptions {
  s3: S3Client;
  /** The private buckets behind the CDN. */
  buckets: { media: string; rss: string };
  /** Where the origin is mounted, e.g. `/_origin`; requests are expected to start with it. */
  pathPrefix: string;
  /** Told about 502s and streams that broke on the S3 side. @default nothing is reported */
  onError?: (message: string, fields: Record<string, unknown>) => void;
}

export type PublicOriginHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Aborted when the client goes away: cancels pending S3 calls. */
  readonly signal: AbortSignal;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  416: 'Range Not Satisfiable',
  502: 'Bad Gateway',
};

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function s3Status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'NotFound' || name === 'NoSuchKey' || s3Status(error) === 404;
}

/** A short plain-text answer; a response already under way is cut off instead. */
function sendText(exchange: Exchange, status: number, extra: OutgoingHttpHeaders = {}, text?: string): void {
  const { res } = exchange;
  if (res.destroyed) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `${text ?? STATUS_TEXT[status] ?? 'Error'}\n`;
  res.writeHead(status, {
    ...commonHeaders(),
    ...extra,
    'Cache-Control': ERROR_CACHE_CONTROL,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(exchange.req.method === 'HEAD' ? undefined : body);
}

/** Passes on exactly `limit` bytes (S3 servers that send more are cut; fewer is an error). */
function takeBytes(limit: number) {
  return async function* take(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
    let remaining = limit;
    if (remaining === 0) return;
    for await (const chunk of source) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (bytes.length >= remaining) {
        yield bytes.subarray(0, remaining);
        return; // ends the loop, which destroys the S3 body
      }
      remaining -= bytes.length;
      yield bytes;
    }
    throw new Error(`S3 body ended ${remaining} bytes short`);
  };
}

/** The first byte an S3 GetObject answer starts at (its Content-Range, else 0). */
function bodyStart(contentRangeHeader: string | undefined): number {
  const match = /^bytes (\d+)-/.exec(contentRangeHeader ?? '');
  return match ? Number(match[1]) : 0;
}

export function createPublicOrigin(options: PublicOriginOptions): PublicOriginHandler {
  const { s3, buckets } = options;
  const pathPrefix = normalizePathPrefix(options.pathPrefix);
  const report = (message: string, fields: Record<string, unknown>) => options.onError?.(message, fields);

  function s3Failure(exchange: Exchange, target: OriginTarget, error: unknown): void {
    if (exchange.signal.aborted) return; // the client left; nobody to answer
    if (isNotFound(error)) return sendText(exchange, 404);
    const name = (error as { name?: string } | undefined)?.name ?? 'Error';
    report('S3 request failed', { key: target.key, error: name, status: s3Status(error) });
    sendText(exchange, 502, {}, `Bad Gateway: the object store answered ${name}`);
  }

  async function serveObject(exchange: Exchange, target: OriginTarget, attempt: number): Promise<void> {
    const { req, res, signal } = exchange;
    const bucket = buckets[target.bucket];
    let head;
    try {
      head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: target.key }), {
        abortSignal: signal,
      });
    } catch (error) {
      return s3Failure(exchange, target, error);
    }
    const size = head.ContentLength ?? 0;
    const etag = quoteEtag(head.ETag);
    const validators = { etag, lastModified: head.LastModified };
    const rangeHeader = header(req, 'range');
    const gzip =
      target.isFeed &&
      rangeHeader === undefined &&
      !head.ContentEncoding &&
      acceptsGzip(header(req, 'accept-encoding')) &&
      size >= COMPRESSIBLE_SIZE.min &&
      size <= COMPRESSIBLE_SIZE.max;
    const headers = objectHeaders(
      target,
      { ...validators, etag: gzip ? weakEtag(etag) : etag },
      head.CacheControl
    );

    const outcome = evaluateConditionals(
      {
        ifMatch: header(req, 'if-match'),
        ifNoneMatch: header(req, 'if-none-match'),
        ifModifiedSince: header(req, 'if-modified-since'),
        ifUnmodifiedSince: header(req, 'if-unmodified-since'),
      },
      validators
    );
    if (outcome === 'not-modified') {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    if (outcome === 'precondition-failed') return sendText(exchange, 412, headers);

    const decision = ifRangeAllows(header(req, 'if-range'), validators)
      ? decideRange(rangeHeader, size)
      : ({ kind: 'full' } as const);
    if (decision.kind === 'unsatisfiable') {
      return sendText(exchange, 416, { ...headers, 'Content-Range': unsatisfiedContentRange(size) });
    }
    const range = decision.kind === 'partial' ? decision.range : undefined;
    const length = range ? rangeLength(range) : size;
    const status = range ? 206 : 200;
    const out: OutgoingHttpHeaders = {
      ...headers,
      'Content-Type': contentTypeFor(target, head.ContentType),
      ...(head.ContentDisposition ? { 'Content-Disposition': head.ContentDisposition } : {}),
      ...(head.ContentLanguage ? { 'Content-Language': head.ContentLanguage } : {}),
      ...(head.ContentEncoding ? { 'Content-Encoding': head.ContentEncoding } : {}),
      ...(range ? { 'Content-Range': contentRange(range, size) } : {}),
      ...(gzip ? { 'Content-Encoding': 'gzip' } : { 'Content-Length': length }),
    };
    if (req.method === 'HEAD' || length === 0) {
      res.writeHead(status, out);
      res.end();
      return;
    }

    let body: Readable;
    try {
      const got = await s3.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: target.key,
          ...(etag ? { IfMatch: etag } : {}),
          ...(range ? { Range: s3Range(range) } : {}),
        }),
        { abortSignal: signal }
      );
      if (!(got.Body instanceof Readable)) throw new Error('S3 body is not a Node stream');
      body = got.Body;
      if (bodyStart(got.ContentRange) !== (range?.start ?? 0) || (got.ContentLength ?? 0) < length) {
        body.destroy();
        report('S3 answered another byte range', { key: target.key, asked: range, got: got.ContentRange });
        return sendText(exchange, 502, {}, 'Bad Gateway: the object store answered another byte range');
      }
    } catch (error) {
      // 412: the object was replaced between HeadObject and GetObject; start over once.
      if (s3Status(error) === 412 && attempt === 0 && !signal.aborted) {
        return serveObject(exchange, target, attempt + 1);
      }
      return s3Failure(exchange, target, error);
    }

    res.writeHead(status, out);
    try {
      if (gzip) await pipeline(body, takeBytes(length), createGzip(), res);
      else await pipeline(body, takeBytes(length), res);
    } catch (error) {
      // pipeline destroyed every stream; a client that left is not an error worth reporting.
      body.destroy();
      if (!signal.aborted) report('streaming the object failed', { key: target.key, error: String(error) });
    }
  }

  return async (req, res) => {
    const controller = new AbortController();
    const onClose = () => controller.abort();
    res.once('close', onClose);
    const exchange: Exchange = { req, res, signal: controller.signal };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return sendText(exchange, 405, { Allow: 'GET, HEAD' });
      }
      const resolved = resolveOriginPath(req.url ?? '', pathPrefix);
      if (!resolved.ok) return sendText(exchange, resolved.status);
      await serveObject(exchange, resolved.target, 0);
    } catch (error) {
      report('public origin failed', { url: req.url, error: String(error) });
      sendText(exchange, 502, {}, 'Bad Gateway: the origin failed');
    } finally {
      res.off('close', onClose);
    }
  };
}
