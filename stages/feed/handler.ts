import { getStage } from '../pipeline-plan';
import { createDepsFromEnv } from '../shared/adapters/deps-from-env';
import { createLambdaHandler } from '../shared/lambda-entry';
import { feedStage } from './feed';

/** This Lambda's stage: its plan entry and its module (the only stage in the bundle). */
export const stage = { ...getStage('feed'), module: feedStage };
export const handler = createLambdaHandler(stage, () => createDepsFromEnv());
