/**
 * outline: the episode's segment plan within the target length, from the ranked summaries, by the
 * podcast's writer. The length plan (shared/length-plan.ts) keeps as many of the top-ranked
 * stories as the target duration has room for (never fewer than minStories) and turns the
 * duration into words at the hosts' measured speaking rates, less the mix's music and pauses.
 * Writes the Outline JSON and a small manifest.
 */
import { artifactKeys, putJson } from '../shared/artifact-keys';
import { minimumStories } from '../shared/config-schema';
import { FatalStageError } from '../shared/errors';
import { lengthPlan, plannedWords, storiesThatFit } from '../shared/length-plan';
import { loadRunPodcast } from '../shared/run-context';
import { defineStage } from '../shared/stage';
import { loadSummaries } from '../summarize/summaries';
import { UsageCollector, callWriter, parseWriterAnswer } from '../summarize/writer-calls';
import { outlineInputSchema, outlineOutputSchema, outlineSchema } from './schema';

/** Spoken words per minute of a rough budget, where no outline has planned one. */
export const WORDS_PER_MINUTE = 150;

export function targetWordsFor(targetMinutes: number): number {
  return Math.round(targetMinutes * WORDS_PER_MINUTE);
}

export const outlineStage = defineStage({
  id: 'outline',
  inputSchema: outlineInputSchema,
  outputSchema: outlineOutputSchema,

  async run(input, ctx) {
    const { stages } = input;
    const { episode } = stages.prepare;
    const podcast = await loadRunPodcast(stages.prepare, ctx.deps);
    const ranked = await loadSummaries(ctx.deps, stages.summarize);
    const plan = lengthPlan(podcast);
    const summaries = ranked.slice(0, storiesThatFit(plan, ranked.length, minimumStories(podcast)));
    const writer = ctx.deps.providers.writerFor(podcast);
    const usage = new UsageCollector();
    const targetWords = plannedWords(plan, summaries.length);

    const answer = await callWriter(writer, 'outline', () =>
      writer.outline(summaries, {
        ...usage.writerContext(podcast, episode.date, ctx.signal),
        targetWords,
        ...(episode.title ? { title: episode.title } : {}),
      })
    );
    const outline = parseWriterAnswer(outlineSchema, answer, writer, 'outline');
    const known = new Set(summaries.map((s) => s.storyId));
    for (const segment of outline.segments) {
      if (segment.storyId && !known.has(segment.storyId)) {
        throw new FatalStageError(
          `writer "${writer.name}" returned a malformed outline: segment ${segment.id} names unknown story "${segment.storyId}"`
        );
      }
    }

    const key = artifactKeys.stageFile(input.runId, 'outline', 'outline.json');
    await putJson(ctx.deps.media, key, outline);
    await usage.record(ctx, 'outline');
    ctx.logger.info('outline written', {
      segments: outline.segments.length,
      storiesDropped: ranked.length - summaries.length,
      targetWords,
      episodeTitle: outline.episodeTitle,
    });
    return { key, segments: outline.segments.length, targetWords };
  },
});
