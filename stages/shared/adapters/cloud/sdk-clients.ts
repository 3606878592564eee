/**
 * The cloud providers' SDK clients, created lazily and once per process. Each SDK module is
 * required on first use only, so a process whose podcasts never ask for Bedrock, Polly or a
 * provider secret never loads that module, and a Lambda bundle can leave it out (mark it
 * external) without breaking the stages that do not call it. Type imports are erased.
 *
 * Retries: two layers, one per concern (issue 12).
 * 1. Inside one provider call, the SDK's own retry strategy, configured here and nowhere else
 *    (PROVIDER_SDK_RETRY): throttling, 5xx and network resets are retried with exponential backoff
 *    and full jitter, at most PROVIDER_SDK_MAX_ATTEMPTS calls. The adapters make one `send` per
 *    request and only classify what survives that budget (provider-errors.ts): RetryableStageError
 *    or FatalStageError, by name.
 * 2. Across stage attempts, the plan's retry policy (pipeline-plan.ts), applied by Step Functions or
 *    by the monolithic engine; it runs the whole unit again, each request with a fresh SDK budget.
 * So one provider request costs at most WORST_CASE_PROVIDER_CALLS calls (below, from the plan).
 *
 * Region and credentials come from the SDK's default chain (AWS_REGION and the Lambda/ECS task
 * role).
 */
import type * as BedrockRuntimeSdk from '@aws-sdk/client-bedrock-runtime';
import type * as PollySdk from '@aws-sdk/client-polly';
import type * as SecretsManagerSdk from '@aws-sdk/client-secrets-manager';
import { STAGES, type StagePlanEntry } from '../../../pipeline-plan';

/** Calls one provider request may make inside the SDK, the first included (the SDK's default). */
export const PROVIDER_SDK_MAX_ATTEMPTS = 3;

/**
 * The SDK retry settings every provider client is built with. `standard`, not `adaptive`: both
 * bound the calls by `maxAttempts` and back off throttles longer than other errors, but adaptive
 * adds a client-side rate limiter that assumes one client talks to one resource. Here one client
 * per process serves every Bedrock model and every concurrent shard, so a throttle on one model
 * would slow the others, and the limiter's waits (which can exceed a second per call after a
 * throttle) come on top of the stage's timeout budget. Sustained throttling is better left to the
 * plan's retry, whose backoff is measured in seconds.
 */
export const PROVIDER_SDK_RETRY = { maxAttempts: PROVIDER_SDK_MAX_ATTEMPTS, retryMode: 'standard' } as const;

/** The plan stages whose providers call Bedrock (`writer`) or Polly (`speech`) in cloud mode. */
export const PROVIDER_CALLING_STAGES: readonly StagePlanEntry[] = STAGES.filter((stage) =>
  stage.providers?.some((kind) => kind === 'writer' || kind === 'speech')
);

/**
 * Worst case of provider calls for one request (one Converse call, one Polly chunk) of each stage
 * that calls a provider: the SDK budget × the stage's plan attempts. With the plan's standard
 * policy (3 attempts) that is 3 × 3 = 9 for summarize, outline, script and tts.
 */
export const WORST_CASE_PROVIDER_CALLS_BY_STAGE: Readonly<Record<string, number>> = Object.fromEntries(
  PROVIDER_CALLING_STAGES.map((stage) => [stage.id, PROVIDER_SDK_MAX_ATTEMPTS * stage.retry.maxAttempts])
);

/** The largest of WORST_CASE_PROVIDER_CALLS_BY_STAGE: what one provider request can cost at most. */
export const WORST_CASE_PROVIDER_CALLS: number = Math.max(
  ...Object.values(WORST_CASE_PROVIDER_CALLS_BY_STAGE)
);

/* eslint-disable @typescript-eslint/no-require-imports */
let bedrockSdk: typeof BedrockRuntimeSdk | undefined;
let pollySdk: typeof PollySdk | undefined;
let secretsSdk: typeof SecretsManagerSdk | undefined;

export function loadBedrockSdk(): typeof BedrockRuntimeSdk {
  bedrockSdk ??= require('@aws-sdk/client-bedrock-runtime') as typeof BedrockRuntimeSdk;
  return bedrockSdk;
}

export function loadPollySdk(): typeof PollySdk {
  pollySdk ??= require('@aws-sdk/client-polly') as typeof PollySdk;
  return pollySdk;
}

export function loadSecretsManagerSdk(): typeof SecretsManagerSdk {
  secretsSdk ??= require('@aws-sdk/client-secrets-manager') as typeof SecretsManagerSdk;
  return secretsSdk;
}
/* eslint-enable @typescript-eslint/no-require-imports */

let bedrock: BedrockRuntimeSdk.BedrockRuntimeClient | undefined;
let polly: PollySdk.PollyClient | undefined;
let secretsManager: SecretsManagerSdk.SecretsManagerClient | undefined;

/** A Bedrock Runtime client with the provider retry settings; `overrides` (a region, credentials, a request handler) are for tests. */
export function createBedrockRuntimeClient(
  overrides: BedrockRuntimeSdk.BedrockRuntimeClientConfig = {}
): BedrockRuntimeSdk.BedrockRuntimeClient {
  return new (loadBedrockSdk().BedrockRuntimeClient)({ ...PROVIDER_SDK_RETRY, ...overrides });
}

/** A Polly client with the provider retry settings; `overrides` are for tests. */
export function createPollyClient(overrides: PollySdk.PollyClientConfig = {}): PollySdk.PollyClient {
  return new (loadPollySdk().PollyClient)({ ...PROVIDER_SDK_RETRY, ...overrides });
}

/** The process's Bedrock Runtime client (created on first call). */
export function bedrockRuntimeClient(): BedrockRuntimeSdk.BedrockRuntimeClient {
  bedrock ??= createBedrockRuntimeClient();
  return bedrock;
}

/** The process's Polly client (created on first call). */
export function pollyClient(): PollySdk.PollyClient {
  polly ??= createPollyClient();
  return polly;
}

/** The process's Secrets Manager client (created on first call; the same SDK retry settings). */
export function secretsManagerClient(): SecretsManagerSdk.SecretsManagerClient {
  secretsManager ??= new (loadSecretsManagerSdk().SecretsManagerClient)({ ...PROVIDER_SDK_RETRY });
  return secretsManager;
}

/** Which clients this process has created (diagnostics and tests). */
export function createdCloudClients(): string[] {
  return [bedrock && 'bedrock-runtime', polly && 'polly', secretsManager && 'secrets-manager'].filter(
    (name): name is string => Boolean(name)
  );
}
