/** summarize's fan-out merge: the shards' entries back in rank order, each story once. */
import type { SummarizeManifest } from './schema';

export function mergeSummaries(parts: SummarizeManifest[]): SummarizeManifest {
  const sorted = parts
    .flatMap((part) => part.summaries)
    .sort((a, b) => a.rank - b.rank || a.storyId.localeCompare(b.storyId));
  // A story appears once even if a shard's output was somehow delivered twice.
  const seen = new Set<string>();
  return { summaries: sorted.filter((entry) => !seen.has(entry.storyId) && seen.add(entry.storyId)) };
}
