/** Helpers stages use to read what prepare fixed for the run. */
import type { PrepareManifest } from '../prepare/schema';
import { prepareOutputSchema } from '../prepare/schema';
import { getJson } from './artifact-keys';
import { type PodcastConfig, podcastConfigSchema } from './config-schema';
import type { StageDeps, StageInput } from './stage';
import { isSkipped } from './stage';
import { parseOrThrow } from './validation';

export function prepareManifest(input: StageInput): PrepareManifest {
  return parseOrThrow(prepareOutputSchema, input.stages.prepare, 'stages.prepare');
}

export async function loadRunPodcast(input: StageInput, deps: StageDeps): Promise<PodcastConfig> {
  const raw = await getJson<unknown>(deps.media, prepareManifest(input).configKey);
  return parseOrThrow(podcastConfigSchema, raw, 'podcast');
}

/** The script the audio is made from: the reviewed one, or the draft when review is switched off. */
export function finalScriptKey(input: StageInput): string {
  const review = input.stages.review;
  if (review && !isSkipped(review)) return (review as { key: string }).key;
  const script = input.stages.script as { key?: string } | undefined;
  if (!script?.key) throw new Error('stages.script.key is missing');
  return script.key;
}
