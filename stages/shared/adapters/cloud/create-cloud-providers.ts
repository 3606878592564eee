/**
 * The cloud providers a composition root offers to createProviders: the Bedrock writer (one per
 * model id, shared by the podcasts that use it) and Polly speech (one per podcast, for its
 * language and hosts' voices; the SDK client is the process's). Nothing is
 * created until a podcast asks for it, and the SDK clients behind them are created on their first
 * call (sdk-clients.ts), so offline podcasts cost nothing here.
 *
 * The model is the podcast's `providers.bedrockModelId`, else the process default: env
 * BEDROCK_MODEL_ID, which infra sets to the stack's context default next to the model grant (the
 * local CLI falls back to DEFAULT_BEDROCK_MODEL_ID).
 */
import type { PodcastConfig } from '../../config-schema';
import { DEFAULT_BEDROCK_MODEL_ID } from '../../cost/price-constants';
import { ENV } from '../../env';
import { castOf } from '../../voice-cast';
import type { CloudProviders } from '../create-providers';
import { BedrockWriter, type BedrockWriterOptions } from './bedrock-writer';
import { PollySpeech, type PollySpeechOptions } from './polly-speech';
import { ProviderSecrets } from './provider-secrets';
import { SecretRedactor } from './secret-redaction';

export interface CloudProviderSettings {
  /** The model for podcasts that name none. @default DEFAULT_BEDROCK_MODEL_ID */
  defaultBedrockModelId?: string;
  /**
   * Third-party provider keys (read once per process). Bedrock and Polly use the IAM role; a
   * provider that needs a key gets it from here.
   */
  secrets?: ProviderSecrets;
  bedrock?: Omit<BedrockWriterOptions, 'modelId'>;
  polly?: PollySpeechOptions;
}

export interface CloudProviderSet extends Required<CloudProviders> {
  /** The model a podcast writes with. */
  modelIdFor(podcast: PodcastConfig): string;
  readonly secrets?: ProviderSecrets;
}

export function createCloudProviders(settings: CloudProviderSettings = {}): CloudProviderSet {
  const writers = new Map<string, BedrockWriter>();
  const modelIdFor = (podcast: PodcastConfig) =>
    podcast.providers.bedrockModelId?.trim() ||
    settings.defaultBedrockModelId?.trim() ||
    DEFAULT_BEDROCK_MODEL_ID;
  return {
    modelIdFor,
    ...(settings.secrets ? { secrets: settings.secrets } : {}),
    writer(podcast) {
      const modelId = modelIdFor(podcast);
      let writer = writers.get(modelId);
      if (!writer) {
        writer = new BedrockWriter({ ...settings.bedrock, modelId });
        writers.set(modelId, writer);
      }
      return writer;
    },
    speech(podcast) {
      return new PollySpeech({ ...settings.polly, cast: castOf(podcast) });
    },
  };
}

/** The process's cloud providers, from the environment infra sets (or the local shell). */
export function cloudProvidersFromEnv(
  env: NodeJS.ProcessEnv,
  redactor: SecretRedactor = new SecretRedactor()
): CloudProviderSet {
  const secretArn = env[ENV.providerSecretArn];
  const defaultBedrockModelId = env[ENV.bedrockModelId];
  return createCloudProviders({
    ...(defaultBedrockModelId ? { defaultBedrockModelId } : {}),
    secrets: new ProviderSecrets({ ...(secretArn ? { secretArn } : {}), redactor }),
  });
}
