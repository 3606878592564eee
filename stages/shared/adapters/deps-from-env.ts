/**
 * How a Lambda handler or an ECS task builds its StageDeps from the environment (the deps factory
 * of those composition roots): AWS adapters on the tables and buckets named by ENV, the provider
 * set (offline, plus Bedrock and Polly for podcasts that ask for them), the Powertools logger. The
 * logger, the event log and the run records sit behind the secret redaction guard, fed by the
 * process's provider secrets. Nothing is registered globally: callers pass the result on.
 */
import { createPowertoolsLogger } from '../logger';
import type { ProviderSet } from '../providers';
import type { StageDeps } from '../stage';
import { createAwsPersistence } from './aws/create-aws-persistence';
import { cloudProvidersFromEnv } from './cloud/create-cloud-providers';
import { redactDeps, SecretRedactor } from './cloud/secret-redaction';
import { createProviders } from './create-providers';
import { type FetchPolicy, fetchPolicyFromEnv } from './fetch/fetch-policy';

/**
 * The provider set a process gets from its environment (FFMPEG_PATH, BEDROCK_MODEL_ID,
 * PROVIDER_SECRET_ARN, FETCH_ALLOW_HOSTS); `fetchPolicy` replaces the one read from it.
 */
export function providersFromEnv(env: NodeJS.ProcessEnv, redactor: SecretRedactor, fetchPolicy: FetchPolicy = fetchPolicyFromEnv(env)): ProviderSet {
  return createProviders({ ...(env.FFMPEG_PATH ? { ffmpegPath: env.FFMPEG_PATH } : {}), cloud: cloudProvidersFromEnv(env, redactor), fetchPolicy });
}

export function createDepsFromEnv(env: NodeJS.ProcessEnv = process.env): StageDeps {
  const redactor = new SecretRedactor();
  const deps: StageDeps = {
    ...createAwsPersistence(env),
    providers: providersFromEnv(env, redactor),
    clock: { now: () => new Date() },
    logger: createPowertoolsLogger(),
  };
  return redactDeps(deps, redactor);
}

