import { getStage } from '../pipeline-plan';
import { createDepsFromEnv } from '../shared/adapters/deps-from-env';
import { createLambdaHandler } from '../shared/lambda-entry';
import { mixStage } from './mix';

/** This Lambda's stage: its plan entry and its module (the only stage in the bundle). */
export const stage = { ...getStage('mix'), module: mixStage };
export const handler = createLambdaHandler(stage, () => createDepsFromEnv());
