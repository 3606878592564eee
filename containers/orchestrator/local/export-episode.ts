/**
 * Copies a published episode and its podcast's feed out of the (local) buckets into a folder for
 * the user: `<outputDir>/<podcastId>/<episodeId>/` gets the files of the version its episode
 * record points at (the folder of its MP3: `episode.mp3` first, then the cover, notes, chapters
 * and transcript published with it), `<outputDir>/<podcastId>/feed.xml` the feed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { artifactKeys } from '../../../stages/shared/artifact-keys';
import type { ArtifactStore, EpisodeRepository } from '../../../stages/shared/ports';

export interface ExportedFile {
  name: string;
  path: string;
  bytes: number;
}

/** The order files are exported (and listed) in; any other file in the folder comes after. */
const EPISODE_FILES = ['cover.png', 'cover.jpg', 'notes.html', 'chapters.json', 'transcript.vtt'];

const fileName = (key: string) => key.slice(key.lastIndexOf('/') + 1);

/** The keys of the episode's files: its MP3's, then the others in its folder (only its own level). */
async function episodeKeys(media: ArtifactStore, mediaKey: string): Promise<string[]> {
  const folder = mediaKey.slice(0, mediaKey.lastIndexOf('/') + 1);
  const rank = (key: string) => {
    const index = EPISODE_FILES.indexOf(fileName(key));
    return index === -1 ? EPISODE_FILES.length : index;
  };
  const siblings = (await media.list(folder))
    .filter((key) => key !== mediaKey && !key.slice(folder.length).includes('/'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return [mediaKey, ...siblings];
}

export async function exportEpisode(
  stores: { media: ArtifactStore; feeds: ArtifactStore; episodes: EpisodeRepository },
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
  const record = await stores.episodes.get(podcastId, episodeId);
  for (const key of record ? await episodeKeys(stores.media, record.media.key) : []) {
    const object = await stores.media.get(key);
    if (object) await save(fileName(key), object.body);
  }
  const feed = await stores.feeds.get(artifactKeys.feed(podcastId));
  if (feed) await save('feed.xml', feed.body, path.join(outputDir, podcastId, 'feed.xml'));
  return exported;
}
