/**
 * Every provider a process that runs any stage needs (the orchestrator CLI and container, the ECS
 * stage task), from its environment: FFMPEG_PATH, BEDROCK_MODEL_ID, PROVIDER_SECRET_ARN,
 * FETCH_ALLOW_HOSTS; `fetchPolicy` replaces the one read from it.
 */
import type { ProviderSet } from '../providers';
import { cloudProvidersFromEnv } from './cloud/create-cloud-providers';
import type { SecretRedactor } from './cloud/secret-redaction';
import { createProviders } from './create-providers';
import { type FetchPolicy, fetchPolicyFromEnv } from './fetch/fetch-policy';
import { artworkFromEnv } from './providers-from-env/artwork';
import { fetcherFromEnv } from './providers-from-env/fetcher';
import { mixerFromEnv } from './providers-from-env/mixer';
import { speechFromEnv } from './providers-from-env/speech';
import { writerFromEnv } from './providers-from-env/writer';
import type { ProviderFactory } from './provider-set';

export function providersFromEnv(
  env: NodeJS.ProcessEnv,
  redactor: SecretRedactor,
  fetchPolicy: FetchPolicy = fetchPolicyFromEnv(env)
): ProviderSet {
  return createProviders({
    ...(env.FFMPEG_PATH ? { ffmpegPath: env.FFMPEG_PATH } : {}),
    cloud: cloudProvidersFromEnv(env, redactor),
    fetchPolicy,
  });
}

/** All the factories, for a composition root that runs any stage (the ECS stage task). */
export const ALL_PROVIDER_FACTORIES: readonly ProviderFactory[] = [
  fetcherFromEnv,
  writerFromEnv,
  speechFromEnv,
  mixerFromEnv,
  artworkFromEnv,
];
