/**
 * publish: put the final media under the episode's public keys (the MP3 with its ID3v2.4 tag:
 * title, show, hosts, date, episode number, cover, chapters) and write the episode record exactly
 * once, with the tagged file's size and the stories it covered (story memory, for discover). The
 * files go under a version folder derived from their bytes (`episodes/<episodeId>/<version>/`,
 * episode-version.ts), written before the record and never rewritten with other bytes; the record
 * points at its own version, so whoever wins the record's conditional put, the feed announces
 * exactly the bytes served. A rerun of the same run
 * finds its own record and, when its files are the same, rewrites nothing and reports
 * `created: false`; with other files (the script was edited after publishing) it writes them under
 * their new version and replaces the record conditionally on the previous version (same GUID and
 * episode number); a different run that
 * already published this podcast's episode for the date is a FatalStageError (raised before any
 * write when its record is seen first; after the loser's files were written, under their own
 * version, when it wins the race to the record).
 */
import { readScript } from '../notes/content-readers';
import { FatalStageError, RetryableStageError } from '../shared/errors';
import type { EpisodeRecord, EpisodeRepository, Logger } from '../shared/ports';
import type { PodcastConfig } from '../shared/config-schema';
import { publicUrls, showCoverKey } from '../shared/public-urls';
import { finalScriptKey, loadRunPodcast } from '../shared/run-context';
import { defineStage, isSkipped } from '../shared/stage';
import { planEpisodeAssets, planEpisodeSources, publishEpisodeAssets } from './episode-assets';
import {
  buildEpisodeRecord,
  episodeStories,
  nextEpisodeNumber,
  readText,
  scriptOpening,
  textToHtml,
} from './episode-record';
import { checkEpisodeLength } from './episode-length';
import { tagEpisodeMedia } from './episode-tags';
import { episodeVersion, readEpisodeBodies } from './episode-version';
import { checkRelease, checkServedMedia } from './release-gate';
import { type PublishInput, type PublishManifest, publishInputSchema, publishOutputSchema } from './schema';

/** The show cover's key: as the artwork stage recorded it, else derived from the config. */
function showCoverOf(artwork: PublishInput['stages']['artwork'], podcast: PodcastConfig): string {
  const recorded = isSkipped(artwork)
    ? undefined
    : (artwork as { showCover?: { key?: unknown } }).showCover?.key;
  return typeof recorded === 'string' ? recorded : showCoverKey(podcast);
}

function publishedByAnotherRun(existing: EpisodeRecord, runId: string): FatalStageError {
  return new FatalStageError(
    `episode ${existing.episodeId} of podcast "${existing.podcastId}" was already published by run "${existing.runId}"; ` +
      `run "${runId}" leaves it untouched (start a run for another episode.date)`
  );
}

function manifestOf(published: EpisodeRecord, created: boolean): PublishManifest {
  return {
    episodeId: published.episodeId,
    guid: published.guid,
    mediaKey: published.media.key,
    mediaUrl: published.media.url,
    imageUrl: published.imageUrl,
    ...(published.episodeNumber !== undefined ? { episodeNumber: published.episodeNumber } : {}),
    ...(published.chaptersUrl ? { chaptersUrl: published.chaptersUrl } : {}),
    ...(published.transcriptUrl ? { transcriptUrl: published.transcriptUrl } : {}),
    ...(published.notesUrl ? { notesUrl: published.notesUrl } : {}),
    created,
  };
}

/**
 * A re-render's record (stages/shared/approval/edit-published-script.ts): conditional on the stored
 * record still pointing at the version this attempt read, so of two concurrent re-renders one
 * wins; the previous version's files stay where they are (nothing rewrites or deletes them).
 */
async function replaceEpisodeVersion(
  record: EpisodeRecord,
  previous: EpisodeRecord,
  ctx: { deps: { episodes: EpisodeRepository }; logger: Logger }
): Promise<PublishManifest> {
  if (!(await ctx.deps.episodes.replaceVersion(record, previous.media.key)))
    throw new FatalStageError(
      `episode ${record.episodeId} of podcast "${record.podcastId}" changed while run "${record.runId}" re-rendered it ` +
        `(it no longer points at ${previous.media.key}); edit the script again to re-render from the current version`
    );
  ctx.logger.info('episode re-rendered', {
    runId: record.runId,
    episodeId: record.episodeId,
    previousMediaKey: previous.media.key,
    mediaKey: record.media.key,
    mediaBytes: record.media.bytes,
  });
  return manifestOf(record, false);
}

