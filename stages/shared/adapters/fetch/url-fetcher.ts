/**
 * UrlFetcher: the Fetcher port under the one fetch policy (fetch-policy.ts). `http(s)` goes
 * through the guarded GET (checked addresses, hop-by-hop redirects, capped and timed reads);
 * `file:` reads regular files under the policy's roots only (the embedded local mode). What comes
 * back must be of the kind asked for: feeds are XML (RSS/Atom), pages are HTML, XHTML or text,
 * images are PNG or JPEG (their bytes are checked by the caller).
 * Errors carry their retry meaning: 5xx, 429, network faults and timeouts are RetryableStageError;
 * 4xx, refusals by the policy, wrong types and oversized bodies are FatalStageError.
 */
import { extname } from 'node:path';
import { FatalStageError } from '../../errors';
import type { FetchedDocument, Fetcher, FetchRequest } from '../../providers';
import { DEFAULT_FETCH_POLICY, type FetchPolicy } from './fetch-policy';
import { blocked, guardedGet } from './guarded-http-get';
import { readLocalFile } from './local-file-read';

export interface UrlFetcherOptions {
  /** What may be reached. @default DEFAULT_FETCH_POLICY (no allowed hosts, no file roots) */
  policy?: Partial<FetchPolicy>;
  /** @default 'podcast-platform/0.1 (+https://github.com/podcast-platform)' */
  userAgent?: string;
}

export const DEFAULT_USER_AGENT = 'podcast-platform/0.1 (+https://github.com/podcast-platform)';

const FILE_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.xhtml': 'application/xhtml+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.rss': 'application/rss+xml',
  '.atom': 'application/atom+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};

const ACCEPT = {
  feed: 'application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9',
  page: 'text/html,application/xhtml+xml,text/plain;q=0.8',
  image: 'image/png,image/jpeg',
} as const;

const KIND_NAMES = {
  feed: 'an RSS/Atom feed (XML)',
  page: 'an HTML or text page',
  image: 'a PNG or JPEG image',
} as const;

/** Whether a media type is what this kind of fetch may return. */
export function acceptsContentType(kind: FetchRequest['kind'], contentType: string): boolean {
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (kind === 'feed') return /^(application|text)\/([a-z0-9.+-]*\+)?xml$/.test(type);
  if (kind === 'image') return type === 'image/png' || type === 'image/jpeg';
  return type === 'text/html' || type === 'application/xhtml+xml' || type === 'text/plain';
}

export class UrlFetcher implements Fetcher {
  readonly policy: FetchPolicy;
  private readonly userAgent: string;

  constructor(options: UrlFetcherOptions = {}) {
    this.policy = { ...DEFAULT_FETCH_POLICY, ...options.policy };
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  }

  get readsLocalFiles(): boolean {
    return this.policy.fileRoots.length > 0;
  }

  async fetch(url: string, request: FetchRequest): Promise<FetchedDocument> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (error) {
      throw new FatalStageError(`cannot read ${url}: not a valid URL`, { cause: error });
    }
    const document =
      parsed.protocol === 'file:'
        ? await this.readFile(url, request)
        : await this.readRemote(parsed, request);
    const type = document.contentType;
    if (type === undefined) {
      // No declared type: accept only what looks like text of the kind asked for (an image's
      // bytes are binary, and checked by the caller).
      if (request.kind !== 'image' && document.body.subarray(0, 1024).includes(0))
        throw new FatalStageError(`GET ${url}: no content type and binary content, not a ${request.kind}`);
    } else if (!acceptsContentType(request.kind, type)) {
      throw new FatalStageError(`GET ${url}: content type "${type}" is not ${KIND_NAMES[request.kind]}`);
    }
    return document;
  }

  private async readFile(url: string, request: FetchRequest): Promise<FetchedDocument> {
    const contentType = FILE_TYPES[extname(new URL(url).pathname).toLowerCase()];
    if (!contentType)
      throw blocked(
        url,
        'only .html, .htm, .xhtml, .txt, .xml, .rss, .atom, .png, .jpg and .jpeg files are read'
      );
    const body = await readLocalFile(url, this.policy, request.signal);
    return { url, body, contentType };
  }

  private async readRemote(url: URL, request: FetchRequest): Promise<FetchedDocument> {
    const response = await guardedGet(url.href, this.policy, {
      headers: {
        'user-agent': this.userAgent,
        accept: ACCEPT[request.kind],
        'accept-encoding': 'gzip, deflate, br',
      },
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return {
      url: response.url,
      body: response.body,
      ...(response.contentType ? { contentType: response.contentType } : {}),
    };
  }
}
