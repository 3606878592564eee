import { getStage } from '../pipeline-plan';
import { createDepsFromEnv } from '../shared/adapters/deps-from-env';
import { createLambdaHandler } from '../shared/lambda-entry';
import { ttsStage } from './tts';

/** This Lambda's stage: its plan entry and its module (the only stage in the bundle). */
export const stage = { ...getStage('tts'), module: ttsStage };
export const handler = createLambdaHandler(stage, () => createDepsFromEnv());