export const publishStage = defineStage({
  id: 'publish',
  inputSchema: publishInputSchema,
  outputSchema: publishOutputSchema,
  /**
   * A checkpoint stands for the episode record it wrote: if the record has gone from the table
   * (deleted, a restored backup), the runner redoes publish, which writes it again (conditional
   * put, same GUID) instead of the run succeeding without one.
   */
  async verifyCheckpoint(output, input, deps) {
    const record = await deps.episodes.get(input.podcastId, output.episodeId);
    if (!record)
      return `episode record ${output.episodeId} of podcast "${input.podcastId}" is missing from the episodes table`;
    if (record.runId !== input.runId)
      return `episode record ${output.episodeId} of podcast "${input.podcastId}" now belongs to run "${record.runId}"`;
    return undefined;
  },
  async run(input, ctx) {
    const { deps, logger } = ctx;
    const { runId, podcastId, stages } = input;
    const { episode } = stages.prepare;
    const podcast = await loadRunPodcast(stages.prepare, deps);
    const urls = publicUrls(podcast);
    const sources = planEpisodeSources(input);

    // Checked before writing: another run's published episode fails this run at once. This run's
    // own record is kept when the files are the same (a redo), replaced when they are not (a
    // re-render after an edit of the script: same GUID and number, a new version folder).
    const existing = await deps.episodes.get(podcastId, episode.episodeId);
    if (existing && existing.runId !== runId) throw publishedByAnotherRun(existing, runId);

    const script = await readScript(deps.media, finalScriptKey(stages));
    const notes = stages.notes;
    const description = isSkipped(notes)
      ? scriptOpening(script, podcast)
      : (await readText(deps.media, notes.descriptionKey)).trim();
    const notesHtml = isSkipped(notes) ? textToHtml(description) : await readText(deps.media, notes.htmlKey);
    const published = await deps.episodes.listByPodcast(podcastId);
    const episodeNumber = existing?.episodeNumber ?? nextEpisodeNumber(published, episode.episodeId);
    // Every file's bytes, read once: the tag is made from them, and they are what is written.
    const read = await readEpisodeBodies(deps.media, sources);
    const media = tagEpisodeMedia(read, sources, {
      podcast,
      title: script.episodeTitle,
      date: episode.date,
      durationMs: stages.mix.durationMs,
      summary: description,
      episodeNumber,
    });
    const bodies = { ...read, media };
    const version = episodeVersion(sources, bodies);
    const plan = planEpisodeAssets(sources, { podcastId, episodeId: episode.episodeId, version });
    if (existing?.media.key === plan.media.toKey) {
      // The stored record (and the tagged file it describes) is the truth the feed is built from.
      logger.info('episode already published by this run', { runId, episodeId: episode.episodeId });
      return manifestOf(existing, false);
    }
    const record = buildEpisodeRecord({
      podcast,
      runId,
      episode,
      title: script.episodeTitle,
      description,
      notesHtml,
      durationMs: stages.mix.durationMs,
      mediaBytes: media.length,
      episodeNumber,
      plan,
      urls,
      stories: await episodeStories(deps.media, stages.discover.storiesKey, script),
    });

    // The measured length against targetMinutes: a generated script's episode off target is refused.
    await checkEpisodeLength(ctx, stages.mix.durationMs, podcast.targetMinutes);
    // The release gate, on the artifacts as they will be served: nothing public is written if it fails.
    checkRelease({
      podcast,
      episode,
      otherEpisodes: published.filter((e) => e.episodeId !== episode.episodeId),
      showCover: (await deps.media.get(showCoverOf(stages.artwork, podcast)))?.body,
      episodeCover: bodies.cover,
      loudness: stages.mix.loudness,
    });
    // Under this content's own version: no other run's (or attempt's) files are overwritten.
    await publishEpisodeAssets(deps.media, plan, bodies);
    // The bytes served are the bytes the feed will announce (before the record makes them public).
    checkServedMedia((await deps.media.get(plan.media.toKey))?.body, media);
    await ctx.progress(0.5);
    if (existing) return replaceEpisodeVersion(record, existing, ctx);
    const outcome = await deps.episodes.putOnce(record);
    if (outcome === 'exists') {
      // Lost a race with another writer between the check above and the conditional put. Its
      // record points at its own version's files (written before it), so ours are left unused.
      const stored = await deps.episodes.get(podcastId, episode.episodeId);
      if (!stored)
        throw new RetryableStageError(
          `episode ${episode.episodeId} of podcast "${podcastId}" exists but could not be read back`
        );
      if (stored.runId !== runId) throw publishedByAnotherRun(stored, runId);
      logger.info('episode record written by a concurrent attempt of this run', {
        runId,
        episodeId: episode.episodeId,
        mediaKey: stored.media.key,
      });
      return manifestOf(stored, false);
    }
    const created = outcome === 'created';
    logger.info('episode published', {
      runId,
      episodeId: episode.episodeId,
      episodeNumber,
      created,
      version,
      mediaKey: plan.media.toKey,
      mediaBytes: media.length,
    });
    return manifestOf(record, created);
  },
});
