import { getStage } from '../pipeline-plan';
import { createDepsFromEnv } from '../shared/adapters/deps-from-env';
import { createLambdaHandler } from '../shared/lambda-entry';
import { publishStage } from './publish';

/** This Lambda's stage (its plan entry and module) and the providers its plan names: nothing else is bundled. */
export const stage = { ...getStage('publish'), module: publishStage };
export const providers = [];
export const handler = createLambdaHandler(stage, () =>
  createDepsFromEnv(providers, `the ${stage.id} Lambda`)
);
