import { getStage } from '../pipeline-plan';
import { createDepsFromEnv } from '../shared/adapters/deps-from-env';
import { createLambdaHandler } from '../shared/lambda-entry';
import { prepareStage } from './prepare';

/** This Lambda's stage: its plan entry and its module (the only stage in the bundle). */
export const stage = { ...getStage('prepare'), module: prepareStage };
export const handler = createLambdaHandler(stage, () => createDepsFromEnv());
