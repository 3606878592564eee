/**
 * The UrlFetcher under the fetch policy, against a real server on loopback (allowed for its one
 * port, as `--allow-host` would) and real files. Every refusal is checked to have happened before
 * any byte reached the target: the servers count their requests.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { DEFAULT_FETCH_POLICY, type FetchPolicy } from '../../../stages/shared/adapters/fetch/fetch-policy';
import { DEFAULT_USER_AGENT, UrlFetcher } from '../../../stages/shared/adapters/fetch/url-fetcher';
import { FatalStageError, RetryableStageError } from '../../../stages/shared/errors';
import {
  closedPort,
  type LoopbackServer,
  redirect,
  respond,
  startLoopbackServer,
} from '../../helpers/loopback-server';

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>';
const PAGE = '<html><body><article><p>Hello from the server.</p></article></body></html>';

let server: LoopbackServer;
let neighbour: LoopbackServer;
const seenAgents: string[] = [];
/** Whether the server saw the connection of an unfinished compressed body close. */
let openBombClosed = false;

beforeAll(async () => {
  neighbour = await startLoopbackServer({ '/secret.html': respond(200, 'text/html', 'NEIGHBOUR-CANARY') });
  server = await startLoopbackServer({
    '/feed.xml': respond(200, 'application/rss+xml; charset=utf-8', RSS),
    '/story.html': (req, res) => {
      seenAgents.push(String(req.headers['user-agent']));
      respond(200, 'text/html; charset=utf-8', PAGE)(req, res);
    },
    '/gzipped.html': respond(200, 'text/html', gzipSync(PAGE), { 'content-encoding': 'gzip' }),
    '/bomb.html': respond(200, 'text/html', gzipSync(Buffer.alloc(50 * 1024 * 1024)), {
      'content-encoding': 'gzip',
    }),
    '/deflate-bomb.html': respond(200, 'text/html', deflateSync(Buffer.alloc(50 * 1024 * 1024)), {
      'content-encoding': 'deflate',
    }),
    '/br-bomb.html': respond(200, 'text/html', brotliCompressSync(Buffer.alloc(50 * 1024 * 1024)), {
      'content-encoding': 'br',
    }),
    '/double-gzip.html': respond(200, 'text/html', gzipSync(gzipSync(PAGE)), {
      'content-encoding': 'gzip, gzip',
    }),
    // A compressed body that never ends: the cap is reached while the server keeps the connection.
    '/open-bomb.html': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      res.on('close', () => (openBombClosed = true));
      res.write(gzipSync(Buffer.alloc(4 * 1024 * 1024)));
    },
    '/trickle.html': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const timer = setInterval(() => res.write('a'), 20);
      res.on('close', () => clearInterval(timer));
    },
    // 101 with Upgrade: node:http hands the socket to an 'upgrade' listener and never emits 'response'.
    '/upgrade.html': (req) => {
      req.socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'
      );
    },
    '/chatty-reason.html': (_req, res) => {
      res.statusCode = 403;
      res.statusMessage = 'Forbidden: token=FEED-TOKEN-CANARY expired';
      res.end();
    },
    '/endless.html': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (res.write(chunk));
        res.once('drain', pump);
      };
      pump();
    },
    '/declared-big.html': respond(200, 'text/html', 'x', { 'content-length': '999999999' }),
    '/hang.html': () => undefined,
    '/json': respond(200, 'application/json', '{"a":1}'),
    '/cover.png': respond(200, 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0])),
    '/binary': respond(200, 'application/octet-stream', Buffer.from([0, 1, 2, 3])),
    '/untyped': (_req, res) => {
      res.removeHeader('content-type');
      res.end(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0]));
    },
    '/gone.html': respond(410, 'text/plain', 'gone'),
    '/busy.html': respond(503, 'text/plain', 'busy'),
    '/to-story': redirect('/story.html'),
    '/to-file': redirect('file:///etc/passwd'),
    '/to-neighbour': (req, res) => redirect(`http://127.0.0.1:${neighbour.port}/secret.html`)(req, res),
    '/to-metadata': redirect('http://169.254.169.254/latest/meta-data/'),
    '/to-metadata-decimal': redirect('http://2852039166/latest/meta-data/'),
    '/to-localhost-name': redirect('http://localhost/story.html'),
    '/loop': (req, res) =>
      redirect(`/loop?n=${Number(new URL(req.url ?? '', 'http://x').searchParams.get('n') ?? 0) + 1}`)(
        req,
        res
      ),
  });
});

afterAll(async () => {
  await server.close();
  await neighbour.close();
});

function fetcher(policy: Partial<FetchPolicy> = {}): UrlFetcher {
  return new UrlFetcher({ policy: { allowHosts: new Set([server.hostPort]), timeoutMs: 2000, ...policy } });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  );
  if (!(error instanceof Error)) throw new Error('expected the fetch to fail');
  return error;
}

