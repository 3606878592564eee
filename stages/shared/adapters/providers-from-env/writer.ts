/** The writer part: the offline extractive writer, and Bedrock for podcasts that ask for it. */
import { cloudProvidersFromEnv } from '../cloud/create-cloud-providers';
import { writerChooser } from '../provider-choice';
import { ExtractiveWriter } from '../offline/extractive-writer';
import type { ProviderFactory } from '../provider-set';

export const writerFromEnv: ProviderFactory = {
  kind: 'writer',
  build: (env, redactor) => ({
    writerFor: writerChooser(new ExtractiveWriter(), cloudProvidersFromEnv(env, redactor).writer),
  }),
};
