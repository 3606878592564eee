/**
 * The public origin against the real local S3 server (s3rver): objects put in both buckets with
 * the SDK, the handler mounted on a plain http server, requests sent with http.request (raw
 * paths, so `..` reaches the server unnormalised) and fetch.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isUnderPathPrefix } from '../../local-platform/origin/origin-path';
import { createPublicOrigin, type PublicOriginHandler } from '../../local-platform/origin/public-origin';
import { startTestServers, type TestServers } from '../helpers/local-servers';

const PREFIX = '/_origin';
const FEED = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Tech Weekly</title>${'<item><title>An episode</title></item>'.repeat(60)}</channel></rss>\n`;
const MP3 = randomBytes(3000);
const BIG_MP3 = randomBytes(8 * 1024 * 1024);
const SECRET = '{"secret":"run scratch"}';
/** Stored without a Cache-Control, as episode files were before versioned keys. */
const EPISODE = `${PREFIX}/podcasts/tech-weekly/episodes/ep-1/episode.mp3`;
/** Under a version folder, stored immutable as publish writes it. */
const VERSIONED_KEY = 'podcasts/tech-weekly/episodes/ep-1/0123456789abcdef/episode.mp3';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const BIG_MP3_PATH = `${PREFIX}/podcasts/tech-weekly/episodes/ep-1/big.mp3`;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let servers: TestServers;
let s3: S3Client;
let server: Server;
let port: number;
const pending = new Set<Promise<void>>();
const errors: Array<{ message: string; fields: Record<string, unknown> }> = [];

function listenWith(handler: PublicOriginHandler): Promise<Server> {
  const httpServer = createServer((req, res) => {
    if (!isUnderPathPrefix(req.url ?? '', PREFIX)) {
      res.writeHead(404).end();
      return;
    }
    const handled = handler(req, res);
    pending.add(handled);
    void handled.finally(() => pending.delete(handled));
  });
  return new Promise((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve(httpServer)));
}

function request(
  path: string,
  options: { method?: string; headers?: Record<string, string>; server?: Server } = {}
): Promise<Reply> {
  const target = options.server ?? server;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: (target.address() as AddressInfo).port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
        );
        res.on('error', reject);
      }
    );
    req.on('error', reject);
    req.end();
  });
}

async function put(
  bucket: string,
  key: string,
  body: Buffer | string,
  contentType?: string,
  cacheControl?: string
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ...(contentType ? { ContentType: contentType } : {}),
      ...(cacheControl ? { CacheControl: cacheControl } : {}),
    })
  );
}

beforeAll(async () => {
  servers = await startTestServers();
  s3 = servers.clients.s3;
  const { media, rss } = servers.servers.bucketNames;
  await Promise.all([
    put(rss, 'podcasts/tech-weekly/feed.xml', FEED, 'application/rss+xml; charset=utf-8'),
    put(rss, 'podcasts/other-show/feed.xml', '<rss/>', 'text/xml'),
    put(rss, 'podcasts/untyped-show/feed.xml', '<rss/>'),
    put(media, 'podcasts/tech-weekly/episodes/ep-1/episode.mp3', MP3, 'audio/mpeg'),
    put(media, VERSIONED_KEY, MP3, 'audio/mpeg', IMMUTABLE),
    put(media, 'podcasts/tech-weekly/episodes/ep-1/big.mp3', BIG_MP3, 'audio/mpeg'),
    put(media, 'podcasts/tech-weekly/episodes/ep-1/notes.html', '<p>notes</p>'),
    put(media, 'podcasts/tech-weekly/episodes/ep-1/empty.json', Buffer.alloc(0), 'application/json'),
    put(media, 'runs/run-1/publish/output.json', SECRET, 'application/json'),
    put(rss, 'runs/run-1/publish/output.json', SECRET, 'application/json'),
  ]);
  const handler = createPublicOrigin({
    s3,
    buckets: servers.servers.bucketNames,
    pathPrefix: PREFIX,
    onError: (message, fields) => errors.push({ message, fields }),
  });
  server = await listenWith(handler);
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await servers.stop();
});

afterEach(async () => {
  await Promise.all([...pending]);
});