describe('UrlFetcher: the address guard', () => {
  it('refuses loopback, metadata and private addresses by default, before connecting', async () => {
    const strict = new UrlFetcher();
    for (const url of [
      `${server.base}/story.html`,
      'http://127.0.0.1/',
      'http://169.254.169.254/latest/',
      'http://2852039166/',
      'http://[::ffff:127.0.0.1]/',
      'http://10.0.0.1/',
      'http://0x7f.1/',
    ]) {
      const error = await failure(strict.fetch(url, { kind: 'page' }));
      expect(error).toBeInstanceOf(FatalStageError);
      expect(error.message).toMatch(/blocked by the fetch policy/);
    }
    expect(server.hits).not.toContain('/story.html');
  });

  it('resolves host names and refuses one that resolves to loopback', async () => {
    // Port 80 passes the port rule; the name resolves to 127.0.0.1 and the lookup refuses it.
    const error = await failure(fetcher().fetch('http://localhost/story.html', { kind: 'page' }));
    expect(error.message).toMatch(
      /blocked by the fetch policy: localhost resolves only to refused addresses \(.*loopback/
    );
  });

  it('allows exactly the allowed host:port, not its neighbour', async () => {
    const document = await fetcher().fetch(`${server.base}/story.html`, { kind: 'page' });
    expect(document.body.toString()).toContain('Hello from the server.');
    expect(document.contentType).toBe('text/html; charset=utf-8');
    expect(seenAgents.at(-1)).toBe(DEFAULT_USER_AGENT);
    const error = await failure(fetcher().fetch(`${neighbour.base}/secret.html`, { kind: 'page' }));
    expect(error.message).toMatch(/blocked by the fetch policy: port \d+ is not allowed/);
    expect(neighbour.hits).toEqual([]);
  });

  it('never opens the metadata endpoints, even for an allowed host:port', async () => {
    const allowing = fetcher({
      allowHosts: new Set([server.hostPort, '169.254.169.254:80', '[fd00:ec2::254]:80']),
    });
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://2852039166/latest/',
      'http://[fd00:ec2::254]/latest/',
    ]) {
      const error = await failure(allowing.fetch(url, { kind: 'page' }));
      expect(error.message).toMatch(/blocked by the fetch policy: .*(metadata|link-local)/);
    }
  });

  it('refuses other schemes and credentials in URLs', async () => {
    for (const url of [
      'ftp://example.com/feed.xml',
      'gopher://example.com/',
      'data:text/html,hi',
      `http://user:pw@${server.hostPort}/story.html`,
    ]) {
      const error = await failure(fetcher().fetch(url, { kind: 'page' }));
      expect(error).toBeInstanceOf(FatalStageError);
    }
    expect((await failure(fetcher().fetch('not a url', { kind: 'page' }))).message).toBe(
      'cannot read not a url: not a valid URL'
    );
  });
});

describe('UrlFetcher: redirects', () => {
  it('follows a redirect on the allowed host and reports the final URL', async () => {
    const document = await fetcher().fetch(`${server.base}/to-story`, { kind: 'page' });
    expect(document.url).toBe(`${server.base}/story.html`);
  });

  it.each([
    ['/to-file', /the file scheme is not allowed/],
    ['/to-neighbour', /port \d+ is not allowed/],
    ['/to-metadata', /169\.254\.169\.254 is a link-local/],
    ['/to-metadata-decimal', /169\.254\.169\.254 is a link-local/],
    ['/to-localhost-name', /loopback/],
  ])('checks every hop again: %s is refused', async (path, reason) => {
    const error = await failure(fetcher().fetch(`${server.base}${path}`, { kind: 'page' }));
    expect(error).toBeInstanceOf(FatalStageError);
    expect(error.message).toMatch(reason);
    expect(neighbour.hits).toEqual([]);
  });

  it('stops after 5 redirects', async () => {
    const before = server.hits.length;
    const error = await failure(fetcher().fetch(`${server.base}/loop`, { kind: 'page' }));
    expect(error.message).toMatch(/more than 5 redirects/);
    expect(server.hits.length - before).toBe(6);
  });
});

