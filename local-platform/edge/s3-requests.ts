/**
 * S3 requests at the edge, before the embedded S3 server (s3rver) sees them:
 * - the buckets are private, as in the stack: a request without a signature is AccessDenied
 *   (the public origin is the only anonymous way in);
 * - any key pair is accepted: s3rver knows one access key, so the access key id in the
 *   signature (header or presigned query) is swapped for it (s3rver does not check V4 signatures
 *   and `serve` starts it accepting mismatched ones);
 * - virtual-hosted style (`<bucket>.localhost:4566`, what SDKs use for a `localhost` endpoint
 *   unless told path style) is turned into path style.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Whether the request carries AWS credentials (a SigV4/V2 Authorization header or a presigned URL). */
export function isSigned(req: IncomingMessage, url: URL): boolean {
  const query = url.searchParams;
  return (
    typeof req.headers.authorization === 'string' ||
    (query.has('X-Amz-Credential') && query.has('X-Amz-Signature')) ||
    (query.has('AWSAccessKeyId') && query.has('Signature'))
  );
}

/** Rewrites the request in place for s3rver. */
export function prepareS3Request(req: IncomingMessage, url: URL, accessKeyId: string): void {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    req.headers.authorization = auth
      .replace(/Credential=[^/,\s]+\//, `Credential=${accessKeyId}/`)
      .replace(/^AWS [^:\s]+:/, `AWS ${accessKeyId}:`);
  }
  let query = url.search;
  if (url.searchParams.has('X-Amz-Credential')) {
    const credential = url.searchParams.get('X-Amz-Credential') ?? '';
    url.searchParams.set('X-Amz-Credential', credential.replace(/^[^/]+\//, `${accessKeyId}/`));
    query = url.search;
  }
  if (url.searchParams.has('AWSAccessKeyId')) {
    url.searchParams.set('AWSAccessKeyId', accessKeyId);
    query = url.search;
  }
  const vhost = /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\.localhost$/.exec(url.hostname);
  // The path as sent: S3 keys are literal, so `.` and `..` segments must not be resolved away.
  const rawPath = (req.url ?? '/').split('?')[0] as string;
  const path = vhost ? `/${vhost[1]}${rawPath}` : rawPath;
  if (vhost) req.headers.host = `localhost${url.port ? `:${url.port}` : ''}`;
  req.url = `${path}${query}`;
}

export function accessDenied(res: ServerResponse, resource: string): void {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>' +
    '<Message>Access Denied: the buckets are private; sign the request (any key pair) or read published files from the public origin</Message>' +
    `<Resource>${escapeXml(resource)}</Resource></Error>`;
  res.writeHead(403, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
