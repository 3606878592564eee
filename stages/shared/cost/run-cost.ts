/**
 * Keeps the run's estimated provider cost (`run.usage.cost`) up to date. The stage lifecycle
 * calls it after every unit that finished, in both orchestrators: units record their own usage
 * (`run.usage[<unit>]`, exact, one key per unit), and this recomputes the total from all of them.
 *
 * Concurrent shards may each write a total computed from a read that missed a sibling's usage;
 * the next unit to finish (every provider stage has a dependant) rewrites it from the full record,
 * so the stored total is exact once the run reaches its last stage. Nothing is written for runs
 * with no metered usage (offline providers), nor when the stored total is already right.
 */
import { canonicalJson } from '../hashing';
import type { RunRecord, RunRepository } from '../ports';
import { COST_USAGE_KEY, estimateRunCost, type RunCostEstimate } from './estimate-cost';

export async function refreshRunCost(
  runs: RunRepository,
  runId: string,
  now: string,
  /** The run as just read, when the caller has it (saves a read). */
  read?: RunRecord
): Promise<RunCostEstimate | undefined> {
  const run = read ?? (await runs.get(runId));
  if (!run?.usage) return undefined;
  const estimate = estimateRunCost(run.usage);
  if (Object.keys(estimate.byUnit).length === 0) return undefined;
  // Canonical JSON: a DynamoDB map comes back with its keys in any order.
  if (canonicalJson(run.usage[COST_USAGE_KEY]) === canonicalJson(estimate)) return estimate;
  await runs.recordUsage(runId, COST_USAGE_KEY, { ...estimate }, now);
  return estimate;
}
