/** Helpers stages use to read what prepare fixed for the run, from their typed (parsed) input. */
import type { PrepareManifest } from '../prepare/schema';
import { getJson } from './artifact-keys';
import { type PodcastConfig, podcastConfigSchema } from './config-schema';
import type { StageDeps } from './stage';
import { isSkipped } from './stage';
import { parseOrThrow } from './validation';

/** The podcast config snapshot prepare stored for the run (an artifact, checked as it is read). */
export async function loadRunPodcast(
  prepare: Pick<PrepareManifest, 'configKey'>,
  deps: Pick<StageDeps, 'media'>
): Promise<PodcastConfig> {
  const raw = await getJson<unknown>(deps.media, prepare.configKey);
  return parseOrThrow(podcastConfigSchema, raw, 'podcast');
}

/** The script the audio is made from: the reviewed one, or the draft when review is switched off. */
export function finalScriptKey(stages: {
  review?: { key: string } | { skipped: true } | undefined;
  script: { key: string };
}): string {
  const review = stages.review;
  if (review && !isSkipped(review)) return review.key;
  return stages.script.key;
}
