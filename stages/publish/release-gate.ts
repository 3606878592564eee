/**
 * The release gate: what Apple Podcasts and the Podcasting 2.0 namespace require of an episode,
 * checked on the real artifacts before anything is public. Publish runs it in both modes before
 * its first public write (the cover and media bytes as they will be served, the mix's loudness
 * as measured on the encoded MP3, the podcast's stored config, its other episodes), and once more
 * after the media are written (the bytes served must be the bytes the feed will announce). Each
 * failed rule is named with its reason; any failure is a ReleaseGateError and nothing is
 * published: no episode record, so no feed entry.
 */
import { isAppleCategory, appleSubcategories } from '../shared/apple-categories';
import type { PodcastConfig } from '../shared/config-schema';
import { coverArtProblem, inspectCoverImage } from '../shared/cover-image';
import { ReleaseGateError } from '../shared/errors';
import { episodeGuid } from '../shared/hashing';
import type { EpisodeRecord } from '../shared/ports';

/** Apple's loudness guidance: -16 LUFS integrated (± 1 LU here) and true peak at most -1 dBTP. */
export const LOUDNESS_RULE = { targetLufs: -16, toleranceLu: 1, maxTruePeakDbtp: -1 } as const;

export interface ReleaseCandidate {
  podcast: PodcastConfig;
  episode: { episodeId: string; date: string; guid: string };
  /** The podcast's other published episodes (any run). */
  otherEpisodes: readonly EpisodeRecord[];
  /** The show's cover and the episode's, as they will be served (undefined: none exists). */
  showCover: Buffer | undefined;
  episodeCover: Buffer | undefined;
  /** Measured on the encoded MP3 by the mix (undefined: a mix from before it was measured). */
  loudness: { integratedLufs: number; truePeakDbtp: number } | undefined;
}

export interface ReleaseRule {
  id: string;
  /** What the rule asks, for the error and the docs. */
  requirement: string;
  problem(candidate: ReleaseCandidate): string | undefined;
}

function coverProblem(body: Buffer | undefined, what: string): string | undefined {
  if (!body) return `no ${what} exists`;
  const info = inspectCoverImage(body);
  if (!info) return `the ${what} is neither PNG nor JPEG`;
  const problem = coverArtProblem(info);
  return problem ? `the ${what} is ${problem}` : undefined;
}

export const RELEASE_RULES: readonly ReleaseRule[] = [
  {
    id: 'owner-email',
    requirement: 'a public feed names its owner with an email (itunes:email, podcast:locked owner)',
    problem: (c) => (c.podcast.ownerEmail ? undefined : 'the podcast config has no ownerEmail'),
  },
  {
    id: 'show-artwork',
    requirement: 'show artwork: PNG or JPEG, square, 1400-3000 px, RGB without alpha',
    problem: (c) => coverProblem(c.showCover, 'show cover'),
  },
  {
    id: 'episode-artwork',
    requirement: 'episode artwork, when the episode has its own: the same as the show artwork',
    problem: (c) => (c.episodeCover ? coverProblem(c.episodeCover, 'episode cover') : undefined),
  },
  {
    id: 'loudness',
    requirement: `integrated loudness ${LOUDNESS_RULE.targetLufs} ± ${LOUDNESS_RULE.toleranceLu} LUFS, measured on the final MP3`,
    problem: (c) => {
      if (!c.loudness) return 'the mix recorded no loudness measurement (run the mix again)';
      const off = Math.abs(c.loudness.integratedLufs - LOUDNESS_RULE.targetLufs);
      return off > LOUDNESS_RULE.toleranceLu
        ? `the MP3 measures ${c.loudness.integratedLufs} LUFS, ${off.toFixed(1)} LU from ${LOUDNESS_RULE.targetLufs}`
        : undefined;
    },
  },
  {
    id: 'true-peak',
    requirement: `true peak at most ${LOUDNESS_RULE.maxTruePeakDbtp} dBTP, measured on the final MP3`,
    problem: (c) =>
      c.loudness && c.loudness.truePeakDbtp > LOUDNESS_RULE.maxTruePeakDbtp
        ? `the MP3 peaks at ${c.loudness.truePeakDbtp} dBTP`
        : undefined,
  },
  {
    id: 'guid',
    requirement: 'a GUID that is stable (derived from the podcast and the date) and unique in the feed',
    problem: (c) => {
      const stable = episodeGuid(c.podcast.podcastId, c.episode.date);
      if (c.episode.guid !== stable) return `GUID ${c.episode.guid} is not the stable ${stable}`;
      const clash = c.otherEpisodes.find(
        (e) => e.guid === c.episode.guid && e.episodeId !== c.episode.episodeId
      );
      return clash ? `GUID ${c.episode.guid} is already episode ${clash.episodeId}'s` : undefined;
    },
  },
  {
    id: 'category',
    requirement: "a category (and subcategory) from Apple Podcasts' list",
    problem: (c) => {
      const { category, subcategory } = c.podcast;
      if (!isAppleCategory(category)) return `"${category}" is not an Apple Podcasts category`;
      if (subcategory !== undefined && !appleSubcategories(category).includes(subcategory))
        return `"${subcategory}" is not a subcategory of "${category}"`;
      return undefined;
    },
  },
  {
    id: 'explicit',
    requirement: 'the explicit flag set (true or false)',
    problem: (c) =>
      typeof c.podcast.explicit === 'boolean' ? undefined : 'the podcast config has no explicit flag',
  },
];

/** Every failed rule as `rule: reason`; empty when the episode may be published. */
export function releaseProblems(candidate: ReleaseCandidate, rules = RELEASE_RULES): string[] {
  return rules.flatMap((rule) => {
    const problem = rule.problem(candidate);
    return problem ? [`${rule.id}: ${problem}`] : [];
  });
}

/** Throws a ReleaseGateError naming every failed rule. */
export function checkRelease(candidate: ReleaseCandidate): void {
  const problems = releaseProblems(candidate);
  if (problems.length > 0) throw new ReleaseGateError(problems);
}

/** After the media are written: the bytes served must be the bytes the record will announce. */
export function checkServedMedia(served: Buffer | undefined, expected: Buffer): void {
  if (!served) throw new ReleaseGateError(['enclosure-length: the published MP3 cannot be read back']);
  if (served.length !== expected.length)
    throw new ReleaseGateError([
      `enclosure-length: the published MP3 is ${served.length} bytes, the feed would announce ${expected.length}`,
    ]);
  if (!served.equals(expected))
    throw new ReleaseGateError([
      'enclosure-length: the published MP3 is not the file the feed would announce',
    ]);
}
