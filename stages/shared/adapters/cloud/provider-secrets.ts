/**
 * ProviderSecrets: third-party provider keys, kept in one Secrets Manager secret (a JSON object of
 * `{ "<name>": "<value>" }`) whose ARN the stack sets in PROVIDER_SECRET_ARN next to the grant.
 * The secret is read once per process: the first getSecret starts one GetSecretValue, concurrent
 * callers share that in-flight promise, later callers get the cached values. A failed read is not
 * cached (the next call tries again). Every value is registered with the redaction guard before
 * any caller sees it, and no message here ever contains a value (key names only).
 *
 * Bedrock and Polly need no key (they use the function's or task's IAM role); the mechanism is
 * for providers that do.
 */
import type { GetSecretValueCommandOutput } from '@aws-sdk/client-secrets-manager';
import { FatalStageError, RetryableStageError } from '../../errors';
import { describeProviderError, isTransientProviderError } from './provider-errors';
import { loadSecretsManagerSdk, secretsManagerClient } from './sdk-clients';
import type { SecretRedactor } from './secret-redaction';

export interface GetSecretClient {
  send(
    command: InstanceType<ReturnType<typeof loadSecretsManagerSdk>['GetSecretValueCommand']>
  ): Promise<GetSecretValueCommandOutput>;
}

export interface ProviderSecretsOptions {
  /** The secret's ARN (env PROVIDER_SECRET_ARN); without it, asking for a secret is a FatalStageError. */
  secretArn?: string;
  /** Every loaded value is registered here before it is returned. */
  redactor: SecretRedactor;
  /** @default the process's lazily created SecretsManagerClient */
  client?: GetSecretClient;
}

export class ProviderSecrets {
  private loading: Promise<ReadonlyMap<string, string>> | undefined;

  constructor(private readonly options: ProviderSecretsOptions) {}

  get configured(): boolean {
    return Boolean(this.options.secretArn);
  }

  /** The value stored under `name` in the provider secret. */
  async getSecret(name: string): Promise<string> {
    const values = await this.load();
    const value = values.get(name);
    if (value === undefined) {
      const keys = [...values.keys()].sort();
      throw new FatalStageError(
        `provider secret "${name}" is not in the provider secret (${keys.length > 0 ? `it holds ${keys.join(', ')}` : 'it holds no keys'})`
      );
    }
    return value;
  }

  private load(): Promise<ReadonlyMap<string, string>> {
    this.loading ??= this.read().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private async read(): Promise<ReadonlyMap<string, string>> {
    const secretArn = this.options.secretArn;
    if (!secretArn)
      throw new FatalStageError(
        'a provider secret was asked for but PROVIDER_SECRET_ARN is not set for this process'
      );
    const sdk = loadSecretsManagerSdk();
    const client = this.options.client ?? secretsManagerClient();
    let output: GetSecretValueCommandOutput;
    try {
      output = await client.send(new sdk.GetSecretValueCommand({ SecretId: secretArn }));
    } catch (error) {
      const what = `could not read the provider secret ${secretArn} (${describeProviderError(error)})`;
      if (isTransientProviderError(error)) throw new RetryableStageError(what, { cause: error });
      throw new FatalStageError(what, { cause: error });
    }
    const values = parseSecretString(output.SecretString, secretArn);
    for (const value of values.values()) this.options.redactor.add(value);
    return values;
  }
}

/** The secret's JSON object of string values; the error names the secret, never its content. */
export function parseSecretString(
  secretString: string | undefined,
  secretArn: string
): ReadonlyMap<string, string> {
  if (secretString === undefined)
    throw new FatalStageError(
      `the provider secret ${secretArn} has no string value (binary secrets are not supported)`
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new FatalStageError(`the provider secret ${secretArn} is not a JSON object of provider keys`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new FatalStageError(`the provider secret ${secretArn} is not a JSON object of provider keys`);
  }
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string')
      throw new FatalStageError(`the provider secret ${secretArn}: key "${key}" is not a string`);
    values.set(key, value);
  }
  return values;
}