describe('UrlFetcher: bounded reads', () => {
  it('decompresses gzip and caps the decompressed bytes (a 50 MiB bomb stops at the cap)', async () => {
    expect((await fetcher().fetch(`${server.base}/gzipped.html`, { kind: 'page' })).body.toString()).toBe(
      PAGE
    );
    const error = await failure(
      fetcher({ maxBytes: 1024 * 1024 }).fetch(`${server.base}/bomb.html`, { kind: 'page' })
    );
    expect(error.message).toMatch(/body is over the 1048576-byte limit/);
  });

  it('caps deflate and br bombs the same way, and refuses stacked encodings', async () => {
    for (const path of ['/deflate-bomb.html', '/br-bomb.html']) {
      const error = await failure(
        fetcher({ maxBytes: 1024 * 1024 }).fetch(`${server.base}${path}`, { kind: 'page' })
      );
      expect(error.message).toMatch(/body is over the 1048576-byte limit/);
    }
    expect(
      (await failure(fetcher().fetch(`${server.base}/double-gzip.html`, { kind: 'page' }))).message
    ).toMatch(/unsupported content encoding "gzip, gzip"/);
  });

  it('closes the connection as soon as a compressed body reaches the cap', async () => {
    const error = await failure(
      fetcher({ maxBytes: 1024 * 1024, timeoutMs: 10_000 }).fetch(`${server.base}/open-bomb.html`, {
        kind: 'page',
      })
    );
    expect(error.message).toMatch(/body is over the 1048576-byte limit/);
    // Not left to the (10 s) deadline: the socket is closed with the read.
    for (let waited = 0; !openBombClosed && waited < 2000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openBombClosed).toBe(true);
  });

  it('holds the deadline against a body that trickles', async () => {
    const started = Date.now();
    const error = await failure(
      fetcher({ timeoutMs: 300 }).fetch(`${server.base}/trickle.html`, { kind: 'page' })
    );
    expect(error).toBeInstanceOf(RetryableStageError);
    expect(error.message).toMatch(/timed out after 300 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails a 101 upgrade answer at once instead of hanging past the deadline', async () => {
    const started = Date.now();
    const outcome = await Promise.race([
      failure(fetcher({ timeoutMs: 300 }).fetch(`${server.base}/upgrade.html`, { kind: 'page' })),
      new Promise<string>((resolve) => setTimeout(() => resolve('still pending after 3 s'), 3000)),
    ]);
    expect(outcome).toBeInstanceOf(FatalStageError);
    expect((outcome as Error).message).toBe(
      `GET ${server.base}/upgrade.html failed: HTTP 101 (a protocol upgrade, not a document)`
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('caps an endless body and a declared length', async () => {
    expect(
      (await failure(fetcher({ maxBytes: 100_000 }).fetch(`${server.base}/endless.html`, { kind: 'page' })))
        .message
    ).toMatch(/over the 100000-byte limit/);
    expect(
      (await failure(fetcher({ maxBytes: 100 }).fetch(`${server.base}/declared-big.html`, { kind: 'page' })))
        .message
    ).toMatch(/999999999 bytes is over the 100-byte limit/);
  });

  it('times out a server that never answers, as retryable', async () => {
    const started = Date.now();
    const error = await failure(
      fetcher({ timeoutMs: 150 }).fetch(`${server.base}/hang.html`, { kind: 'page' })
    );
    expect(error).toBeInstanceOf(RetryableStageError);
    expect(error.message).toBe(`GET ${server.base}/hang.html timed out after 150 ms`);
    expect(Date.now() - started).toBeLessThan(DEFAULT_FETCH_POLICY.timeoutMs);
  });

  it("names a failed status by its standard reason, never the server's own text", async () => {
    const error = await failure(fetcher().fetch(`${server.base}/chatty-reason.html`, { kind: 'page' }));
    expect(error.message).toBe(`GET ${server.base}/chatty-reason.html failed: HTTP 403 Forbidden`);
  });

  it('maps statuses to their retry meaning and connection refusals to retryable', async () => {
    expect(await failure(fetcher().fetch(`${server.base}/gone.html`, { kind: 'page' }))).toBeInstanceOf(
      FatalStageError
    );
    expect(await failure(fetcher().fetch(`${server.base}/busy.html`, { kind: 'page' }))).toBeInstanceOf(
      RetryableStageError
    );
    const port = await closedPort();
    const refused = await failure(
      fetcher({ allowHosts: new Set([`127.0.0.1:${port}`]) }).fetch(`http://127.0.0.1:${port}/x.html`, {
        kind: 'page',
      })
    );
    expect(refused).toBeInstanceOf(RetryableStageError);
  });
});

describe('UrlFetcher: content types', () => {
  it('takes feeds only as XML and pages only as HTML or text', async () => {
    expect((await fetcher().fetch(`${server.base}/feed.xml`, { kind: 'feed' })).body.toString()).toBe(RSS);
    expect((await failure(fetcher().fetch(`${server.base}/story.html`, { kind: 'feed' }))).message).toMatch(
      /is not an RSS\/Atom feed/
    );
    expect((await failure(fetcher().fetch(`${server.base}/json`, { kind: 'page' }))).message).toMatch(
      /"application\/json" is not an HTML or text page/
    );
    expect((await failure(fetcher().fetch(`${server.base}/binary`, { kind: 'page' }))).message).toMatch(
      /octet-stream/
    );
    expect((await failure(fetcher().fetch(`${server.base}/untyped`, { kind: 'page' }))).message).toMatch(
      /binary content/
    );
  });

  it('takes images only as PNG or JPEG, and pages never as images', async () => {
    const image = await fetcher().fetch(`${server.base}/cover.png`, { kind: 'image' });
    expect(image.contentType).toBe('image/png');
    expect((await failure(fetcher().fetch(`${server.base}/cover.png`, { kind: 'page' }))).message).toMatch(
      /"image\/png" is not an HTML or text page/
    );
    expect((await failure(fetcher().fetch(`${server.base}/story.html`, { kind: 'image' }))).message).toMatch(
      /is not a PNG or JPEG image/
    );
    // Without a content type an image's bytes are binary: the caller checks them.
    expect((await fetcher().fetch(`${server.base}/untyped`, { kind: 'image' })).body.length).toBe(7);
  });
});
