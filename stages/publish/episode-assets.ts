/**
 * The episode's public files: which run artifacts are published under
 * `podcasts/<podcastId>/episodes/<episodeId>/<version>/` (the MP3 with its ID3 tag, the rest
 * as the run made them), with which names and content types. (The show's own cover, the feed's
 * channel image, is the artwork stage's: stages/artwork/show-cover.ts.)
 */
import { artifactKeys } from '../shared/artifact-keys';
import { IMMUTABLE_CACHE_CONTROL } from '../shared/cache-control';
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

/** A run artifact that becomes one of the episode's public files. */
export interface EpisodeSource {
  /** What the file is, for logs and errors. */
  role: 'media' | 'cover' | 'chapters' | 'transcript' | 'notes';
  fromKey: string;
  /** Its public name inside the version folder: `episode.mp3`, `cover.png`, ... */
  file: string;
  contentType: string;
}

/** A source with its public key: `podcasts/<podcastId>/episodes/<episodeId>/<version>/<file>`. */
export interface EpisodeAsset extends EpisodeSource {
  toKey: string;
}

/** The episode's files by role; `EpisodeSources` before the version is known, a plan after. */
export interface EpisodeFiles<A extends EpisodeSource> {
  media: A;
  cover?: A;
  chapters?: A;
  transcript?: A;
  notes?: A;
}

export type EpisodeSources = EpisodeFiles<EpisodeSource>;
export type EpisodeAssetPlan = EpisodeFiles<EpisodeAsset>;

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

/** Which run artifacts become which public files (the keys wait for the version). */
export function planEpisodeSources(input: PublishInput): EpisodeSources {
  const { mix, artwork, notes } = input.stages;
  const sources: EpisodeSources = {
    media: { role: 'media', fromKey: mix.key, file: 'episode.mp3', contentType: CONTENT_TYPES.mp3 },
  };
  if (!isSkipped(artwork)) {
    const cover = coverFileName(artwork.contentType);
    sources.cover = { role: 'cover', fromKey: artwork.key, ...cover };
  }
  if (!isSkipped(notes)) {
    sources.chapters = {
      role: 'chapters',
      fromKey: notes.chaptersKey,
      file: 'chapters.json',
      contentType: CONTENT_TYPES.chapters,
    };
    sources.transcript = {
      role: 'transcript',
      fromKey: notes.transcriptKey,
      file: 'transcript.vtt',
      contentType: CONTENT_TYPES.vtt,
    };
    sources.notes = {
      role: 'notes',
      fromKey: notes.htmlKey,
      file: 'notes.html',
      contentType: CONTENT_TYPES.html,
    };
  }
  return sources;
}

/** The sources placed under the episode's version folder. */
export function planEpisodeAssets(
  sources: EpisodeSources,
  where: { podcastId: string; episodeId: string; version: string }
): EpisodeAssetPlan {
  const place = (source: EpisodeSource): EpisodeAsset => ({
    ...source,
    toKey: artifactKeys.episodeFile(where.podcastId, where.episodeId, where.version, source.file),
  });
  const plan: EpisodeAssetPlan = { media: place(sources.media) };
  for (const role of ['cover', 'chapters', 'transcript', 'notes'] as const) {
    const source = sources[role];
    if (source) plan[role] = place(source);
  }
  return plan;
}

/** The files in a fixed order: media, cover, chapters, transcript, notes. */
export function assetList<A extends EpisodeSource>(files: EpisodeFiles<A>): A[] {
  return [files.media, files.cover, files.chapters, files.transcript, files.notes].filter(
    (a): a is A => a !== undefined
  );
}

/** The bytes of each file publish writes, by role (episode-version.ts reads them). */
export type EpisodeBodies = { readonly [R in EpisodeSource['role']]?: Buffer } & { readonly media: Buffer };

/** The body of one file; every planned file has one (readEpisodeBodies reads them all). */
export function bodyOf(bodies: EpisodeBodies, source: EpisodeSource): Buffer {
  const body = bodies[source.role];
  if (!body) throw new FatalStageError(`the episode's ${source.role} file was not read before publishing`);
  return body;
}

/**
 * Writes every file under the version folder, cached as immutable: the tagged MP3 (its bytes
 * are the episode record's `media.bytes`) and the bytes read from the other artifacts. These
 * are the bytes the version was derived from (episode-version.ts), so a key is only ever
 * rewritten with the same bytes.
 */
export async function publishEpisodeAssets(
  store: ArtifactStore,
  plan: EpisodeAssetPlan,
  bodies: EpisodeBodies
): Promise<void> {
  const options = { cacheControl: IMMUTABLE_CACHE_CONTROL };
  for (const asset of assetList(plan))
    await store.put(asset.toKey, bodyOf(bodies, asset), asset.contentType, options);
}
