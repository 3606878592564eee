/**
 * The estimated provider cost of a run, from the usage the stages record on the run record
 * (`run.usage[<unit>] = { writer | speech: { '<provider>/<model>': { inputTokens, outputTokens,
 * characters, calls } } }`) and the prices in price-constants.ts. Pure: no I/O, no clock.
 *
 * Usage a price is missing for is listed in `unpriced` (and counts 0), so an estimate never
 * silently guesses; offline providers report no usage and cost nothing.
 */
import * as z from 'zod';
import { bedrockPriceFor, pollyPriceFor } from './price-constants';

/** Where the estimate is stored on the run record: `run.usage.cost`. */
export const COST_USAGE_KEY = 'cost';

export interface RunCostEstimate {
  /** The run's estimated provider cost in USD (6 decimals). */
  estimatedCostUsd: number;
  currency: 'USD';
  /** USD per unit of work (`summarize/0`, `script`, `tts/2`...), for units that used a provider. */
  byUnit: Record<string, number>;
  /** USD per `<provider>/<model>`. */
  byProvider: Record<string, number>;
  /** `<provider>/<model>` entries with usage but no known price (counted as 0). */
  unpriced: string[];
  /** The `asOf` dates of the prices used. */
  pricesAsOf: string[];
}

const counterSchema = z.number().nonnegative().catch(0);

const providerTotalsSchema = z.object({
  inputTokens: counterSchema,
  outputTokens: counterSchema,
  characters: counterSchema,
});

/** One unit's usage: groups (writer, speech...) of per-provider totals; anything else is ignored. */
const unitUsageSchema = z.record(z.string(), z.unknown());

type ProviderTotals = z.infer<typeof providerTotalsSchema>;

interface PricedUsage {
  usd: number;
  asOf?: string;
  priced: boolean;
}

/** The price of one provider entry; `name` is `<provider>` or `<provider>/<model>`. */
export function priceUsage(name: string, totals: ProviderTotals): PricedUsage {
  const slash = name.indexOf('/');
  const provider = slash < 0 ? name : name.slice(0, slash);
  const model = slash < 0 ? undefined : name.slice(slash + 1);
  const metered = totals.inputTokens + totals.outputTokens + totals.characters > 0;
  if (provider === 'bedrock' && model) {
    const price = bedrockPriceFor(model);
    if (!price) return { usd: 0, priced: !metered };
    const usd =
      (totals.inputTokens / 1000) * price.inputPer1kTokensUsd +
      (totals.outputTokens / 1000) * price.outputPer1kTokensUsd;
    return { usd, asOf: price.asOf, priced: true };
  }
  if (provider === 'polly') {
    const price = pollyPriceFor(model ?? 'neural');
    if (!price) return { usd: 0, priced: !metered };
    return {
      usd: (totals.characters / 1_000_000) * price.per1MCharactersUsd,
      asOf: price.asOf,
      priced: true,
    };
  }
  return { usd: 0, priced: !metered };
}

const round6 = (usd: number) => Math.round(usd * 1_000_000) / 1_000_000;

/** Estimates the provider cost of the usage recorded on a run (the stored estimate itself is skipped). */
export function estimateRunCost(usage: Record<string, unknown>): RunCostEstimate {
  const byUnit: Record<string, number> = {};
  const byProvider: Record<string, number> = {};
  const unpriced = new Set<string>();
  const asOf = new Set<string>();
  for (const [unit, raw] of Object.entries(usage).sort(([a], [b]) => a.localeCompare(b))) {
    if (unit === COST_USAGE_KEY) continue;
    const groups = unitUsageSchema.safeParse(raw);
    if (!groups.success) continue;
    let unitUsd = 0;
    let metered = false;
    for (const group of Object.values(groups.data)) {
      const entries = z.record(z.string(), z.unknown()).safeParse(group);
      if (!entries.success) continue;
      for (const [name, rawTotals] of Object.entries(entries.data)) {
        const totals = providerTotalsSchema.safeParse(rawTotals);
        if (!totals.success) continue;
        const priced = priceUsage(name, totals.data);
        metered = true;
        if (!priced.priced) unpriced.add(name);
        if (priced.asOf) asOf.add(priced.asOf);
        unitUsd += priced.usd;
        byProvider[name] = (byProvider[name] ?? 0) + priced.usd;
      }
    }
    if (metered) byUnit[unit] = round6(unitUsd);
  }
  const total = Object.values(byProvider).reduce((sum, usd) => sum + usd, 0);
  for (const name of Object.keys(byProvider)) byProvider[name] = round6(byProvider[name] ?? 0);
  return {
    estimatedCostUsd: round6(total),
    currency: 'USD',
    byUnit,
    byProvider,
    unpriced: [...unpriced].sort(),
    pricesAsOf: [...asOf].sort(),
  };
}
