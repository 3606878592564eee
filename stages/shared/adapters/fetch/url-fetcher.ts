/**
 * UrlFetcher: the Fetcher port over http(s) (global fetch, with a timeout, a User-Agent and a size
 * cap) and file:// (the shipped examples). Errors carry their retry meaning: 5xx, 429, network
 * faults and timeouts are RetryableStageError; 4xx, missing files and oversized bodies are fatal.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FatalStageError, PipelineError, RetryableStageError } from '../../errors';
import type { FetchedDocument, Fetcher } from '../../providers';

export interface UrlFetcherOptions {
  /** Per-request timeout. @default 15000 */
  timeoutMs?: number;
  /** Largest body accepted, in bytes. @default 5 MiB */
  maxBytes?: number;
  /** @default 'podcast-platform/0.1 (+https://github.com/podcast-platform)' */
  userAgent?: string;
  /** The fetch implementation (tests inject one). @default globalThis.fetch */
  fetchImpl?: typeof fetch;
}

export const DEFAULT_USER_AGENT = 'podcast-platform/0.1 (+https://github.com/podcast-platform)';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.xml': 'application/xml',
  '.rss': 'application/rss+xml',
  '.atom': 'application/atom+xml',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export class UrlFetcher implements Fetcher {
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly userAgent: string;
  private readonly fetchImpl: typeof fetch;

  constructor(options: UrlFetcherOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.fetchImpl = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
  }

  async fetch(url: string): Promise<FetchedDocument> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (error) {
      throw new FatalStageError(`cannot read ${url}: not a valid URL`, { cause: error });
    }
    if (parsed.protocol === 'file:') return this.readLocal(url, parsed);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return this.readRemote(url);
    throw new FatalStageError(`cannot read ${url}: unsupported URL scheme "${parsed.protocol}"`);
  }

  private async readLocal(url: string, parsed: URL): Promise<FetchedDocument> {
    let path: string;
    try {
      path = fileURLToPath(parsed);
    } catch (error) {
      throw new FatalStageError(`cannot read ${url}: not a local file URL`, { cause: error });
    }
    try {
      const info = await stat(path);
      if (info.isDirectory()) throw new FatalStageError(`cannot read ${url}: is a directory`);
      if (info.size > this.maxBytes) throw new FatalStageError(`cannot read ${url}: ${info.size} bytes is over the ${this.maxBytes}-byte limit`);
      const body = await readFile(path);
      const contentType = CONTENT_TYPES[extname(path).toLowerCase()];
      return { url, body, ...(contentType ? { contentType } : {}) };
    } catch (error) {
      if (error instanceof PipelineError) throw error;
      throw new FatalStageError(`cannot read ${url}: ${describeFsError(error)}`, { cause: error });
    }
  }

  private async readRemote(url: string): Promise<FetchedDocument> {
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        headers: { 'user-agent': this.userAgent, accept: 'text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.8' },
        redirect: 'follow',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw transportError(url, error, this.timeoutMs);
    }
    if (response.status === 429 || response.status >= 500) {
      await response.body?.cancel().catch(() => undefined);
      throw new RetryableStageError(`GET ${url} failed: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new FatalStageError(`GET ${url} failed: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new FatalStageError(`GET ${url}: ${declared} bytes is over the ${this.maxBytes}-byte limit`);
    }
    const body = await this.readCapped(url, response);
    const contentType = response.headers.get('content-type') ?? undefined;
    return { url: response.url || url, body, ...(contentType ? { contentType } : {}) };
  }

  /** Reads the body, stopping as soon as it passes the size cap (a missing Content-Length is common). */
  private async readCapped(url: string, response: Response): Promise<Buffer> {
    if (!response.body) return Buffer.alloc(0);
    const reader = response.body.getReader();
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > this.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new FatalStageError(`GET ${url}: body is over the ${this.maxBytes}-byte limit`);
        }
        chunks.push(Buffer.from(value));
      }
    } catch (error) {
      if (error instanceof PipelineError) throw error;
      throw transportError(url, error, this.timeoutMs);
    }
    return Buffer.concat(chunks, total);
  }
}

function transportError(url: string, error: unknown, timeoutMs: number): RetryableStageError {
  // Duck-typed: the abort reason is a DOMException, which need not pass `instanceof Error` in every realm.
  const { name, message, cause } = (error ?? {}) as { name?: unknown; message?: unknown; cause?: { message?: unknown } };
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new RetryableStageError(`GET ${url} timed out after ${timeoutMs} ms`, { cause: error });
  }
  const detail = typeof message === 'string' ? message : String(error);
  const because = typeof cause?.message === 'string' ? `: ${cause.message}` : '';
  return new RetryableStageError(`GET ${url} failed: ${detail}${because}`, { cause: error });
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return error instanceof Error ? error.message : String(error);
}
