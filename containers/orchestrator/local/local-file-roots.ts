/**
 * Where `file:` URLs may read in the embedded local mode: the folders of podcast configs loaded
 * with `--podcast`. A data dir remembers the folders of every config loaded into it
 * (`<data-dir>/file-roots.json`), so a later run of a stored podcast (`npm run orchestrator --
 * run.json`, `--resume`) reads its feeds as the first one did. Only the operator's own
 * `--podcast` files ever add a folder; nothing fetched can.
 */
import { realpathSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

export const FILE_ROOTS_FILE = 'file-roots.json';

/** The real folders of the podcast config files (a file that cannot be found is reported when it is loaded). */
export function podcastFolders(cwd: string, files: readonly string[]): string[] {
  return files.flatMap((file) => {
    try {
      return [realpathSync(path.dirname(path.resolve(cwd, file)))];
    } catch {
      return [];
    }
  });
}

async function rememberedRoots(dataDir: string): Promise<string[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(dataDir, FILE_ROOTS_FILE), 'utf8'));
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  // A folder that no longer exists (or moved) is dropped; symlinks are resolved again.
  return raw
    .filter((r): r is string => typeof r === 'string' && path.isAbsolute(r))
    .flatMap((r) => {
      try {
        return [realpathSync(r)];
      } catch {
        return [];
      }
    });
}

/**
 * A folder too wide to be a root: the filesystem's root, the home folder or one of its parents (a
 * config dropped there would open the whole disk or home to its feeds' links). Such a config's
 * file: feeds are refused; keep a podcast's config and feeds in a folder of their own.
 */
export function isTooWideRoot(folder: string, home: string = homedir()): boolean {
  const relative = path.relative(folder, home);
  return (
    path.dirname(folder) === folder ||
    relative === '' ||
    (!relative.startsWith('..') && !path.isAbsolute(relative))
  );
}

/** This run's --podcast folders plus the ones the data dir remembers; the new ones are remembered. */
export async function localFileRoots(
  dataDir: string,
  cwd: string,
  podcastFiles: readonly string[]
): Promise<string[]> {
  const known = (await rememberedRoots(dataDir)).filter((r) => !isTooWideRoot(r));
  const roots = [
    ...new Set([...known, ...podcastFolders(cwd, podcastFiles).filter((r) => !isTooWideRoot(r))]),
  ].sort();
  if (roots.length !== known.length || roots.some((r) => !known.includes(r))) {
    const file = path.join(dataDir, FILE_ROOTS_FILE);
    await writeFile(`${file}.tmp`, `${JSON.stringify(roots, null, 2)}\n`);
    await rename(`${file}.tmp`, file);
  }
  return roots;
}
