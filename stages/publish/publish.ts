/**
 * publish: copy the final media under the episode's public keys and write the episode record
 * exactly once. A rerun of the same run finds its own record and reports `created: false`; a
 * different run that already published this podcast's episode for the date is a FatalStageError,
 * raised before anything public is overwritten.
 */
import { readScript } from '../notes/content-readers';
import { FatalStageError, RetryableStageError } from '../shared/errors';
import type { EpisodeRecord } from '../shared/ports';
import { publicUrls } from '../shared/public-urls';
import { finalScriptKey, loadRunPodcast } from '../shared/run-context';
import { defineStage, isSkipped } from '../shared/stage';
import { copyEpisodeAssets, keepPodcastCover, planEpisodeAssets } from './episode-assets';
import { buildEpisodeRecord, readText, scriptOpening, textToHtml } from './episode-record';
import { publishInputSchema, publishOutputSchema } from './schema';

function publishedByAnotherRun(existing: EpisodeRecord, runId: string): FatalStageError {
  return new FatalStageError(
    `episode ${existing.episodeId} of podcast "${existing.podcastId}" was already published by run "${existing.runId}"; ` +
      `run "${runId}" leaves it untouched (start a run for another episode.date)`
  );
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
    const plan = planEpisodeAssets(input, episode.episodeId);

    // Checked before copying: another run's published files must not be overwritten.
    const existing = await deps.episodes.get(podcastId, episode.episodeId);
    if (existing && existing.runId !== runId) throw publishedByAnotherRun(existing, runId);

    const script = await readScript(deps.media, finalScriptKey(stages));
    const notes = stages.notes;
    const description = isSkipped(notes)
      ? scriptOpening(script, podcast)
      : (await readText(deps.media, notes.descriptionKey)).trim();
    const notesHtml = isSkipped(notes) ? textToHtml(description) : await readText(deps.media, notes.htmlKey);
    const record = buildEpisodeRecord({
      podcast,
      runId,
      episode,
      title: script.episodeTitle,
      description,
      notesHtml,
      durationMs: stages.mix.durationMs,
      mediaBytes: stages.mix.bytes,
      plan,
      urls,
    });

    let created = false;
    if (existing) {
      logger.info('episode already published by this run', { runId, episodeId: episode.episodeId });
    } else {
      await copyEpisodeAssets(deps.media, plan);
      await ctx.progress(0.5);
      await keepPodcastCover(deps.media, podcastId, plan, logger);
      const outcome = await deps.episodes.putOnce(record);
      if (outcome === 'exists') {
        // Lost a race with another writer between the check above and the conditional put.
        const stored = await deps.episodes.get(podcastId, episode.episodeId);
        if (!stored)
          throw new RetryableStageError(
            `episode ${episode.episodeId} of podcast "${podcastId}" exists but could not be read back`
          );
        if (stored.runId !== runId) throw publishedByAnotherRun(stored, runId);
      }
      created = outcome === 'created';
      logger.info('episode published', {
        runId,
        episodeId: episode.episodeId,
        created,
        mediaKey: plan.media.toKey,
      });
    }

    // On a rerun the stored record is the truth the feed is built from.
    const published = existing ?? record;
    return {
      episodeId: published.episodeId,
      guid: published.guid,
      mediaKey: published.media.key,
      mediaUrl: published.media.url,
      imageUrl: published.imageUrl,
      ...(published.chaptersUrl ? { chaptersUrl: published.chaptersUrl } : {}),
      ...(published.transcriptUrl ? { transcriptUrl: published.transcriptUrl } : {}),
      created,
    };
  },
});
