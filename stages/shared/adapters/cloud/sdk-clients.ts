/**
 * The cloud providers' SDK clients, created lazily and once per process. Each SDK module is
 * required on first use only, so a process whose podcasts never ask for Bedrock, Polly or a
 * provider secret never loads that module, and a Lambda bundle can leave it out (mark it
 * external) without breaking the stages that do not call it. Type imports are erased.
 *
 * The clients make one attempt per call (`maxAttempts: 1`): the adapters retry throttling
 * themselves with their own backoff (provider-retry.ts) and then hand the failure to the
 * registry's retry policy, so retries never multiply across layers. Region and credentials come
 * from the SDK's default chain (AWS_REGION and the Lambda/ECS task role).
 */
import type * as BedrockRuntimeSdk from '@aws-sdk/client-bedrock-runtime';
import type * as PollySdk from '@aws-sdk/client-polly';
import type * as SecretsManagerSdk from '@aws-sdk/client-secrets-manager';

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

/** The process's Bedrock Runtime client (created on first call). */
export function bedrockRuntimeClient(): BedrockRuntimeSdk.BedrockRuntimeClient {
  bedrock ??= new (loadBedrockSdk().BedrockRuntimeClient)({ maxAttempts: 1 });
  return bedrock;
}

/** The process's Polly client (created on first call). */
export function pollyClient(): PollySdk.PollyClient {
  polly ??= new (loadPollySdk().PollyClient)({ maxAttempts: 1 });
  return polly;
}

/** The process's Secrets Manager client (created on first call; the SDK's own retries apply). */
export function secretsManagerClient(): SecretsManagerSdk.SecretsManagerClient {
  secretsManager ??= new (loadSecretsManagerSdk().SecretsManagerClient)({});
  return secretsManager;
}

/** Which clients this process has created (diagnostics and tests). */
export function createdCloudClients(): string[] {
  return [bedrock && 'bedrock-runtime', polly && 'polly', secretsManager && 'secrets-manager'].filter((name): name is string => Boolean(name));
}
