/**
 * Loads a podcast config file; relative feed and artwork paths become file:// URLs next to the file. The file
 * is held to PODCAST_CONFIG_MAX_BYTES, must hold a JSON object, and may have no `__proto__`,
 * `constructor` or `prototype` key (stages/shared/input-limits.ts). It may omit `publicBaseUrl`
 * (the input schema): the caller resolves it (resolvePublicBaseUrl) before storing it.
 */
import { readJsonFile } from '../cli/read-json-file';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type PodcastConfigInput, podcastConfigInputSchema } from '../../../stages/shared/config-schema';
import { ValidationError } from '../../../stages/shared/errors';
import { PODCAST_CONFIG_MAX_BYTES, rejectUnsafeKeys } from '../../../stages/shared/input-limits';
import { parseOrThrow } from '../../../stages/shared/validation';

export async function loadPodcastConfigFile(file: string): Promise<PodcastConfigInput> {
  const raw = await readJsonFile(file, 'podcast config', 'podcast', PODCAST_CONFIG_MAX_BYTES);
  const what = `podcast config ${path.basename(file)}`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const found = raw === null ? 'null' : Array.isArray(raw) ? 'an array' : `a ${typeof raw}`;
    throw new ValidationError(`podcast config ${file} must hold a JSON object, not ${found}`, 'podcast');
  }
  rejectUnsafeKeys(raw, what);
  const dir = path.dirname(path.resolve(file));
  const sources = (raw as { sources?: unknown }).sources;
  if (Array.isArray(sources)) {
    for (const source of sources as { feedUrl?: unknown }[]) {
      if (typeof source?.feedUrl === 'string') source.feedUrl = resolveLocal(dir, source.feedUrl);
    }
  }
  const config = raw as { artworkUrl?: unknown };
  if (typeof config.artworkUrl === 'string') config.artworkUrl = resolveLocal(dir, config.artworkUrl);
  return parseOrThrow(podcastConfigInputSchema, raw, what);
}

/** A path relative to the config's folder as a file:// URL; a URL (any scheme) as it is. */
function resolveLocal(dir: string, value: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : pathToFileURL(path.resolve(dir, value)).href;
}
