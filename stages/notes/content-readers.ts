/**
 * Reads the content artifacts the publishing stages build on (the mix timeline, the final script,
 * the story summaries) and checks them with the schemas of the stages that wrote them, so a
 * malformed artifact fails with a message that names its key instead of surfacing later as an
 * undefined field.
 */
import type * as z from 'zod';
import { timelineSchema } from '../mix/schema';
import { scriptSchema } from '../script/schema';
import { getJson } from '../shared/artifact-keys';
import type { ClipTiming, Script, StorySummary } from '../shared/content-types';
import { FatalStageError } from '../shared/errors';
import type { ArtifactStore } from '../shared/ports';
import { describeIssues } from '../shared/validation';
import { storySummarySchema } from '../summarize/schema';

async function readChecked<S extends z.ZodType>(
  store: ArtifactStore,
  key: string,
  schema: S,
  what: string
): Promise<z.infer<S>> {
  const raw = await getJson<unknown>(store, key);
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const { message } = describeIssues(result.error, what);
  throw new FatalStageError(`artifact s3://${store.bucket}/${key} is malformed: ${message}`);
}

/** The mix timeline, ordered by start time (turn index breaks ties). */
export async function readTimeline(store: ArtifactStore, key: string): Promise<ClipTiming[]> {
  const timeline = await readChecked(store, key, timelineSchema, 'timeline');
  for (const clip of timeline) {
    if (clip.endMs < clip.startMs) {
      throw new FatalStageError(
        `artifact s3://${store.bucket}/${key}: clip ${clip.turnIndex} ends (${clip.endMs} ms) before it starts (${clip.startMs} ms)`
      );
    }
  }
  return [...timeline].sort((a, b) => a.startMs - b.startMs || a.turnIndex - b.turnIndex);
}

export async function readScript(store: ArtifactStore, key: string): Promise<Script> {
  return readChecked(store, key, scriptSchema, 'script');
}

export async function readSummary(store: ArtifactStore, key: string): Promise<StorySummary> {
  return readChecked(store, key, storySummarySchema, 'summary');
}

/** The summaries in the merged manifest's order (by rank, best first). */
export async function readSummaries(
  store: ArtifactStore,
  refs: readonly { storyId: string; key: string; rank: number }[]
): Promise<StorySummary[]> {
  const ordered = [...refs].sort((a, b) => a.rank - b.rank || a.storyId.localeCompare(b.storyId));
  return Promise.all(ordered.map((ref) => readSummary(store, ref.key)));
}
