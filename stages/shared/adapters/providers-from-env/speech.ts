/** The speech part: offline mespeak voices, and Polly for podcasts that ask for it. */
import { cloudProvidersFromEnv } from '../cloud/create-cloud-providers';
import { castOf } from '../../voice-cast';
import { speechChooser } from '../provider-choice';
import { MespeakSpeech } from '../offline/mespeak-speech';
import type { ProviderFactory } from '../provider-set';

export const speechFromEnv: ProviderFactory = {
  kind: 'speech',
  build: (env, redactor) => ({
    speechFor: speechChooser(
      (podcast) => new MespeakSpeech(castOf(podcast)),
      cloudProvidersFromEnv(env, redactor).speech
    ),
  }),
};
