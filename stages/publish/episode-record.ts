/**
 * The episode record the feed is built from: everything in it is derived from the run's
 * artifacts and the episode date, so reruns and both orchestration modes produce the same record.
 * Its URLs point at the files of its own version folder (episode-version.ts): the feed takes
 * every episode URL from the record.
 */
import { storyCandidateSchema } from '../discover/schema';
import { getJson } from '../shared/artifact-keys';
import type { PodcastConfig } from '../shared/config-schema';
import type { Script } from '../shared/content-types';
import { FatalStageError } from '../shared/errors';
import type { ArtifactStore, CoveredStory, EpisodeRecord } from '../shared/ports';
import type { PublicUrls } from '../shared/public-urls';
import { boundedStories, coveredStory } from '../shared/story-memory';
import { parseOrThrow } from '../shared/validation';
import { collapseWhitespace, escapeHtml, speakerNamer, truncateWords } from '../notes/text-format';
import type { EpisodeAssetPlan } from './episode-assets';

/** When notes are skipped the description is the script's opening lines, up to this many. */
export const FALLBACK_DESCRIPTION_TURNS = 3;
export const FALLBACK_DESCRIPTION_CHARS = 600;

export async function readText(store: ArtifactStore, key: string): Promise<string> {
  const object = await store.get(key);
  if (!object) throw new FatalStageError(`artifact s3://${store.bucket}/${key} is missing`);
  return object.body.toString('utf8');
}

/** The script's first turns as `Name: line` lines (the description when notes are skipped). */
export function scriptOpening(script: Script, podcast: Pick<PodcastConfig, 'hosts'>): string {
  const nameOf = speakerNamer(podcast);
  const lines: string[] = [];
  let used = 0;
  for (const turn of script.turns.slice(0, FALLBACK_DESCRIPTION_TURNS)) {
    const text = collapseWhitespace(turn.text);
    if (!text) continue;
    const line = truncateWords(
      `${nameOf(turn.speaker)}: ${text}`,
      Math.max(40, FALLBACK_DESCRIPTION_CHARS - used)
    );
    lines.push(line);
    used += line.length + 1;
    if (used >= FALLBACK_DESCRIPTION_CHARS) break;
  }
  if (lines.length === 0)
    throw new FatalStageError(
      `script "${script.episodeTitle}" has no spoken lines to describe the episode with`
    );
  return lines.join('\n');
}

/** Plain text as an HTML fragment: one escaped paragraph per line. */
export function textToHtml(text: string): string {
  return `${text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('\n')}\n`;
}

/**
 * The stories the episode covers, for story memory: those discover picked that the final script
 * cites (a story dropped from the script may be chosen again), or every picked one when the
 * script cites none; bounded (story-memory.ts).
 */
export async function episodeStories(
  store: ArtifactStore,
  storiesKey: string,
  script: Script
): Promise<CoveredStory[]> {
  const raw = await getJson<unknown>(store, storiesKey);
  const picked = parseOrThrow(storyCandidateSchema.array(), raw, `discover stories (${storiesKey})`);
  const cited = new Set(script.turns.flatMap((turn) => turn.sourceIds));
  const used = picked.filter((story) => cited.has(story.id));
  return boundedStories((used.length > 0 ? used : picked).map(coveredStory));
}

export interface EpisodeRecordParts {
  podcast: PodcastConfig;
  runId: string;
  episode: { episodeId: string; date: string; guid: string };
  title: string;
  description: string;
  notesHtml: string;
  durationMs: number;
  /** The size of the published (tagged) MP3. */
  mediaBytes: number;
  episodeNumber: number;
  plan: EpisodeAssetPlan;
  urls: PublicUrls;
  /** What the episode covered (episodeStories). */
  stories: CoveredStory[];
}

/** Midnight UTC of the episode date: deterministic, unlike the wall clock of whichever run publishes. */
export function publishedAtFor(date: string): string {
  return `${date}T00:00:00.000Z`;
}

/**
 * The number of an episode about to be published: one more than both the count and the highest
 * number of the podcast's other published episodes, so numbers follow publication order and never
 * repeat a stored record's number (not even after a record was deleted). It is fixed when the
 * record is written: a rerun of publish finds the stored record and never renumbers; a retry
 * before the record was written computes the same number unless another episode of the podcast
 * was published in between (then the retry writes its new number into both the tag and the
 * record, which are always written by the same attempt). Two episodes of one podcast published at
 * the same moment could take the same number: nothing serializes publishes across runs.
 */
export function nextEpisodeNumber(published: readonly EpisodeRecord[], episodeId: string): number {
  const others = published.filter((e) => e.episodeId !== episodeId);
  return 1 + Math.max(others.length, ...others.map((e) => e.episodeNumber ?? 0));
}

export function buildEpisodeRecord(parts: EpisodeRecordParts): EpisodeRecord {
  const { plan, urls, episode } = parts;
  const title = collapseWhitespace(parts.title);
  if (!title)
    throw new FatalStageError(`the final script of episode ${episode.date} has an empty episodeTitle`);
  return {
    podcastId: parts.podcast.podcastId,
    episodeId: episode.episodeId,
    guid: episode.guid,
    runId: parts.runId,
    title,
    description: parts.description,
    publishedAt: publishedAtFor(episode.date),
    durationSeconds: Math.round(parts.durationMs / 1000),
    episodeNumber: parts.episodeNumber,
    media: {
      url: urls.forKey(plan.media.toKey),
      key: plan.media.toKey,
      bytes: parts.mediaBytes,
      type: plan.media.contentType,
    },
    imageUrl: plan.cover ? urls.forKey(plan.cover.toKey) : urls.podcastCover(),
    ...(plan.chapters ? { chaptersUrl: urls.forKey(plan.chapters.toKey) } : {}),
    ...(plan.transcript ? { transcriptUrl: urls.forKey(plan.transcript.toKey) } : {}),
    ...(plan.notes ? { notesUrl: urls.forKey(plan.notes.toKey) } : {}),
    notesHtml: parts.notesHtml,
    stories: parts.stories,
  };
}
