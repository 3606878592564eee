/**
 * How a fan-out stage's shard manifests become the stage's manifest. In distributed mode a Map
 * state leaves an array of shard manifests and every dependant's lifecycle merges it, so this map
 * is small and pure (no stage cores): a Lambda bundle that reads a merged manifest carries only
 * these functions, not the fan-out stages themselves.
 */
import type { StageId } from './pipeline-plan';
import { mergeSummaries } from './summarize/merge';
import { mergeClips } from './tts/merge';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each merge takes its own stage's manifests
export const FAN_OUT_MERGES: Partial<Record<StageId, (parts: any[]) => unknown>> = {
  summarize: mergeSummaries,
  tts: mergeClips,
};

/** The manifest a stage's dependants read: fan-out shards merged, others as they are. */
function mergeStageOutput(stageId: string, value: unknown): unknown {
  const merge = FAN_OUT_MERGES[stageId as StageId];
  return merge && Array.isArray(value) ? merge(value) : value;
}

/** In distributed mode a Map state leaves an array of shard manifests; stages see them merged. */
export function mergeStageOutputs(stages: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(stages)) merged[id] = mergeStageOutput(id, value);
  return merged;
}
