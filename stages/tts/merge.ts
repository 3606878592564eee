/** tts's fan-out merge: the shards' clips back in turn order, each turn once, from one script. */
import { FatalStageError } from '../shared/errors';
import type { TtsManifest } from './schema';

export function mergeClips(parts: TtsManifest[]): TtsManifest {
  const first = parts[0];
  if (!first) throw new FatalStageError('tts: there are no shard manifests to merge');
  const other = parts.find((part) => part.scriptKey !== first.scriptKey);
  if (other)
    throw new FatalStageError(
      `tts shards were spoken from different scripts (${first.scriptKey}, ${other.scriptKey})`
    );
  const sorted = parts.flatMap((part) => part.clips).sort((a, b) => a.turnIndex - b.turnIndex);
  // A turn appears once even if a shard's output was somehow delivered twice.
  const seen = new Set<number>();
  return {
    clips: sorted.filter((clip) => !seen.has(clip.turnIndex) && seen.add(clip.turnIndex)),
    scriptKey: first.scriptKey,
  };
}
