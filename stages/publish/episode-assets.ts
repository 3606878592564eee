/**
 * The episode's public files: which run artifacts are published under
 * `podcasts/<podcastId>/episodes/<episodeId>/` (the MP3 with its ID3 tag, the rest copied as they
 * are), with which names and content types. (The show's own cover, the feed's channel image, is
 * the artwork stage's: stages/artwork/show-cover.ts.)
 */
import { artifactKeys } from '../shared/artifact-keys';
import { FatalStageError } from '../shared/errors';
import type { ArtifactStore } from '../shared/ports';
import { isSkipped } from '../shared/stage';
import type { PublishInput } from './schema';

export const CONTENT_TYPES = {
  mp3: 'audio/mpeg',
  png: 'image/png',
  jpeg: 'image/jpeg',
  chapters: 'application/json+chapters',
  vtt: 'text/vtt; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const;

export interface EpisodeAsset {
  /** What the file is, for logs and errors. */
  role: 'media' | 'cover' | 'chapters' | 'transcript' | 'notes';
  fromKey: string;
  toKey: string;
  contentType: string;
}

export interface EpisodeAssetPlan {
  media: EpisodeAsset;
  cover?: EpisodeAsset;
  chapters?: EpisodeAsset;
  transcript?: EpisodeAsset;
  notes?: EpisodeAsset;
}

/** `cover.png` or `cover.jpg` by the artwork's content type; anything else cannot be a podcast cover. */
function coverFileName(contentType: string): { file: string; contentType: string } {
  const type = contentType.split(';')[0]?.trim().toLowerCase();
  if (type === CONTENT_TYPES.png) return { file: 'cover.png', contentType: CONTENT_TYPES.png };
  if (type === CONTENT_TYPES.jpeg || type === 'image/jpg')
    return { file: 'cover.jpg', contentType: CONTENT_TYPES.jpeg };
  throw new FatalStageError(
    `artwork content type "${contentType}" is not a podcast cover format (image/png or image/jpeg)`
  );
}

export function planEpisodeAssets(input: PublishInput, episodeId: string): EpisodeAssetPlan {
  const { podcastId } = input;
  const { mix, artwork, notes } = input.stages;
  const to = (file: string) => artifactKeys.episodeFile(podcastId, episodeId, file);
  const plan: EpisodeAssetPlan = {
    media: { role: 'media', fromKey: mix.key, toKey: to('episode.mp3'), contentType: CONTENT_TYPES.mp3 },
  };
  if (!isSkipped(artwork)) {
    const cover = coverFileName(artwork.contentType);
    plan.cover = {
      role: 'cover',
      fromKey: artwork.key,
      toKey: to(cover.file),
      contentType: cover.contentType,
    };
  }
  if (!isSkipped(notes)) {
    plan.chapters = {
      role: 'chapters',
      fromKey: notes.chaptersKey,
      toKey: to('chapters.json'),
      contentType: CONTENT_TYPES.chapters,
    };
    plan.transcript = {
      role: 'transcript',
      fromKey: notes.transcriptKey,
      toKey: to('transcript.vtt'),
      contentType: CONTENT_TYPES.vtt,
    };
    plan.notes = {
      role: 'notes',
      fromKey: notes.htmlKey,
      toKey: to('notes.html'),
      contentType: CONTENT_TYPES.html,
    };
  }
  return plan;
}

export function assetList(plan: EpisodeAssetPlan): EpisodeAsset[] {
  return [plan.media, plan.cover, plan.chapters, plan.transcript, plan.notes].filter(
    (a): a is EpisodeAsset => a !== undefined
  );
}

/**
 * Writes the tagged MP3 (its bytes are the episode record's `media.bytes`) and copies the other
 * files. Every source is checked first, so a missing artifact fails before anything public is written.
 */
export async function publishEpisodeAssets(
  store: ArtifactStore,
  plan: EpisodeAssetPlan,
  taggedMedia: Buffer
): Promise<void> {
  const copies = assetList(plan).filter((asset) => asset !== plan.media);
  for (const asset of copies) {
    if (!(await store.exists(asset.fromKey))) {
      throw new FatalStageError(
        `the episode's ${asset.role} artifact s3://${store.bucket}/${asset.fromKey} is missing`
      );
    }
  }
  await store.put(plan.media.toKey, taggedMedia, plan.media.contentType);
  for (const asset of copies) await store.copy(asset.fromKey, asset.toKey, asset.contentType);
}
