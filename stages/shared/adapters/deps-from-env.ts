/**
 * How a Lambda handler or an ECS task builds its StageDeps from the environment (the deps factory
 * of those composition roots): AWS adapters on the tables and buckets named by ENV, the provider
 * set (offline, plus Bedrock and Polly for podcasts that ask for them), the Powertools logger. The
 * logger, the event log and the run records sit behind the secret redaction guard, fed by the
 * process's provider secrets. The public origin of podcasts without `publicBaseUrl` comes from
 * PUBLIC_ORIGIN_URL (optional). Nothing is registered globally: callers pass the result on.
 */
import { ENV, optionalEnv } from '../env';
import { createPowertoolsLogger } from '../logger';
import type { StageDeps } from '../stage';
import { createAwsPersistence } from './aws/create-aws-persistence';
import { redactDeps, SecretRedactor } from './cloud/secret-redaction';
import { type ProviderFactory, providersFromFactories } from './provider-set';

/**
 * The deps of one stage's Lambda (or a task): persistence, logger and only the providers its
 * factories build (a handler passes those its stage's plan names, so no other provider's code is
 * in its bundle).
 */
export function createDepsFromEnv(
  factories: readonly ProviderFactory[],
  owner: string,
  env: NodeJS.ProcessEnv = process.env
): StageDeps {
  const redactor = new SecretRedactor();
  const deps: StageDeps = {
    ...createAwsPersistence(env),
    providers: providersFromFactories(factories, env, redactor, owner),
    clock: { now: () => new Date() },
    logger: createPowertoolsLogger(),
    publicOrigin: optionalEnv(ENV.publicOrigin, env),
  };
  return redactDeps(deps, redactor);
}
