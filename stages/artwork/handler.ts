import { getStage } from '../pipeline-plan';
import { createDepsFromEnv } from '../shared/adapters/deps-from-env';
import { artworkFromEnv } from '../shared/adapters/providers-from-env/artwork';
import { fetcherFromEnv } from '../shared/adapters/providers-from-env/fetcher';
import { createLambdaHandler } from '../shared/lambda-entry';
import { artworkStage } from './artwork';

/** This Lambda's stage (its plan entry and module) and the providers its plan names: nothing else is bundled. */
export const stage = { ...getStage('artwork'), module: artworkStage };
export const providers = [artworkFromEnv, fetcherFromEnv];
export const handler = createLambdaHandler(stage, () =>
  createDepsFromEnv(providers, `the ${stage.id} Lambda`)
);
