import type { ArtifactStore } from './ports';
import { FatalStageError } from './errors';

/** Where things live in the buckets: the one place that spells the key layout. */
export const artifactKeys = {
  stageDir: (runId: string, stage: string) => `runs/${runId}/${stage}`,
  stageFile: (runId: string, stage: string, file: string) => `runs/${runId}/${stage}/${file}`,
  checkpoint: (runId: string, stage: string, shard?: { index: number; count: number }) =>
    shard
      ? `runs/${runId}/${stage}/shards/${shard.index}-of-${shard.count}.json`
      : `runs/${runId}/${stage}/output.json`,
  episodeDir: (podcastId: string, episodeId: string) => `podcasts/${podcastId}/episodes/${episodeId}`,
  /**
   * One published file of an episode, under the version folder its publish derived from the
   * files' bytes (stages/publish/episode-version.ts): a key is never written with other bytes.
   */
  episodeFile: (podcastId: string, episodeId: string, version: string, file: string) =>
    `podcasts/${podcastId}/episodes/${episodeId}/${version}/${file}`,
  feed: (podcastId: string) => `podcasts/${podcastId}/feed.xml`,
};

/* JSON artifacts through an ArtifactStore. */
export async function putJson(store: ArtifactStore, key: string, value: unknown): Promise<void> {
  await store.put(key, JSON.stringify(value, null, 2), 'application/json');
}

export async function getJson<T>(store: ArtifactStore, key: string): Promise<T> {
  const object = await store.get(key);
  if (!object) throw new FatalStageError(`artifact s3://${store.bucket}/${key} is missing`);
  return JSON.parse(object.body.toString('utf8')) as T;
}

export async function getJsonIfExists<T>(store: ArtifactStore, key: string): Promise<T | undefined> {
  const object = await store.get(key);
  return object ? (JSON.parse(object.body.toString('utf8')) as T) : undefined;
}
