/**
 * The version folder of an episode's public files: `podcasts/<podcastId>/episodes/<episodeId>/<version>/`.
 * The version is the first 16 hex digits of a sha256 over every file publish writes (name, content
 * type and the sha256 of its bytes: the tagged MP3, the cover, chapters, transcript and notes), so:
 *
 * - a redo of the same publish (the record vanished; the ID3 tag is byte-identical on redo) writes
 *   the same keys with the same bytes;
 * - different content always gets another folder, so a key is never rewritten with other bytes
 *   and every file may be cached as immutable for a year;
 * - two runs racing to publish the same episode write to different folders (unless their files are
 *   identical, byte for byte): the conditional put of the record decides, the winner's record points
 *   at the winner's files, and the loser's are left orphaned under its own version.
 */
import { FatalStageError } from '../shared/errors';
import { hashJson, sha256 } from '../shared/hashing';
import type { ArtifactStore } from '../shared/ports';
import {
  assetList,
  bodyOf,
  type EpisodeBodies,
  type EpisodeSource,
  type EpisodeSources,
} from './episode-assets';

/** Hex digits of the version: 64 bits, no collision between an episode's versions in practice. */
export const EPISODE_VERSION_LENGTH = 16;

/**
 * The bytes of every file publish writes, read once from the run's artifacts (a missing one is a
 * FatalStageError, before anything public is written): the mix as stored unless `taggedMedia` is
 * given, and the others as they will be served.
 */
export async function readEpisodeBodies(
  store: ArtifactStore,
  sources: EpisodeSources,
  taggedMedia?: Buffer
): Promise<EpisodeBodies> {
  const bodies: { -readonly [R in EpisodeSource['role']]?: Buffer } = taggedMedia
    ? { media: taggedMedia }
    : {};
  for (const source of assetList(sources)) {
    if (source === sources.media && taggedMedia) continue;
    const object = await store.get(source.fromKey);
    if (!object)
      throw new FatalStageError(
        `the episode's ${source.role} artifact s3://${store.bucket}/${source.fromKey} is missing`
      );
    bodies[source.role] = object.body;
  }
  return bodies as EpisodeBodies;
}

/** Deterministic in the files' names, types and bytes; any change to them changes it. */
export function episodeVersion(sources: EpisodeSources, bodies: EpisodeBodies): string {
  const files = assetList(sources).map((source) => ({
    file: source.file,
    contentType: source.contentType,
    sha256: sha256(bodyOf(bodies, source)),
  }));
  return hashJson(files).slice(0, EPISODE_VERSION_LENGTH);
}
