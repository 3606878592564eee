/**
 * The episode's public files: which run artifacts are copied under
 * `podcasts/<podcastId>/episodes/<episodeId>/`, with which names and content types, and the
 * podcast-level cover kept from the first episode whose artwork ran.
 */
import { artifactKeys } from '../shared/artifact-keys';
import { FatalStageError } from '../shared/errors';
import type { ArtifactStore, Logger } from '../shared/ports';
import { podcastCoverKey } from '../shared/public-urls';
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

/** Checks every source exists first, so a missing artifact fails before anything public is written. */
export async function copyEpisodeAssets(store: ArtifactStore, plan: EpisodeAssetPlan): Promise<void> {
  const assets = assetList(plan);
  for (const asset of assets) {
    if (!(await store.exists(asset.fromKey))) {
      throw new FatalStageError(
        `the episode's ${asset.role} artifact s3://${store.bucket}/${asset.fromKey} is missing`
      );
    }
  }
  for (const asset of assets) await store.copy(asset.fromKey, asset.toKey, asset.contentType);
}

/**
 * Keeps a podcast-level cover (the feed's channel image and the fallback for episodes without
 * artwork): the first published PNG episode cover becomes `podcasts/<podcastId>/cover.png`.
 * An existing podcast cover is never replaced.
 */
export async function keepPodcastCover(
  store: ArtifactStore,
  podcastId: string,
  plan: EpisodeAssetPlan,
  logger: Logger
): Promise<boolean> {
  if (!plan.cover || plan.cover.contentType !== CONTENT_TYPES.png) return false;
  const key = podcastCoverKey(podcastId);
  if (await store.exists(key)) return false;
  await store.copy(plan.cover.toKey, key, CONTENT_TYPES.png);
  logger.info('podcast cover created from episode artwork', { podcastId, key });
  return true;
}
