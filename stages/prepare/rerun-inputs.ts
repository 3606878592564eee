/**
 * What prepare's work depends on beyond the run input, and what it keeps fixed across reruns:
 *
 * - the podcast config's hash, in prepare's checkpoint input (its `checkpointInput` hashes the
 *   config its claim read) and in its manifest, so a rerun after the operator fixed the config
 *   (`--resume <runId> --podcast fixed.json`) redoes prepare, which snapshots the fixed config,
 *   and every stage after it (their checkpoints hash prepare's manifest); an unchanged config
 *   redoes nothing;
 * - the episode date when the input names none: the date the run was created, so that rerun, on
 *   whatever day, keeps the episode's date and GUID;
 * - the podcast's public URL: a config without `publicBaseUrl` gets `<publicOrigin>/podcasts/<id>`,
 *   and prepare stores the resolved config, so the feed and media URLs stay put afterwards.
 */
import { approvalWithoutReview } from '../shared/approval/approval-record';
import type { PodcastConfig } from '../shared/config-schema';
import { ValidationError } from '../shared/errors';
import { hashJson } from '../shared/hashing';
import { resolvePublicBaseUrl } from '../shared/public-urls';
import type { RunInput } from '../shared/run-input-schema';
import type { StageDeps } from '../shared/stage';

export function podcastConfigHash(podcast: PodcastConfig): string {
  return hashJson(podcast);
}

/** The podcast config a run uses now, resolved, and whether prepare stores it. */
export interface CurrentPodcast {
  podcast: PodcastConfig;
  /** What error messages call it: `input.podcast`, or `podcast "<podcastId>"` for the stored one. */
  what: string;
  /** Inline in the run input, or stored without `publicBaseUrl` (now filled in): prepare stores it. */
  store: boolean;
}

/**
 * The config the run would use now, read without writing anything: an inline config wins over the
 * stored one, and a missing `publicBaseUrl` is resolved with `deps.publicOrigin` (a
 * ValidationError when there is none). Undefined when the podcast is unknown. A stored config
 * whose default approval gate the run input would silently drop (review switched off) is a
 * ValidationError (approvalWithoutReview).
 */
export async function currentPodcast(
  input: RunInput,
  deps: Pick<StageDeps, 'podcasts' | 'publicOrigin'>
): Promise<CurrentPodcast | undefined> {
  if (input.podcast) {
    const what = 'input.podcast';
    return { podcast: resolvePublicBaseUrl(input.podcast, deps.publicOrigin, what), what, store: true };
  }
  const stored = await deps.podcasts.get(input.podcastId);
  if (!stored) return undefined;
  const what = `podcast "${input.podcastId}"`;
  // The run input's own flags and an inline config's gate are checked by its schema.
  const conflict = approvalWithoutReview(input.flags, stored.approval, `the approval.script of ${what}`);
  if (conflict) {
    const field = conflict.path.join('.');
    throw new ValidationError(`${field}: ${conflict.message}`, field);
  }
  return {
    podcast: resolvePublicBaseUrl(stored, deps.publicOrigin, what),
    what,
    store: stored.publicBaseUrl === undefined,
  };
}

/**
 * The episode date: the input's, else the UTC date the run record was created (its first claim,
 * which a resume or a takeover never moves, so a rerun on another day keeps the date and GUID).
 */
export async function episodeDate(input: RunInput, runCreatedAt: Promise<string>): Promise<string> {
  return input.episode.date ?? (await runCreatedAt).slice(0, 10);
}
