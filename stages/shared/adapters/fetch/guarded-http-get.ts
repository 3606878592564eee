/**
 * One GET under the fetch policy, on node:http(s) so that every decision is ours: the host name
 * is resolved by a guarded lookup and the connection goes to an address that passed the check
 * (no DNS-rebinding gap), the connected socket's remote address is checked once more, redirects
 * are followed by hand with every hop checked again, bodies are decompressed here and capped on
 * the bytes actually read, and one deadline covers the whole fetch.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage, STATUS_CODES } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { FatalStageError, RetryableStageError } from '../../errors';
import { type FetchPolicy, isAllowedHost, refusedUrlReason } from './fetch-policy';
import { blockedAddressReason, metadataAddressReason } from './ip-address';

export interface GuardedResponse {
  /** The URL of the last hop (after redirects). */
  url: string;
  contentType?: string;
  body: Buffer;
}

export interface GuardedGetOptions {
  headers: Record<string, string>;
  signal?: AbortSignal;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A fetch the policy refused: never retried, always named. */
export function blocked(url: string, reason: string): FatalStageError {
  return new FatalStageError(`GET ${url} blocked by the fetch policy: ${reason}`);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number
) => void;

type AddressCheck = (address: string) => string | undefined;

/** dns.lookup that only ever hands over addresses `check` accepts. */
const guardedLookup =
  (check: AddressCheck) =>
  (
    hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: LookupCallback
  ): void => {
    dnsLookup(
      hostname,
      { all: true, ...(typeof options.family === 'number' ? { family: options.family } : {}) },
      (error, addresses) => {
        if (error) return callback(error, []);
        const allowed = addresses.filter((a) => !check(a.address));
        if (allowed.length === 0) {
          const reason = addresses.map((a) => check(a.address)).join('; ') || 'no address';
          const refusal = Object.assign(
            new Error(`${hostname} resolves only to refused addresses (${reason})`),
            { code: 'EADDRBLOCKED' }
          );
          return callback(refusal, []);
        }
        if (options.all) return callback(null, allowed);
        const first = allowed[0] as LookupAddress;
        callback(null, first.address, first.family);
      }
    );
  };

export async function guardedGet(
  startUrl: string,
  policy: FetchPolicy,
  options: GuardedGetOptions
): Promise<GuardedResponse> {
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const signal = AbortSignal.any([deadline, ...(options.signal ? [options.signal] : [])]);
  const state: FetchState = { policy, signal, deadline, startUrl };
  let current = startUrl;
  for (let hop = 0; ; hop++) {
    const url = new URL(current);
    const refused = refusedUrlReason(url, policy);
    if (refused) throw blocked(current, refused);
    const response = await request(url, options.headers, state);
    const location = response.headers.location;
    if (REDIRECTS.has(response.statusCode ?? 0) && location) {
      response.destroy();
      if (hop >= policy.maxRedirects)
        throw new FatalStageError(`GET ${startUrl}: more than ${policy.maxRedirects} redirects`);
      try {
        current = new URL(location, url).href;
      } catch {
        throw new FatalStageError(`GET ${current}: redirect to an invalid URL`);
      }
      continue;
    }
    const status = response.statusCode ?? 0;
    if (status === 429 || status >= 500 || status < 200 || status >= 300) {
      response.destroy();
      // The standard reason only: the server's own reason phrase is untrusted text (it may echo a
      // token from the URL, or carry escape sequences) and this message reaches logs and events.
      const reason = STATUS_CODES[status];
      const message = `GET ${current} failed: HTTP ${status}${reason ? ` ${reason}` : ''}`;
      throw status === 429 || status >= 500 ? new RetryableStageError(message) : new FatalStageError(message);
    }
    const declared = Number(response.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > policy.maxBytes) {
      response.destroy();
      throw new FatalStageError(
        `GET ${current}: ${declared} bytes is over the ${policy.maxBytes}-byte limit`
      );
    }
    const body = await readCapped(current, response, state);
    const contentType = response.headers['content-type'];
    return { url: current, body, ...(contentType ? { contentType } : {}) };
  }
}

/** What every hop of one fetch shares: the policy, its deadline and where it started. */
interface FetchState {
  policy: FetchPolicy;
  /** The deadline or the caller's signal, whichever ends first. */
  signal: AbortSignal;
  /** The deadline alone (to tell a timeout from the caller's cancellation). */
  deadline: AbortSignal;
  startUrl: string;
}

function request(url: URL, headers: Record<string, string>, state: FetchState): Promise<IncomingMessage> {
  const { policy, signal } = state;
  // An allowed host:port may reach loopback and private addresses (local test servers), never
  // the metadata endpoints; every other host only global unicast addresses.
  const check: AddressCheck = isAllowedHost(url, policy) ? metadataAddressReason : blockedAddressReason;
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (/^[\d.]+$|:/.test(literal)) {
    const reason = check(literal);
    if (reason) return Promise.reject(blocked(url.href, reason));
  }
  return new Promise<IncomingMessage>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      { method: 'GET', headers, agent: false, signal, lookup: guardedLookup(check) },
      resolve
    );
    const fail = (error: unknown) => {
      signal.removeEventListener('abort', onAbort);
      reject(transportError(url.href, error, state));
    };
    // Whatever node:http does or does not emit, the deadline settles the request.
    const onAbort = () => {
      req.destroy();
      fail(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    req.once('response', () => signal.removeEventListener('abort', onAbort));
    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        const reason = check(socket.remoteAddress ?? '');
        if (reason) req.destroy(blocked(url.href, `connected to ${reason}`));
      });
    });
    // A 101 answer never becomes a 'response': without this listener node:http drops the socket
    // silently and the request would never settle.
    req.on('upgrade', (_res: IncomingMessage, socket: Socket) => {
      socket.destroy();
      fail(new FatalStageError(`GET ${url.href} failed: HTTP 101 (a protocol upgrade, not a document)`));
    });
    req.on('error', fail);
    req.end();
  });
}

