/**
 * Provider prices: what the cloud providers the stages call (Bedrock text models, Polly speech)
 * charge per unit of usage, for the run's estimated provider cost. AWS infrastructure (Lambda,
 * Fargate, Step Functions, DynamoDB, S3) is priced elsewhere (bench/); this file is about the
 * providers only, and is safe to import from anywhere (no SDK, no env).
 *
 * All prices are USD list prices, on-demand, standard tier, US East (N. Virginia); other regions
 * and cross-region inference can differ. `asOf` is the date the price was read from its source;
 * check the sources before trusting an estimate for billing.
 */

export interface TokenPrice {
  /** USD per 1,000 input tokens. */
  readonly inputPer1kTokensUsd: number;
  /** USD per 1,000 output tokens. */
  readonly outputPer1kTokensUsd: number;
  readonly asOf: string;
  readonly source: string;
}

export interface CharacterPrice {
  /** USD per 1,000,000 characters synthesized (Polly bills the characters it reports). */
  readonly per1MCharactersUsd: number;
  readonly asOf: string;
  readonly source: string;
}

/** The model the stack grants and the composition root uses when nothing else is configured. */
export const DEFAULT_BEDROCK_MODEL_ID = 'amazon.nova-lite-v1:0';

/**
 * Bedrock on-demand text prices by foundation-model id. A cross-region inference profile id
 * (`us.amazon.nova-lite-v1:0`) is priced as its model (see `bedrockPriceFor`). Only prices read
 * from a source are listed: a model missing here is reported as unpriced, never guessed.
 */
export const BEDROCK_TOKEN_PRICES: Readonly<Record<string, TokenPrice>> = {
  // Amazon Nova Lite: $0.06 per 1M input tokens, $0.24 per 1M output tokens.
  // Source: Amazon Bedrock pricing (aws.amazon.com/bedrock/pricing), as listed by the TokenMix
  // "AWS Bedrock Pricing 2026" guide (2026-04-10) and the aicoach.pw Nova Lite 1.0 card.
  'amazon.nova-lite-v1:0': {
    inputPer1kTokensUsd: 0.00006,
    outputPer1kTokensUsd: 0.00024,
    asOf: '2026-04-10',
    source: 'Amazon Bedrock pricing, on-demand, us-east-1 (via TokenMix AWS Bedrock Pricing 2026)',
  },
};

/**
 * Amazon Polly prices by engine. The pipeline's PollySpeech uses `neural`.
 * Source: Amazon Polly pricing (aws.amazon.com/polly/pricing), as tabulated by the Ace Cloud
 * Interviews Polly tutorial: standard $4, neural $16, long-form $100, generative $30 per 1M characters.
 */
export const POLLY_CHARACTER_PRICES: Readonly<Record<string, CharacterPrice>> = {
  standard: {
    per1MCharactersUsd: 4,
    asOf: '2026-11-23',
    source: 'Amazon Polly pricing (via Ace Cloud Interviews Polly tutorial)',
  },
  neural: {
    per1MCharactersUsd: 16,
    asOf: '2026-11-23',
    source: 'Amazon Polly pricing (via Ace Cloud Interviews Polly tutorial)',
  },
  'long-form': {
    per1MCharactersUsd: 100,
    asOf: '2026-11-23',
    source: 'Amazon Polly pricing (via Ace Cloud Interviews Polly tutorial)',
  },
  generative: {
    per1MCharactersUsd: 30,
    asOf: '2026-11-23',
    source: 'Amazon Polly pricing (via Ace Cloud Interviews Polly tutorial)',
  },
};

/** Geographic prefixes of Bedrock cross-region inference profile ids (`us.`, `eu.`, `apac.`, `global.`...). */
const INFERENCE_PROFILE_PREFIX = /^(us|us-gov|eu|apac|jp|au|ca|global)\./;

/** The foundation-model id behind a model id or a cross-region inference profile id. */
export function foundationModelId(modelId: string): string {
  return modelId.replace(INFERENCE_PROFILE_PREFIX, '');
}

export function bedrockPriceFor(modelId: string): TokenPrice | undefined {
  return BEDROCK_TOKEN_PRICES[modelId] ?? BEDROCK_TOKEN_PRICES[foundationModelId(modelId)];
}

export function pollyPriceFor(engine: string): CharacterPrice | undefined {
  return POLLY_CHARACTER_PRICES[engine];
}
