/**
 * While a process holds a data directory's local servers, it publishes where they listen
 * (`<dataDir>/local-servers.json`: its pid and the servers' environment), so an operator command
 * (`runs approve` on a run waiting in `npm start`) joins those servers instead of failing on the
 * directory's lock. The file is removed when the servers stop; one naming a process that is gone
 * is ignored.
 */
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { processExists } from './data-dir-lock';

const RUNNING_FILE = 'local-servers.json';

interface RunningServers {
  pid: number;
  env: Record<string, string>;
}

export async function publishRunningServers(
  dataDir: string,
  env: Record<string, string>
): Promise<() => Promise<void>> {
  const path = join(dataDir, RUNNING_FILE);
  const running: RunningServers = { pid: process.pid, env };
  await writeFile(path, `${JSON.stringify(running)}\n`, { mode: 0o600 });
  return async () => {
    await unlink(path).catch(() => undefined);
  };
}

/** The environment of the servers another live process runs on `dataDir`, when it published one. */
export async function runningServersEnv(dataDir: string): Promise<Record<string, string> | undefined> {
  const text = await readFile(join(dataDir, RUNNING_FILE), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  let running: Partial<RunningServers>;
  try {
    running = JSON.parse(text) as Partial<RunningServers>;
  } catch {
    return undefined;
  }
  if (typeof running.pid !== 'number' || running.pid === process.pid || !processExists(running.pid))
    return undefined;
  if (!running.env || typeof running.env !== 'object') return undefined;
  const env = Object.fromEntries(
    Object.entries(running.env).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
  );
  // Only the servers' own addresses on this machine: the file is not a way to point the CLI elsewhere.
  const local = (url: string | undefined) => !url || /^http:\/\/127\.0\.0\.1:\d+$/.test(url);
  return local(env.AWS_ENDPOINT_URL_DYNAMODB) && local(env.AWS_ENDPOINT_URL_S3) ? env : undefined;
}
