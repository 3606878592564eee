/**
 * The mapping from bucket keys to public URLs. A podcast's `publicBaseUrl` stands for the prefix
 * `podcasts/<podcastId>/` in both the media bucket and the RSS bucket (the CDN serves both under
 * one origin path), so `podcasts/<id>/episodes/<episodeId>/<version>/episode.mp3` is served at
 * `<publicBaseUrl>/episodes/<episodeId>/<version>/episode.mp3` and `podcasts/<id>/feed.xml` at
 * `<publicBaseUrl>/feed.xml`. This file is the one place that spells that rule. An episode's URLs
 * are written into its record by publish; the feed takes them from there, never from here.
 */
import { artifactKeys } from './artifact-keys';
import type { PodcastConfig, PodcastConfigInput } from './config-schema';
import { ENV } from './env';
import { FatalStageError, ValidationError } from './errors';
import { hashJson } from './hashing';
import { printable } from './printable';

/** The key prefix that `publicBaseUrl` stands for. */
export function podcastPrefix(podcastId: string): string {
  return `podcasts/${podcastId}/`;
}

/** What the show cover is made from: the config's artwork, or its title and author. */
export type ShowIdentity = Pick<PodcastConfig, 'podcastId' | 'title' | 'author' | 'artworkUrl'>;

/**
 * The drawn show cover's design version: bump it when the drawing changes, and every show gets
 * its cover drawn again (under a new key) by the next artwork run.
 */
export const SHOW_COVER_DESIGN = 1;

/**
 * The show's cover (the feed's channel image): `podcasts/<podcastId>/cover-<hash>.png|jpg`. The
 * hash covers what the image is made from (the config's `artworkUrl`, else the title, the author
 * and SHOW_COVER_DESIGN), so a new title or new artwork gets a new key and URL: the artwork stage
 * writes it when missing, nothing is overwritten under a URL a CDN or a directory has cached,
 * and the feed derives the same key from the config alone. (Artwork changed at the same URL is
 * not seen: give the new image a new name.) The extension is the artwork's, else `png`.
 */
export function showCoverKey(show: ShowIdentity): string {
  const source = show.artworkUrl
    ? { artworkUrl: show.artworkUrl }
    : { design: SHOW_COVER_DESIGN, title: show.title, author: show.author };
  const extension = show.artworkUrl && !/\.png$/i.test(new URL(show.artworkUrl).pathname) ? 'jpg' : 'png';
  return `${podcastPrefix(show.podcastId)}cover-${hashJson(source).slice(0, 16)}.${extension}`;
}

/** `publicBaseUrl` without trailing slashes, so joins never double them. */
export function normalizeBaseUrl(publicBaseUrl: string): string {
  return publicBaseUrl.replace(/\/+$/, '');
}

/**
 * The public URL of an object under `podcasts/<podcastId>/`. Each path segment is
 * percent-encoded; a key outside the podcast's public prefix is a FatalStageError (it would
 * otherwise publish a URL that serves nothing).
 */
export function publicUrlForKey(publicBaseUrl: string, podcastId: string, key: string): string {
  const prefix = podcastPrefix(podcastId);
  if (!key.startsWith(prefix) || key.length === prefix.length) {
    throw new FatalStageError(
      `key "${key}" is not under the public prefix "${prefix}" of podcast "${podcastId}"`
    );
  }
  const path = key
    .slice(prefix.length)
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return `${normalizeBaseUrl(publicBaseUrl)}/${path}`;
}

/** URLs of one podcast's public objects, bound to its config. */
export interface PublicUrls {
  readonly baseUrl: string;
  forKey(key: string): string;
  feed(): string;
  /** The show cover (showCoverKey). */
  podcastCover(): string;
}

export function publicUrls(podcast: ShowIdentity & { publicBaseUrl: string }): PublicUrls {
  const { podcastId, publicBaseUrl } = podcast;
  const forKey = (key: string) => publicUrlForKey(publicBaseUrl, podcastId, key);
  return {
    baseUrl: normalizeBaseUrl(publicBaseUrl),
    forKey,
    feed: () => forKey(artifactKeys.feed(podcastId)),
    podcastCover: () => forKey(showCoverKey(podcast)),
  };
}

/**
 * The config with its `publicBaseUrl`: the one it gives, else the deployment's public origin (the
 * CDN, or `npm run serve`) joined with the prefix it stands for: `<origin>/podcasts/<podcastId>`.
 * Neither is a ValidationError naming `<field>.publicBaseUrl` and the ways to provide one; an
 * origin that is not a plain http(s) URL is one too. Pure: the caller passes the origin it was given.
 */
export function resolvePublicBaseUrl(
  config: PodcastConfigInput,
  publicOrigin: string | undefined,
  field: string
): PodcastConfig {
  const { publicBaseUrl } = config;
  if (publicBaseUrl !== undefined) return { ...config, publicBaseUrl };
  if (!publicOrigin) {
    throw new ValidationError(
      `${field}.publicBaseUrl: not set, and there is no public origin to default it to: set publicBaseUrl in the podcast config, run under \`npm run serve\`, or set ${ENV.publicOrigin} to the deployment's public origin (e.g. https://d123.cloudfront.net)`,
      `${field}.publicBaseUrl`
    );
  }
  const origin = checkPublicOrigin(publicOrigin);
  return { ...config, publicBaseUrl: `${origin}/${podcastPrefix(config.podcastId).slice(0, -1)}` };
}

/** The origin without trailing slashes, once it is known to be an http(s) URL with no query or fragment. */
function checkPublicOrigin(publicOrigin: string): string {
  const origin = normalizeBaseUrl(publicOrigin.trim());
  const url = URL.canParse(origin) ? new URL(origin) : undefined;
  if (!url || !/^https?:$/.test(url.protocol) || /[?#]/.test(origin) || url.username || url.password) {
    throw new ValidationError(
      `${ENV.publicOrigin}: the public origin "${printable(publicOrigin)}" must be an http(s) URL without credentials, query or fragment (e.g. https://d123.cloudfront.net)`,
      ENV.publicOrigin
    );
  }
  return origin;
}
