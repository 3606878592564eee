import { getStage } from '../pipeline-plan';
import { createDepsFromEnv } from '../shared/adapters/deps-from-env';
import { speechFromEnv } from '../shared/adapters/providers-from-env/speech';
import { createLambdaHandler } from '../shared/lambda-entry';
import { ttsStage } from './tts';

/** This Lambda's stage (its plan entry and module) and the providers its plan names: nothing else is bundled. */
export const stage = { ...getStage('tts'), module: ttsStage };
export const providers = [speechFromEnv];
export const handler = createLambdaHandler(stage, () =>
  createDepsFromEnv(providers, `the ${stage.id} Lambda`)
);
