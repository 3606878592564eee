/**
 * What prepare's work depends on beyond the run input, and what it keeps fixed across reruns:
 *
 * - the podcast config's hash, in prepare's checkpoint input (the runner asks through
 *   `checkpointInput`) and in its manifest, so a rerun after the operator fixed the config
 *   (`--resume <runId> --podcast fixed.json`) redoes prepare, which snapshots the fixed config,
 *   and every stage after it (their checkpoints hash prepare's manifest); an unchanged config
 *   redoes nothing;
 * - the episode date when the input names none: the date the run was created, so that rerun, on
 *   whatever day, keeps the episode's date and GUID.
 */
import type { PodcastConfig } from '../shared/config-schema';
import { hashJson } from '../shared/hashing';
import type { RunInput } from '../shared/run-input-schema';
import type { StageDeps } from '../shared/stage';

export function podcastConfigHash(podcast: PodcastConfig): string {
  return hashJson(podcast);
}

/**
 * The config the run would use now, read without writing anything (an inline config wins, as in
 * loadPodcast). Unknown podcasts hash as null: claim has already rejected them as bad input.
 */
export async function configCheckpointInput(
  input: RunInput,
  deps: Pick<StageDeps, 'podcasts'>
): Promise<{ configHash: string | null }> {
  const podcast = input.podcast ?? (await deps.podcasts.get(input.podcastId));
  return { configHash: podcast ? podcastConfigHash(podcast) : null };
}

/**
 * The episode date: the input's, else the UTC date of the run record's creation (its first
 * claim, which a resume or a takeover never moves), else the clock (prepare run on its own).
 */
export async function episodeDate(input: RunInput, deps: Pick<StageDeps, 'runs' | 'clock'>): Promise<string> {
  if (input.episode.date) return input.episode.date;
  const run = await deps.runs.get(input.runId);
  return (run?.createdAt ?? deps.clock.now().toISOString()).slice(0, 10);
}
