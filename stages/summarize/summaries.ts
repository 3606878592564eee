/** Reading the merged summarize manifest back: the StorySummary of each story, in rank order. */
import { getJson } from '../shared/artifact-keys';
import type { StorySummary } from '../shared/content-types';
import { FatalStageError } from '../shared/errors';
import type { StageDeps } from '../shared/stage';
import type { SummarizeManifest } from './schema';
import { storySummarySchema } from './schema';

export async function loadSummaries(deps: StageDeps, manifest: SummarizeManifest): Promise<StorySummary[]> {
  if (manifest.summaries.length === 0) throw new FatalStageError('summarize produced no summaries');
  const ordered = [...manifest.summaries].sort((a, b) => a.rank - b.rank);
  return Promise.all(
    ordered.map(async (entry) => {
      const result = storySummarySchema.safeParse(await getJson<unknown>(deps.media, entry.key));
      if (!result.success)
        throw new FatalStageError(
          `summary of story ${entry.storyId} at ${entry.key} is malformed: ${result.error.issues[0]?.message ?? 'invalid'}`
        );
      return result.data;
    })
  );
}