function decoded(url: string, response: IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!decoder) {
    if (encoding === 'identity' || encoding === '') return response;
    response.destroy();
    throw new FatalStageError(`GET ${url}: unsupported content encoding "${encoding}"`);
  }
  response.on('error', (error) => decoder.destroy(error));
  return response.pipe(decoder);
}

/**
 * Reads until the cap: counts the decoded bytes as they arrive, so a decompression bomb stops
 * early. The response (its socket) is closed with the read, however it ends.
 */
async function readCapped(url: string, response: IncomingMessage, state: FetchState): Promise<Buffer> {
  const { policy, signal } = state;
  const stream = decoded(url, response);
  const chunks: Buffer[] = [];
  let total = 0;
  const onAbort = () => stream.destroy(new Error('aborted'));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal.aborted) onAbort();
    for await (const chunk of stream) {
      const buffer = chunk as Buffer;
      total += buffer.byteLength;
      if (total > policy.maxBytes)
        throw new FatalStageError(`GET ${url}: body is over the ${policy.maxBytes}-byte limit`);
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof FatalStageError) throw error;
    throw transportError(url, error, state);
  } finally {
    signal.removeEventListener('abort', onAbort);
    stream.destroy();
    response.destroy();
  }
  return Buffer.concat(chunks, total);
}

function transportError(url: string, error: unknown, state: FetchState): Error {
  if (error instanceof FatalStageError || error instanceof RetryableStageError) return error;
  const { policy, deadline, signal, startUrl } = state;
  const { name, code, message } = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
  if (code === 'EADDRBLOCKED') return blocked(url, String(message));
  // Once the fetch is aborted, whatever node:http reports ("aborted", "socket hang up") is that.
  if (deadline.aborted)
    return new RetryableStageError(`GET ${startUrl} timed out after ${policy.timeoutMs} ms`, {
      cause: error,
    });
  if (signal.aborted) return new RetryableStageError(`GET ${startUrl} was cancelled`, { cause: error });
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'ABORT_ERR') {
    return new RetryableStageError(`GET ${startUrl} timed out after ${policy.timeoutMs} ms`, {
      cause: error,
    });
  }
  if (
    code === 'Z_DATA_ERROR' ||
    code === 'ERR__ERROR_FORMAT_PADDING_1' ||
    String(code).startsWith('ERR_BROTLI') ||
    code === 'Z_BUF_ERROR'
  ) {
    return new FatalStageError(`GET ${url}: the body does not decompress (${String(message)})`, {
      cause: error,
    });
  }
  return new RetryableStageError(
    `GET ${url} failed: ${typeof message === 'string' ? message : String(error)}`,
    { cause: error }
  );
}
