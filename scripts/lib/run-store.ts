/**
 * Where the operator scripts (runs, start-run --wait) read and write runs: the deployed tables
 * (names from the environment, the stack's outputs: RUNS_TABLE, EVENTS_TABLE, ... see ENV) or,
 * with --local, the embedded local servers' data directory that the orchestrator CLI uses
 * (.data by default). Both go through the same DynamoDB adapters.
 *
 * The local servers lock their data directory: stop a running local orchestrator first.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  createAwsPersistence,
  type AwsPersistence,
} from '../../stages/shared/adapters/aws/create-aws-persistence';
import { ENV } from '../../stages/shared/env';
import { describeError, ValidationError } from '../../stages/shared/errors';
import { StderrLogger } from '../../stages/shared/logger';
import type { ProviderSet } from '../../stages/shared/providers';
import type { StageDeps } from '../../stages/shared/stage';

export const DEFAULT_DATA_DIR = '.data';

export interface RunStore {
  persistence: AwsPersistence;
  /** Deps for the run lifecycle helpers (failRun); the stage providers are not available here. */
  deps: StageDeps;
  /** Where the data is, for messages. */
  where: string;
  close(): Promise<void>;
}

export interface StoreLocation {
  local: boolean;
  dataDir?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** The operator scripts never run stages: touching a provider is a programming error. */
const noProviders = new Proxy({} as ProviderSet, {
  get(_target, prop) {
    throw new Error(`providers.${String(prop)} is not available in the operator scripts`);
  },
});

export function operatorDeps(persistence: AwsPersistence): StageDeps {
  return {
    ...persistence,
    providers: noProviders,
    clock: { now: () => new Date() },
    logger: new StderrLogger('warn'),
  };
}

/** The operator scripts read an existing data folder; they never create one (a typo would look like "no runs"). */
async function requireExistingFolder(dataDir: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dataDir)).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? 'does not exist'
        : `cannot be read (${code ?? describeError(error).message})`;
    throw new ValidationError(
      `--data-dir ${dataDir} ${why}: pass the folder the orchestrator keeps its local data in (default ${DEFAULT_DATA_DIR})`,
      '--data-dir'
    );
  }
  if (!isDirectory) throw new ValidationError(`--data-dir ${dataDir} is not a folder`, '--data-dir');
}

/**
 * `existingDataDir`: the local data folder must already exist (`runs` reads runs; it never
 * creates a folder). start-run --local leaves it to the orchestrator, which creates it.
 */
export async function openRunStore(
  location: StoreLocation,
  options: { existingDataDir?: boolean } = {}
): Promise<RunStore> {
  if (!location.local) {
    // The tables are named by the stack's outputs; without them there is nothing to read on AWS.
    if (!location.env[ENV.runsTable]) {
      throw new ValidationError(
        `${ENV.runsTable} is not set: export the stack's outputs (RUNS_TABLE, EVENTS_TABLE, PODCASTS_TABLE, EPISODES_TABLE, MEDIA_BUCKET, RSS_BUCKET) to read runs on AWS, or pass --local (or --data-dir <dir>) for the local runs`,
        ENV.runsTable
      );
    }
    let persistence: AwsPersistence;
    try {
      persistence = createAwsPersistence(location.env);
    } catch (error) {
      throw new ValidationError(
        `${describeError(error).message} (export the stack's outputs: RUNS_TABLE, EVENTS_TABLE, PODCASTS_TABLE, EPISODES_TABLE, MEDIA_BUCKET, RSS_BUCKET; or pass --local)`,
        'env'
      );
    }
    return {
      persistence,
      deps: operatorDeps(persistence),
      where: `table ${location.env.RUNS_TABLE}`,
      close: async () => undefined,
    };
  }
  const dataDir = path.resolve(location.cwd, location.dataDir ?? DEFAULT_DATA_DIR);
  if (options.existingDataDir) await requireExistingFolder(dataDir);
  let servers: Awaited<
    ReturnType<typeof import('../../containers/orchestrator/local/local-servers').startLocalServers>
  >;
  try {
    const { startLocalServers } = await import('../../containers/orchestrator/local/local-servers');
    servers = await startLocalServers({ dataDir });
  } catch (error) {
    // Another process runs the directory's servers (a run waiting for approval in npm start):
    // join them, as `runs` does with serve.
    const { runningServersEnv } = await import('../../containers/orchestrator/local/running-servers');
    const running = await runningServersEnv(dataDir);
    if (running) {
      const persistence = createAwsPersistence({ ...location.env, ...running });
      return {
        persistence,
        deps: operatorDeps(persistence),
        where: `local data ${dataDir} (the servers of the process running on it)`,
        close: async () => undefined,
      };
    }
    throw new ValidationError(
      `cannot open the local data in ${dataDir}: ${describeError(error).message}`,
      '--data-dir'
    );
  }
  const persistence = createAwsPersistence({ ...location.env, ...servers.env });
  return {
    persistence,
    deps: operatorDeps(persistence),
    where: `local data ${dataDir}`,
    close: () => servers.stop(),
  };
}
