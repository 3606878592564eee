import { getStage } from '../pipeline-plan';
import { createDepsFromEnv } from '../shared/adapters/deps-from-env';
import { createLambdaHandler } from '../shared/lambda-entry';
import { summarizeStage } from './summarize';

/** This Lambda's stage: its plan entry and its module (the only stage in the bundle). */
export const stage = { ...getStage('summarize'), module: summarizeStage };
export const handler = createLambdaHandler(stage, () => createDepsFromEnv());
