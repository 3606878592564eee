import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_USER_AGENT, UrlFetcher } from '../../../stages/shared/adapters/fetch/url-fetcher';
import { FatalStageError, RetryableStageError } from '../../../stages/shared/errors';
import { EXAMPLE_DIR, exampleFileUrl } from '../stages/content-fixtures';

/** A fetch stand-in that answers every request with the given response (and records the request). */
function fakeFetch(respond: (url: string, init?: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const impl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, ...(init ? { init } : {}) });
    return respond(url, init);
  }) as typeof fetch;
  return { impl, calls };
}

describe('UrlFetcher over file://', () => {
  it('reads a shipped example page with an HTML content type', async () => {
    // Prepare
    const fetcher = new UrlFetcher();
    const url = exampleFileUrl('articles/meridian-db-5.html');

    // Act
    const document = await fetcher.fetch(url);

    // Assess
    expect(document.url).toBe(url);
    expect(document.contentType).toMatch(/^text\/html/);
    expect(document.body.toString('utf8')).toContain('Meridian Data Foundation');
  });

  it('names the URL when the file does not exist', async () => {
    const url = pathToFileURL(path.join(EXAMPLE_DIR, 'articles', 'no-such-story.html')).href;
    const error = await new UrlFetcher().fetch(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalStageError);
    expect((error as Error).message).toBe(`cannot read ${url}: no such file`);
  });

  it('refuses a directory and a file over the size cap', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'url-fetcher-'));
    try {
      writeFileSync(path.join(dir, 'big.html'), 'x'.repeat(2048));
      const small = new UrlFetcher({ maxBytes: 1024 });
      await expect(small.fetch(pathToFileURL(dir).href)).rejects.toThrow(/is a directory/);
      await expect(small.fetch(pathToFileURL(path.join(dir, 'big.html')).href)).rejects.toThrow(/2048 bytes is over the 1024-byte limit/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects unsupported schemes and malformed URLs as fatal', async () => {
    const fetcher = new UrlFetcher();
    await expect(fetcher.fetch('ftp://example.com/feed.xml')).rejects.toThrow(FatalStageError);
    await expect(fetcher.fetch('not a url')).rejects.toThrow('cannot read not a url: not a valid URL');
  });
});

describe('UrlFetcher over http(s)', () => {
  it('sends its User-Agent and returns the body and content type', async () => {
    const { impl, calls } = fakeFetch(() => new Response('<rss/>', { status: 200, headers: { 'content-type': 'application/rss+xml' } }));
    const document = await new UrlFetcher({ fetchImpl: impl, userAgent: 'test-agent/1.0' }).fetch('https://news.example.com/feed.xml');
    expect(document.body.toString()).toBe('<rss/>');
    expect(document.contentType).toBe('application/rss+xml');
    expect((calls[0]?.init?.headers as Record<string, string>)['user-agent']).toBe('test-agent/1.0');
    expect(calls[0]?.init?.signal).toBeInstanceOf(AbortSignal);
  });

  it.each([
    [404, FatalStageError],
    [410, FatalStageError],
    [429, RetryableStageError],
    [500, RetryableStageError],
    [503, RetryableStageError],
  ])('maps HTTP %i to %p naming the URL and status', async (status, errorClass) => {
    const { impl } = fakeFetch(() => new Response('nope', { status }));
    const error = await new UrlFetcher({ fetchImpl: impl }).fetch('https://news.example.com/a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).message).toContain(`GET https://news.example.com/a failed: HTTP ${status}`);
  });

  it('treats network failures and timeouts as retryable', async () => {
    const network = fakeFetch(() => {
      throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
    });
    await expect(new UrlFetcher({ fetchImpl: network.impl }).fetch('https://a.example/x')).rejects.toThrow(RetryableStageError);

    const hanging = fakeFetch(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        })
    );
    const error = await new UrlFetcher({ fetchImpl: hanging.impl, timeoutMs: 20 }).fetch('https://slow.example/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableStageError);
    expect((error as Error).message).toBe('GET https://slow.example/x timed out after 20 ms');
  });

  it('stops reading a body that passes the size cap, declared or not', async () => {
    const declared = fakeFetch(() => new Response('x'.repeat(10), { status: 200, headers: { 'content-length': '999999' } }));
    await expect(new UrlFetcher({ fetchImpl: declared.impl, maxBytes: 100 }).fetch('https://a.example/big')).rejects.toThrow(/999999 bytes is over the 100-byte limit/);

    const streamed = fakeFetch(() => new Response(new Blob(['y'.repeat(500)]).stream(), { status: 200 }));
    await expect(new UrlFetcher({ fetchImpl: streamed.impl, maxBytes: 100 }).fetch('https://a.example/stream')).rejects.toThrow(/body is over the 100-byte limit/);
  });

  describe('against a local HTTP server', () => {
    let server: Server;
    let base: string;
    const seen: IncomingHttpHeaders[] = [];

    beforeAll(async () => {
      server = createServer((req, res) => {
        seen.push(req.headers);
        if (req.url === '/story.html') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end('<article><p>Hello from the server.</p></article>');
        } else {
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('missing');
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('fetches through the real global fetch with the default User-Agent', async () => {
      const document = await new UrlFetcher({ timeoutMs: 5000 }).fetch(`${base}/story.html`);
      expect(document.body.toString()).toContain('Hello from the server.');
      expect(document.contentType).toBe('text/html; charset=utf-8');
      expect(seen[seen.length - 1]?.['user-agent']).toBe(DEFAULT_USER_AGENT);
      await expect(new UrlFetcher().fetch(`${base}/gone.html`)).rejects.toThrow(`GET ${base}/gone.html failed: HTTP 404 Not Found`);
    });
  });
});