describe('feeds', () => {
  it('serves feed.xml from the RSS bucket with its content type and a short cache', async () => {
    const reply = await request(`${PREFIX}/podcasts/tech-weekly/feed.xml`);
    expect(reply.status).toBe(200);
    expect(reply.body.toString('utf8')).toBe(FEED);
    expect(reply.headers).toMatchObject({
      'content-type': 'application/rss+xml; charset=utf-8',
      'content-length': String(Buffer.byteLength(FEED)),
      'cache-control': 'public, max-age=60',
      'accept-ranges': 'bytes',
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
      vary: 'Accept-Encoding',
    });
    expect(reply.headers.etag).toMatch(/^"[0-9a-f]+"$/);
    expect(new Date(reply.headers['last-modified']!).getTime()).not.toBeNaN();
  });

  it('gzips the feed for clients that accept it, with a weak ETag', async () => {
    const reply = await request(`${PREFIX}/podcasts/tech-weekly/feed.xml`, {
      headers: { 'Accept-Encoding': 'br, gzip;q=0.8' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(reply.headers['content-length']).toBeUndefined();
    expect(reply.headers.etag).toMatch(/^W\/"/);
    expect(gunzipSync(reply.body).toString('utf8')).toBe(FEED);

    const viaFetch = await fetch(
      `http://127.0.0.1:${port}${PREFIX}/podcasts/tech-weekly/feed.xml?utm_source=x`
    );
    expect(viaFetch.status).toBe(200);
    expect(await viaFetch.text()).toBe(FEED);
  });

  it('keeps the stored content type, falling back to the RSS type when there is none', async () => {
    const typed = await request(`${PREFIX}/podcasts/other-show/feed.xml`);
    expect(typed.headers['content-type']).toBe('text/xml');
    const untyped = await request(`${PREFIX}/podcasts/untyped-show/feed.xml`);
    expect(untyped.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
  });
});

describe('media and byte ranges', () => {
  it('serves a whole MP3 with no compression, cached a day when it stores no Cache-Control', async () => {
    const reply = await request(EPISODE, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(reply.status).toBe(200);
    expect(reply.body.equals(MP3)).toBe(true);
    expect(reply.headers).toMatchObject({
      'content-type': 'audio/mpeg',
      'content-length': String(MP3.length),
      'cache-control': 'public, max-age=86400',
      'accept-ranges': 'bytes',
    });
    expect(reply.headers['content-encoding']).toBeUndefined();
    expect(reply.headers.vary).toBeUndefined();
  });

  it.each([
    ['bytes=0-1', 0, 1],
    ['bytes=0-0', 0, 0],
    ['bytes=100-', 100, MP3.length - 1],
    ['bytes=-500', MP3.length - 500, MP3.length - 1],
    ['bytes=2900-99999', 2900, MP3.length - 1],
  ])('answers %s with 206 and exactly those bytes', async (range, start, end) => {
    const reply = await request(EPISODE, { headers: { Range: range } });
    expect(reply.status).toBe(206);
    expect(reply.headers['content-range']).toBe(`bytes ${start}-${end}/${MP3.length}`);
    expect(reply.headers['content-length']).toBe(String(end - start + 1));
    expect(reply.body.equals(MP3.subarray(start, end + 1))).toBe(true);
  });

  it.each(['bytes=3000-', 'bytes=5000-6000', 'bytes=-0'])('answers %s with 416', async (range) => {
    const reply = await request(EPISODE, { headers: { Range: range } });
    expect(reply.status).toBe(416);
    expect(reply.headers['content-range']).toBe(`bytes */${MP3.length}`);
  });

  it.each(['bytes=0-1,5-6', 'bytes=5-1', 'lines=1-2'])('ignores %s and sends it all', async (range) => {
    const reply = await request(EPISODE, { headers: { Range: range } });
    expect(reply.status).toBe(200);
    expect(reply.body.equals(MP3)).toBe(true);
  });

  it('honours If-Range: a matching ETag keeps the range, another sends it all', async () => {
    const { headers } = await request(EPISODE, { method: 'HEAD' });
    const kept = await request(EPISODE, { headers: { Range: 'bytes=0-1', 'If-Range': headers.etag! } });
    expect(kept.status).toBe(206);
    const stale = await request(EPISODE, { headers: { Range: 'bytes=0-1', 'If-Range': '"stale"' } });
    expect(stale.status).toBe(200);
    expect(stale.body.equals(MP3)).toBe(true);
  });

  it('answers HEAD with the headers and no body, ranges included', async () => {
    const whole = await request(EPISODE, { method: 'HEAD' });
    expect(whole.status).toBe(200);
    expect(whole.headers['content-length']).toBe(String(MP3.length));
    expect(whole.headers['content-type']).toBe('audio/mpeg');
    expect(whole.headers.etag).toBeDefined();
    expect(whole.body.length).toBe(0);
    const part = await request(EPISODE, { method: 'HEAD', headers: { Range: 'bytes=-10' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes ${MP3.length - 10}-${MP3.length - 1}/${MP3.length}`);
    expect(part.body.length).toBe(0);
  });

  it('serves an empty object with 200 and length 0, and a range on it with 416', async () => {
    const path = `${PREFIX}/podcasts/tech-weekly/episodes/ep-1/empty.json`;
    const whole = await request(path);
    expect(whole.status).toBe(200);
    expect(whole.headers['content-length']).toBe('0');
    expect(whole.headers['content-type']).toBe('application/json');
    const ranged = await request(path, { headers: { Range: 'bytes=0-' } });
    expect(ranged.status).toBe(416);
    expect(ranged.headers['content-range']).toBe('bytes */0');
  });

  it('passes on the Cache-Control stored with the object: a versioned episode file is immutable', async () => {
    const path = `${PREFIX}/${VERSIONED_KEY}`;
    const whole = await request(path);
    const ranged = await request(path, { headers: { Range: 'bytes=0-1' } });
    const unchanged = await request(path, { headers: { 'If-None-Match': whole.headers.etag! } });

    expect([whole.status, ranged.status, unchanged.status]).toEqual([200, 206, 304]);
    for (const reply of [whole, ranged, unchanged]) expect(reply.headers['cache-control']).toBe(IMMUTABLE);
    expect(whole.body.equals(MP3)).toBe(true);
  });

  it('falls back to a content type from the extension when S3 stored none', async () => {
    const reply = await request(`${PREFIX}/podcasts/tech-weekly/episodes/ep-1/notes.html`);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
  });
});

describe('conditional requests', () => {
  it('answers If-None-Match with the current ETag with 304 and no body', async () => {
    const first = await request(EPISODE);
    const again = await request(EPISODE, { headers: { 'If-None-Match': first.headers.etag! } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['cache-control']).toBe('public, max-age=86400');
    const changed = await request(EPISODE, { headers: { 'If-None-Match': '"other"' } });
    expect(changed.status).toBe(200);
  });

  it('answers If-Modified-Since with 304 when not modified, unless If-None-Match says otherwise', async () => {
    const { headers } = await request(EPISODE, { method: 'HEAD' });
    const since = headers['last-modified']!;
    expect((await request(EPISODE, { headers: { 'If-Modified-Since': since } })).status).toBe(304);
    const both = await request(EPISODE, { headers: { 'If-Modified-Since': since, 'If-None-Match': '"x"' } });
    expect(both.status).toBe(200);
    const old = await request(EPISODE, { headers: { 'If-Modified-Since': 'Mon, 01 Jan 2001 00:00:00 GMT' } });
    expect(old.status).toBe(200);
  });
});

describe('what is never served', () => {
  it.each([
    `${PREFIX}/runs/run-1/publish/output.json`,
    `${PREFIX}/podcasts/tech-weekly/../../runs/run-1/publish/output.json`,
    `${PREFIX}/podcasts/tech-weekly/%2e%2e/%2e%2e/runs/run-1/publish/output.json`,
    `${PREFIX}/podcasts/tech-weekly/episodes%2f..%2f..%2f..%2fruns/run-1/publish/output.json`,
    `${PREFIX}/podcasts/tech-weekly/..%5c..%5cruns/run-1/publish/output.json`,
    `${PREFIX}/podcasts/..%2fruns/run-1/publish/output.json`,
    `${PREFIX}/podcasts/tech-weekly/episodes/ep-1/missing.mp3`,
    `${PREFIX}/podcasts/no-such-show/feed.xml`,
  ])('answers %s with a plain-text 404', async (path) => {
    const reply = await request(path);
    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(reply.body.toString('utf8')).not.toMatch(/secret|<\?xml|NoSuchKey|Error>/);
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])('answers %s with 405 and Allow', async (method) => {
    const reply = await request(EPISODE, { method });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, HEAD');
  });

  it('answers an S3 failure other than not-found with a short 502', async () => {
    const failing = {
      send: () =>
        Promise.reject(
          Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })
        ),
    } as unknown as S3Client;
    const broken = await listenWith(
      createPublicOrigin({ s3: failing, buckets: servers.servers.bucketNames, pathPrefix: PREFIX })
    );
    try {
      const reply = await request(EPISODE, { server: broken });
      expect(reply.status).toBe(502);
      expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(reply.body.toString('utf8').trim()).toBe('Bad Gateway: the object store answered AccessDenied');
    } finally {
      await new Promise((resolve) => broken.close(resolve));
    }
  });
});

describe('client aborts', () => {
  it('survives a client leaving mid-stream and destroys the S3 body', async () => {
    const bodies: Readable[] = [];
    const send = s3.send.bind(s3) as (command: unknown, options?: unknown) => Promise<unknown>;
    const spy = jest.spyOn(s3, 'send').mockImplementation((async (command: unknown, options?: unknown) => {
      const output = await send(command, options);
      if (command instanceof GetObjectCommand) bodies.push((output as { Body: Readable }).Body);
      return output;
    }) as never);
    try {
      const received = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: BIG_MP3_PATH, agent: false }, (res) => {
          res.once('data', (chunk: Buffer) => {
            req.destroy();
            resolve(chunk.length);
          });
        });
        req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
        req.end();
      });
      expect(received).toBeLessThan(BIG_MP3.length);
      await Promise.all([...pending]);
      expect(bodies).toHaveLength(1);
      expect(bodies[0]!.destroyed).toBe(true);
    } finally {
      spy.mockRestore();
    }
    const next = await request(BIG_MP3_PATH, { headers: { Range: 'bytes=-4' } });
    expect(next.status).toBe(206);
    expect(next.body.equals(BIG_MP3.subarray(-4))).toBe(true);
    expect(errors).toEqual([]);
  });
});
