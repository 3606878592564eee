import { getStage } from '../pipeline-plan';
import { createDepsFromEnv } from '../shared/adapters/deps-from-env';
import { mixerFromEnv } from '../shared/adapters/providers-from-env/mixer';
import { createLambdaHandler } from '../shared/lambda-entry';
import { mixStage } from './mix';

/** This Lambda's stage (its plan entry and module) and the providers its plan names: nothing else is bundled. */
export const stage = { ...getStage('mix'), module: mixStage };
export const providers = [mixerFromEnv];
export const handler = createLambdaHandler(stage, () =>
  createDepsFromEnv(providers, `the ${stage.id} Lambda`)
);
