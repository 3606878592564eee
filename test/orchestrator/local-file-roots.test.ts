/** The embedded mode's file roots: this run's --podcast folders plus those the data dir remembers. */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  FILE_ROOTS_FILE,
  isTooWideRoot,
  localFileRoots,
} from '../../containers/orchestrator/local/local-file-roots';

let work: string;
beforeEach(() => {
  work = realpathSync(mkdtempSync(path.join(tmpdir(), 'file-roots-')));
  for (const dir of ['data', 'show-a', 'show-b']) mkdirSync(path.join(work, dir));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

it('remembers the folders of --podcast files for later runs of the same data dir', async () => {
  const data = path.join(work, 'data');
  expect(await localFileRoots(data, work, ['show-a/podcast.json'])).toEqual([path.join(work, 'show-a')]);
  expect(await localFileRoots(data, work, [])).toEqual([path.join(work, 'show-a')]);
  expect(await localFileRoots(data, work, ['show-b/podcast.json'])).toEqual([
    path.join(work, 'show-a'),
    path.join(work, 'show-b'),
  ]);
  expect(JSON.parse(readFileSync(path.join(data, FILE_ROOTS_FILE), 'utf8'))).toHaveLength(2);
});

it('drops remembered folders that vanished and ignores a file that is not a list of absolute paths', async () => {
  const data = path.join(work, 'data');
  writeFileSync(
    path.join(data, FILE_ROOTS_FILE),
    JSON.stringify([path.join(work, 'gone'), 'relative/path', 42, path.join(work, 'show-b')])
  );
  expect(await localFileRoots(data, work, [])).toEqual([path.join(work, 'show-b')]);
  writeFileSync(path.join(data, FILE_ROOTS_FILE), '{"not": "a list"}');
  expect(await localFileRoots(data, work, [])).toEqual([]);
  writeFileSync(path.join(data, FILE_ROOTS_FILE), 'not json');
  expect(await localFileRoots(data, work, [])).toEqual([]);
});

it('never makes the filesystem root, the home folder or a parent of it a root', async () => {
  expect(isTooWideRoot('/', '/home/me')).toBe(true);
  expect(isTooWideRoot('/home/me', '/home/me')).toBe(true);
  expect(isTooWideRoot('/home', '/home/me')).toBe(true);
  expect(isTooWideRoot('/home/me/shows/tech', '/home/me')).toBe(false);
  expect(isTooWideRoot('/srv/shows', '/home/me')).toBe(false);
  const data = path.join(work, 'data');
  writeFileSync(path.join(data, FILE_ROOTS_FILE), JSON.stringify(['/', path.join(work, 'show-a')]));
  expect(await localFileRoots(data, '/', ['podcast.json'])).toEqual([path.join(work, 'show-a')]);
});
