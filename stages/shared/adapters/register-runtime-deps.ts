/**
 * Registers how Lambda handlers and ECS tasks build their StageDeps from the environment: AWS
 * adapters on the tables and buckets named by ENV, the provider set, the Powertools logger.
 * Imported for its side effect by the handler wrapper and the task entry points.
 */
import { createPowertoolsLogger } from '../logger';
import { setRuntimeDepsFactory } from '../runtime-deps';
import type { StageDeps } from '../stage';
import { createAwsPersistence } from './aws/create-aws-persistence';
import { createProviders } from './create-providers';

export function createDepsFromEnv(env: NodeJS.ProcessEnv = process.env): StageDeps {
  return {
    ...createAwsPersistence(env),
    providers: createProviders(env.FFMPEG_PATH ? { ffmpegPath: env.FFMPEG_PATH } : {}),
    clock: { now: () => new Date() },
    logger: createPowertoolsLogger(),
  };
}

setRuntimeDepsFactory(() => createDepsFromEnv());
