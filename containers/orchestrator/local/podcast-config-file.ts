/** Loads a podcast config file; relative feed paths become file:// URLs next to the file. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type PodcastConfig, podcastConfigSchema } from '../../../stages/shared/config-schema';
import { ValidationError } from '../../../stages/shared/errors';
import { parseOrThrow } from '../../../stages/shared/validation';

export async function loadPodcastConfigFile(file: string): Promise<PodcastConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ValidationError(`cannot read podcast config ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'podcast');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`podcast config ${file} is not valid JSON: ${(error as Error).message}`, 'podcast');
  }
  const dir = path.dirname(path.resolve(file));
  const sources = (raw as { sources?: unknown }).sources;
  if (Array.isArray(sources)) {
    for (const source of sources as { feedUrl?: unknown }[]) {
      if (typeof source?.feedUrl === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(source.feedUrl)) {
        source.feedUrl = pathToFileURL(path.resolve(dir, source.feedUrl)).href;
      }
    }
  }
  return parseOrThrow(podcastConfigSchema, raw, `podcast config ${path.basename(file)}`);
}
