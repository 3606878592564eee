/** Loads a podcast config file; relative feed paths become file:// URLs next to the file. */
import { readJsonFile } from '../cli/read-json-file';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type PodcastConfig, podcastConfigSchema } from '../../../stages/shared/config-schema';
import { parseOrThrow } from '../../../stages/shared/validation';

export async function loadPodcastConfigFile(file: string): Promise<PodcastConfig> {
  const raw = await readJsonFile(file, 'podcast config', 'podcast');
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
