/**
 * The AWS JSON 1.0 protocol's plumbing for the Step Functions endpoint: the request body (capped),
 * the answer, and errors as `{"__type", "message"}` with `x-amzn-ErrorType`, which the SDKs map
 * to exceptions of that name.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SfnApiError } from '../stepfunctions/sfn-errors';

const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** Larger than any valid request (inputs are capped at 256 KiB, JSON-escaped in the body). */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new SfnApiError('ValidationException', 'the request body is too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SfnApiError('SerializationException', 'the request body is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new SfnApiError('SerializationException', 'the request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: SfnApiError): void {
  sendJson(
    res,
    error.statusCode,
    { __type: error.code, message: error.message },
    { 'x-amzn-ErrorType': error.code }
  );
}
