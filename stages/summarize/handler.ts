import { getStage } from '../pipeline-plan';
import { createDepsFromEnv } from '../shared/adapters/deps-from-env';
import { writerFromEnv } from '../shared/adapters/providers-from-env/writer';
import { createLambdaHandler } from '../shared/lambda-entry';
import { summarizeStage } from './summarize';

/** This Lambda's stage (its plan entry and module) and the providers its plan names: nothing else is bundled. */
export const stage = { ...getStage('summarize'), module: summarizeStage };
export const providers = [writerFromEnv];
export const handler = createLambdaHandler(stage, () =>
  createDepsFromEnv(providers, `the ${stage.id} Lambda`)
);
