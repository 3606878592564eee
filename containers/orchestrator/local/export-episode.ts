/** Copies a published episode and its podcast's feed out of the (local) buckets into a folder for the user. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { artifactKeys } from '../../../stages/shared/artifact-keys';
import type { ArtifactStore } from '../../../stages/shared/ports';

export interface ExportedFile {
  name: string;
  path: string;
  bytes: number;
}

const EPISODE_FILES = ['episode.mp3', 'cover.png', 'notes.html', 'chapters.json', 'transcript.vtt'];

export async function exportEpisode(
  stores: { media: ArtifactStore; feeds: ArtifactStore },
  podcastId: string,
  episodeId: string,
  outputDir: string
): Promise<ExportedFile[]> {
  const dir = path.join(outputDir, podcastId, episodeId);
  await mkdir(dir, { recursive: true });
  const exported: ExportedFile[] = [];
  const save = async (name: string, body: Buffer, target = path.join(dir, name)) => {
    await writeFile(target, body);
    exported.push({ name, path: target, bytes: body.length });
  };
  for (const name of EPISODE_FILES) {
    const object = await stores.media.get(artifactKeys.episodeFile(podcastId, episodeId, name));
    if (object) await save(name, object.body);
  }
  const feed = await stores.feeds.get(artifactKeys.feed(podcastId));
  if (feed) await save('feed.xml', feed.body, path.join(outputDir, podcastId, 'feed.xml'));
  return exported;
}
