/**
 * The show cover: the podcast's own image, the feed's channel artwork, never an episode's. It is
 * the config's `artworkUrl` (fetched under the fetch policy like a feed, its bytes checked against
 * Apple's rules), or else drawn from the show's title and author. It lives at showCoverKey, a key
 * named by a hash of what it is made from: written once when missing, never overwritten; a new
 * title or new artwork is a new key, which the feed derives from the config the same way. So it
 * is stored as immutable (cached a year by the CDN and by players).
 */
import { IMMUTABLE_CACHE_CONTROL } from '../shared/cache-control';
import { FatalStageError, RetryableStageError } from '../shared/errors';
import type { ArtifactStore, Logger } from '../shared/ports';
import type { ArtworkRenderer, Fetcher } from '../shared/providers';
import { type ShowIdentity, showCoverKey } from '../shared/public-urls';
import { fetchSource } from '../shared/source-fetch';
import { coverArtProblem, inspectCoverImage, MAX_COVER_SIZE, MIN_COVER_SIZE } from '../shared/cover-image';
import { ARTWORK_SIZE } from './schema';

export interface ShowCoverResult {
  key: string;
  contentType: string;
  /** `artwork`: the config's artworkUrl; `drawn`: rendered from the title and author. */
  source: 'artwork' | 'drawn';
}

export interface ShowCoverDeps {
  media: ArtifactStore;
  /** The fetcher is asked for only when the config gives artwork, the renderer only when it does not. */
  providers: { readonly fetcher: Fetcher; readonly artwork: ArtworkRenderer };
  logger: Logger;
  signal?: AbortSignal;
}

const RULES = `Apple Podcasts takes PNG or JPEG cover art, square, ${MIN_COVER_SIZE} to ${MAX_COVER_SIZE} pixels a side, RGB without transparency`;

/** The drawn cover's second line: the author, unless it only repeats the title. */
export function showCoverSubtitle(show: Pick<ShowIdentity, 'title' | 'author'>): string {
  const same = show.author.trim().localeCompare(show.title.trim(), 'en', { sensitivity: 'base' }) === 0;
  return same ? '' : show.author.trim();
}

/** Writes the show cover when it is missing; returns where it is. */
export async function ensureShowCover(show: ShowIdentity, deps: ShowCoverDeps): Promise<ShowCoverResult> {
  const key = showCoverKey(show);
  const contentType = key.endsWith('.png') ? 'image/png' : 'image/jpeg';
  const source = show.artworkUrl ? 'artwork' : 'drawn';
  // Whether this run wrote it stays out of the result (only logged): two runs that raced to
  // write it did the same work and leave the same manifest.
  if (await deps.media.exists(key)) {
    deps.logger.info('show cover found', { key, source });
    return { key, contentType, source };
  }

  const body = show.artworkUrl
    ? await fetchArtwork(show.artworkUrl, contentType, deps)
    : await drawCover(show, deps.providers.artwork);
  await deps.media.put(key, body, contentType, { cacheControl: IMMUTABLE_CACHE_CONTROL });
  deps.logger.info('show cover written', { key, source, bytes: body.length });
  return { key, contentType, source };
}

async function fetchArtwork(url: string, contentType: string, deps: ShowCoverDeps): Promise<Buffer> {
  const fetched = await fetchSource(deps.providers.fetcher, url, {
    kind: 'image',
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  if (!fetched.ok) {
    const message = `podcast.artworkUrl: cannot read the show's artwork: ${fetched.reason}`;
    throw fetched.transient ? new RetryableStageError(message) : new FatalStageError(message);
  }
  const body = fetched.value.body;
  const info = inspectCoverImage(body);
  const problem = !info
    ? 'neither a PNG nor a JPEG image'
    : (coverArtProblem(info) ??
      (info.contentType !== contentType
        ? `a ${info.format === 'png' ? 'PNG' : 'JPEG'} image named as a ${contentType === 'image/png' ? '.png' : '.jpg'} file`
        : undefined));
  if (problem) throw new FatalStageError(`podcast.artworkUrl: the image at ${url} is ${problem}; ${RULES}`);
  return body;
}

async function drawCover(show: ShowIdentity, renderer: ArtworkRenderer): Promise<Buffer> {
  const drawn = await renderer.render({
    title: show.title,
    subtitle: showCoverSubtitle(show),
    seed: `${show.podcastId}#show`,
    size: ARTWORK_SIZE,
  });
  checkRendered(drawn, 'show cover');
  if (drawn.contentType !== 'image/png')
    throw new FatalStageError(
      `the show cover must be drawn as image/png, the renderer drew ${drawn.contentType}`
    );
  return drawn.body;
}

/**
 * Checks what a renderer drew against Apple's rules; a FatalStageError names the cover and the
 * problem (a renderer that draws wrong images will not draw right ones on a retry).
 */
export function checkRendered(
  rendered: { body: Buffer; contentType: string },
  what: string
): { width: number; height: number; contentType: 'image/png' | 'image/jpeg' } {
  if (rendered.body.length === 0) throw new FatalStageError(`artwork renderer returned an empty image`);
  const info = inspectCoverImage(rendered.body);
  if (!info) {
    throw new FatalStageError(
      `artwork renderer returned ${rendered.contentType} that is not a ${rendered.contentType === 'image/jpeg' ? 'JPEG' : 'PNG'}`
    );
  }
  if (info.contentType !== rendered.contentType.split(';')[0]?.trim().toLowerCase())
    throw new FatalStageError(
      `artwork renderer returned a ${info.format} image labelled ${rendered.contentType}`
    );
  if (info.width !== info.height)
    throw new FatalStageError(`artwork must be square, the renderer drew ${info.width}x${info.height}`);
  const problem = coverArtProblem(info);
  if (problem) throw new FatalStageError(`the ${what} the renderer drew is ${problem}; ${RULES}`);
  return { width: info.width, height: info.height, contentType: info.contentType };
}
