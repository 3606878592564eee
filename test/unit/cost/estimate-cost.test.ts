import { COST_USAGE_KEY, estimateRunCost, priceUsage } from '../../../stages/shared/cost/estimate-cost';
import {
  BEDROCK_TOKEN_PRICES,
  DEFAULT_BEDROCK_MODEL_ID,
  POLLY_CHARACTER_PRICES,
  bedrockPriceFor,
  foundationModelId,
} from '../../../stages/shared/cost/price-constants';

const NOVA = 'bedrock/amazon.nova-lite-v1:0';
const totals = (t: { inputTokens?: number; outputTokens?: number; characters?: number }) => ({
  calls: 1,
  inputTokens: 0,
  outputTokens: 0,
  characters: 0,
  ...t,
});

describe('price constants', () => {
  it('price the default model and every Polly engine, each with an ISO asOf date and a named source', () => {
    // Prepare / Act
    const entries = [...Object.values(BEDROCK_TOKEN_PRICES), ...Object.values(POLLY_CHARACTER_PRICES)];

    // Assess
    expect(BEDROCK_TOKEN_PRICES[DEFAULT_BEDROCK_MODEL_ID]).toBeDefined();
    expect(POLLY_CHARACTER_PRICES.neural?.per1MCharactersUsd).toBe(16);
    for (const price of entries) {
      expect(price.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(price.source.length).toBeGreaterThan(10);
    }
  });

  it('prices a cross-region inference profile id as its foundation model', () => {
    expect(foundationModelId('us.amazon.nova-lite-v1:0')).toBe('amazon.nova-lite-v1:0');
    expect(foundationModelId('amazon.nova-lite-v1:0')).toBe('amazon.nova-lite-v1:0');
    expect(bedrockPriceFor('us.amazon.nova-lite-v1:0')).toBe(BEDROCK_TOKEN_PRICES['amazon.nova-lite-v1:0']);
    expect(bedrockPriceFor('acme.unknown-v1:0')).toBeUndefined();
  });
});

describe('estimateRunCost', () => {
  it('prices Bedrock tokens per 1K and Polly characters per 1M, per unit and per provider', () => {
    // Prepare: 10K in / 2K out tokens on Nova Lite, 50K neural characters.
    const usage = {
      'summarize/0': { writer: { [NOVA]: totals({ inputTokens: 6000, outputTokens: 1500 }) } },
      script: { writer: { [NOVA]: totals({ inputTokens: 4000, outputTokens: 500 }) } },
      'tts/1': { speech: { 'polly/neural': totals({ characters: 50_000 }) } },
    };

    // Act
    const estimate = estimateRunCost(usage);

    // Assess: 10 x 0.00006 + 2 x 0.00024 = 0.00108; 0.05 x 16 = 0.8.
    expect(estimate.byProvider).toEqual({ [NOVA]: 0.00108, 'polly/neural': 0.8 });
    expect(estimate.byUnit).toEqual({ 'summarize/0': 0.00072, script: 0.00036, 'tts/1': 0.8 });
    expect(estimate.estimatedCostUsd).toBe(0.80108);
    expect(estimate).toMatchObject({ currency: 'USD', unpriced: [] });
    expect(estimate.pricesAsOf.length).toBeGreaterThan(0);
  });

  it('lists usage it has no price for instead of guessing, and counts it as 0', () => {
    const estimate = estimateRunCost({
      outline: {
        writer: {
          'bedrock/acme.mystery-v9': totals({ inputTokens: 1000, outputTokens: 1000 }),
          [NOVA]: totals({ inputTokens: 1000 }),
        },
      },
    });
    expect(estimate.unpriced).toEqual(['bedrock/acme.mystery-v9']);
    expect(estimate.estimatedCostUsd).toBe(0.00006);
    expect(estimate.byUnit).toEqual({ outline: 0.00006 });
  });

  it('skips the stored estimate itself and anything that is not provider usage', () => {
    const estimate = estimateRunCost({
      [COST_USAGE_KEY]: { estimatedCostUsd: 99, byUnit: { x: 99 } },
      weird: 'not an object',
      tts: { speech: 'nope', writer: { 'polly/neural': { characters: 'many' } } },
      summarize: { writer: { [NOVA]: totals({ inputTokens: 2000 }) } },
    });
    expect(estimate.estimatedCostUsd).toBe(0.00012);
    expect(Object.keys(estimate.byUnit).sort()).toEqual(['summarize', 'tts']);
    expect(estimate.byUnit.tts).toBe(0);
  });

  it('costs nothing for a run without metered usage (offline providers report none)', () => {
    const estimate = estimateRunCost({});
    expect(estimate).toEqual({
      estimatedCostUsd: 0,
      currency: 'USD',
      byUnit: {},
      byProvider: {},
      unpriced: [],
      pricesAsOf: [],
    });
  });

  it('prices one provider entry by name', () => {
    expect(priceUsage('polly/standard', totals({ characters: 1_000_000 })).usd).toBe(4);
    expect(priceUsage('polly', totals({ characters: 1_000_000 })).usd).toBe(16);
    expect(priceUsage('offline', totals({})).priced).toBe(true);
    expect(priceUsage('acme-tts', totals({ characters: 10 })).priced).toBe(false);
  });
});
