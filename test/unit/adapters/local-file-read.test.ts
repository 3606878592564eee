/**
 * `file:` reads under the fetch policy: only regular files under a root, symlinks resolved, FIFOs
 * and devices refused without blocking, bytes capped as read.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UrlFetcher } from '../../../stages/shared/adapters/fetch/url-fetcher';
import { FatalStageError } from '../../../stages/shared/errors';
import { exampleFetcher } from '../../fixtures/example-fetch-policy';
import { exampleFileUrl } from '../stages/content-fixtures';

let root: string;
let outside: string;
const url = (...parts: string[]) => pathToFileURL(path.join(root, ...parts)).href;
const rooted = (maxBytes = 1024 * 1024) =>
  new UrlFetcher({ policy: { fileRoots: [root], maxBytes, timeoutMs: 2000 } });

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(FatalStageError);
  return (error as Error).message;
}

beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'file-root-')));
  outside = realpathSync(mkdtempSync(path.join(tmpdir(), 'file-outside-')));
  mkdirSync(path.join(root, 'articles'));
  writeFileSync(path.join(root, 'articles', 'story.html'), '<p>a local story</p>');
  writeFileSync(path.join(root, 'articles', 'big.html'), 'x'.repeat(4096));
  writeFileSync(path.join(root, 'articles', 'notes.json'), '{}');
  writeFileSync(path.join(outside, 'secret.html'), 'OUTSIDE-CANARY');
  symlinkSync(path.join(outside, 'secret.html'), path.join(root, 'articles', 'escape.html'));
  symlinkSync('/dev/zero', path.join(root, 'articles', 'zero.html'));
  symlinkSync('/etc/passwd', path.join(root, 'articles', 'passwd.html'));
  execFileSync('mkfifo', [path.join(root, 'articles', 'pipe.html')]);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('file: reads', () => {
  it('reads a regular file under the root, typed by its extension', async () => {
    const document = await rooted().fetch(url('articles', 'story.html'), { kind: 'page' });
    expect(document.body.toString()).toBe('<p>a local story</p>');
    expect(document.contentType).toMatch(/^text\/html/);
    const feed = await exampleFetcher().fetch(exampleFileUrl('feeds/silicon-ledger.xml'), { kind: 'feed' });
    expect(feed.body.toString()).toContain('<feed');
  });

  it('reads nothing at all without a root (every mode but the embedded one)', async () => {
    expect(await refusal(new UrlFetcher().fetch(url('articles', 'story.html'), { kind: 'page' }))).toMatch(
      /file: URLs are read only for a podcast config loaded with --podcast/
    );
    expect(await refusal(new UrlFetcher().fetch('file:///etc/passwd', { kind: 'page' }))).toMatch(
      /blocked by the fetch policy/
    );
  });

  it.each([
    ['file:///etc/passwd', /only \.html/],
    ['file:///etc/hostname.html', /no such file|outside the podcast config's folder/],
    ['file:///proc/self/environ', /only \.html/],
    ['file:///proc/self/environ.html', /no such file/],
    ['file:///dev/zero', /only \.html/],
  ])('refuses %s', async (target, reason) => {
    expect(await refusal(rooted().fetch(target, { kind: 'page' }))).toMatch(reason);
  });

  it('follows symlinks to their real place and refuses one that leaves the root', async () => {
    expect(await refusal(rooted().fetch(url('articles', 'escape.html'), { kind: 'page' }))).toMatch(
      /outside the podcast config's folder/
    );
    expect(await refusal(rooted().fetch(url('articles', 'passwd.html'), { kind: 'page' }))).toMatch(
      /outside the podcast config's folder/
    );
    expect(await refusal(rooted().fetch(url('articles', 'zero.html'), { kind: 'page' }))).toMatch(
      /outside the podcast config's folder/
    );
    expect(
      await refusal(rooted().fetch(url('..', path.basename(outside), 'secret.html'), { kind: 'page' }))
    ).toMatch(/outside/);
  });

  it('refuses a unix socket, and a FIFO reached through a symlink, as not regular files', async () => {
    const socketPath = path.join(root, 'articles', 'socket.html');
    const listener = createServer();
    await new Promise<void>((resolve) => listener.listen(socketPath, resolve));
    try {
      expect(await refusal(rooted().fetch(url('articles', 'socket.html'), { kind: 'page' }))).toBe(
        `cannot read ${url('articles', 'socket.html')}: not a regular file (a socket or device)`
      );
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
    symlinkSync(path.join(root, 'articles', 'pipe.html'), path.join(root, 'articles', 'pipe-link.html'));
    expect(await refusal(rooted().fetch(url('articles', 'pipe-link.html'), { kind: 'page' }))).toMatch(
      /not a regular file/
    );
  });

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const started = Date.now();
    expect(await refusal(rooted().fetch(url('articles', 'pipe.html'), { kind: 'page' }))).toMatch(
      /not a regular file/
    );
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('refuses directories, other file types and hosts in file URLs, and caps the bytes read', async () => {
    expect(
      await refusal(rooted().fetch(pathToFileURL(path.join(root, 'articles')).href, { kind: 'page' }))
    ).toMatch(/only \.html/);
    expect(await refusal(rooted().fetch(url('articles', 'notes.json'), { kind: 'page' }))).toMatch(
      /only \.html/
    );
    expect(
      await refusal(rooted().fetch(`file://remote-host${root}/articles/story.html`, { kind: 'page' }))
    ).toMatch(/not a local file URL/);
    expect(await refusal(rooted(1000).fetch(url('articles', 'big.html'), { kind: 'page' }))).toMatch(
      /over the 1000-byte limit/
    );
  });
});
