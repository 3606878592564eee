/**
 * Story memory in discover: the candidates an earlier episode of the podcast already covered are
 * left out, unless their source marks them updated since. A candidate is covered when an earlier
 * episode's record (stages/shared/story-memory.ts) holds its canonical link or its normalised
 * title (compared by storyLinkKey and storyTitleKey: http and https, `www.`, compatibility forms
 * and look-alike letters folded); the latest such episode decides. It counts as updated when the
 * feed dates it (its publication or its update mark, feed-dates.ts) after the end of that
 * episode's day, the last moment that episode could have seen it, and no later than the end of
 * this episode's day (a date in the future, as for publication, does not count), so a rerun for
 * the same date decides the same way. A source whose items all carry the same update mark (its
 * build time) marks no update (blanketUpdateSources).
 */
import type { StoryCandidate } from '../shared/content-types';
import type { EpisodeCoverage } from '../shared/ports';
import { skipReason } from '../shared/run-skip';
import { storyLinkKey, storyTitleKey } from '../shared/story-memory';

/** A candidate left out, and the episode that covered it. */
export interface CoveredCandidate {
  candidate: StoryCandidate;
  episodeId: string;
}

export interface CoverageResult {
  /** Candidates no earlier episode covered, or updated since: still in rank order. */
  fresh: StoryCandidate[];
  covered: CoveredCandidate[];
}

/** Episodes named in a skip reason; more are counted. */
const MAX_EPISODES_NAMED = 10;

/** The last millisecond of the UTC day of an ISO date or timestamp. */
export function endOfDay(isoDateOrTime: string): string {
  return `${new Date(Date.parse(isoDateOrTime)).toISOString().slice(0, 10)}T23:59:59.999Z`;
}

/**
 * Sources that stamp one update mark on every item (a feed writing its build time into each
 * `<updated>`): such a mark says nothing about a story, so it is not read as an update.
 */
function blanketUpdateSources(ranked: readonly StoryCandidate[]): Set<string> {
  const marks = new Map<string, (string | undefined)[]>();
  for (const c of ranked) {
    const updated = marks.get(c.sourceId) ?? [];
    updated.push(c.updatedAt);
    marks.set(c.sourceId, updated);
  }
  const blanket = new Set<string>();
  for (const [sourceId, updated] of marks)
    if (updated.length >= 2 && updated[0] !== undefined && updated.every((u) => u === updated[0]))
      blanket.add(sourceId);
  return blanket;
}

/** The newest date the feed gives the story (publication or update), up to `notAfter`. */
function latestMark(candidate: StoryCandidate, notAfter: string, readUpdate: boolean): string | undefined {
  return [candidate.publishedAt, readUpdate ? candidate.updatedAt : undefined]
    .filter((d): d is string => d !== undefined && d <= notAfter)
    .sort()
    .at(-1);
}

/**
 * Splits the ranked candidates into those this episode may use and those earlier episodes
 * covered. `earlier` holds only episodes before this one (the repository's listCoverage), so a
 * rerun of this episode's own run is not affected by its own record.
 */
export function leaveOutCovered(
  ranked: readonly StoryCandidate[],
  earlier: readonly EpisodeCoverage[],
  episodeDate: string
): CoverageResult {
  // The latest episode covering each link and each title (episodes oldest first: later ones win).
  const byUrl = new Map<string, EpisodeCoverage>();
  const byTitle = new Map<string, EpisodeCoverage>();
  for (const episode of [...earlier].sort((a, b) => a.episodeId.localeCompare(b.episodeId))) {
    for (const story of episode.stories) {
      byUrl.set(storyLinkKey(story.url), episode);
      const title = storyTitleKey(story.title);
      if (title) byTitle.set(title, episode);
    }
  }
  const notAfter = endOfDay(episodeDate);
  const blanket = blanketUpdateSources(ranked);
  const fresh: StoryCandidate[] = [];
  const covered: CoveredCandidate[] = [];
  for (const candidate of ranked) {
    const title = storyTitleKey(candidate.title);
    const matches = [byUrl.get(storyLinkKey(candidate.url)), title ? byTitle.get(title) : undefined].filter(
      (e): e is EpisodeCoverage => e !== undefined
    );
    const latest = matches.sort((a, b) => b.episodeId.localeCompare(a.episodeId))[0];
    const mark = latestMark(candidate, notAfter, !blanket.has(candidate.sourceId));
    if (!latest || (mark !== undefined && mark > endOfDay(latest.publishedAt))) fresh.push(candidate);
    else covered.push({ candidate, episodeId: latest.episodeId });
  }
  return { fresh, covered };
}

/** `no new stories: all 4 candidates were covered in episodes 2026-11-16, 2026-11-23`. */
export function nothingNewReason(covered: readonly CoveredCandidate[]): string {
  const which = covered.length === 1 ? 'the only candidate was' : `all ${covered.length} candidates were`;
  return skipReason(`no new stories: ${which} ${coveredIn(covered)}`);
}

/**
 * Story memory left fewer new stories than the podcast's minStories: the run is skipped (a
 * scheduled run tries again with the next news) rather than failing for want of material.
 */
export function tooFewNewReason(
  fresh: number,
  minStories: number,
  covered: readonly CoveredCandidate[]
): string {
  return skipReason(
    `only ${fresh} new stor${fresh === 1 ? 'y' : 'ies'}, fewer than minStories ${minStories}: the other ${covered.length} candidate${covered.length === 1 ? ' was' : 's were'} ${coveredIn(covered)}`
  );
}

function coveredIn(covered: readonly CoveredCandidate[]): string {
  const episodes = [...new Set(covered.map((c) => c.episodeId))].sort();
  const named = episodes.slice(0, MAX_EPISODES_NAMED).join(', ');
  const more =
    episodes.length > MAX_EPISODES_NAMED ? ` and ${episodes.length - MAX_EPISODES_NAMED} more` : '';
  return `covered in episode${episodes.length === 1 ? '' : 's'} ${named}${more}`;
}
