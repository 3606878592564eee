/**
 * One set of local servers per data directory. LevelDB allows a single opener, and dynalite
 * reports a second one by throwing from a callback (which kills the process), so the directory
 * is claimed first with a lock file holding the owner's pid. A lock left by a process that no
 * longer exists is taken over.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const LOCK_FILE = 'local-servers.lock';
/** Lock files this process holds: a file naming our pid but not listed here was left by an
 * earlier process that had the same pid (pid 1 in every container, for one). */
const heldHere = new Set<string>();
/** A lock file without a pid yet is another process between creating and writing it, unless older. */
const UNWRITTEN_LOCK_GRACE_MS = 5_000;

/** The directory is held by a live process (exit 1, printed as it is: it names the holder). */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
}

/**
 * The last resort: a process that exits without stopping its servers (process.exit from a stop
 * signal's deadline, an uncaught error) still removes the lock files it holds, synchronously.
 */
function releaseHeldLocksSync(): void {
  for (const path of heldHere) {
    try {
      if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
    } catch {
      // gone already
    }
  }
  heldHere.clear();
}
let exitHookInstalled = false;

/** Whether a process with this pid exists (EPERM: it does, but belongs to someone else). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function processAlive(pid: number, path: string): boolean {
  return pid === process.pid ? heldHere.has(path) : processExists(pid);
}

async function lockOwner(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Takes the directory's lock or throws naming the process that holds it. Returns the release function. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, LOCK_FILE);
  for (let round = 0; round < 2; round++) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(String(process.pid));
      } catch (writeError) {
        // A full disk (ENOSPC): leave no empty lock file behind to block the next start.
        await handle.close().catch(() => undefined);
        await unlink(path).catch(() => undefined);
        throw writeError;
      }
      await handle.close();
      heldHere.add(path);
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once('exit', releaseHeldLocksSync);
      }
      return async () => {
        if (!heldHere.delete(path)) return;
        await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = await lockOwner(path);
      if (owner !== undefined && processAlive(owner, path)) {
        const who = owner === process.pid ? 'this process' : `process ${owner}`;
        throw new DataDirLockedError(
          `local servers for ${dataDir} are already running in ${who} (lock file ${path})`,
          { cause: error }
        );
      }
      if (owner === undefined) {
        const age = await stat(path).then(
          (s) => Date.now() - s.mtimeMs,
          () => Number.POSITIVE_INFINITY
        );
        if (age < UNWRITTEN_LOCK_GRACE_MS) {
          throw new DataDirLockedError(
            `local servers for ${dataDir} are being started by another process (lock file ${path})`,
            { cause: error }
          );
        }
      }
      await unlink(path).catch(() => undefined); // stale: its owner is gone
    }
  }
  throw new Error(`could not take the lock file ${path}`);
}
