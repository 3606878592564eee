/**
 * script: the hosts' dialogue, segment by segment, by the podcast's writer. Writes the Script JSON
 * and a plain-text transcript ("Host Name: line" per turn). Speakers, banned phrases and sources
 * are review's checks; this stage checks the writer's answer is a well-formed script.
 */
import { artifactKeys, getJson, putJson } from '../shared/artifact-keys';
import type { PodcastConfig } from '../shared/config-schema';
import type { Script } from '../shared/content-types';
import { FatalStageError } from '../shared/errors';
import { loadRunPodcast } from '../shared/run-context';
import { defineStage } from '../shared/stage';
import { parseOrThrow } from '../shared/validation';
import { outlineSchema } from '../outline/schema';
import { countWords } from '../scrape/html-text';
import { loadSummaries } from '../summarize/summaries';
import { UsageCollector, callWriter, parseWriterAnswer } from '../summarize/writer-calls';
import { scriptInputSchema, scriptOutputSchema, scriptSchema } from './schema';

export const scriptStage = defineStage({
  id: 'script',
  inputSchema: scriptInputSchema,
  outputSchema: scriptOutputSchema,

  async run(input, ctx) {
    const { stages } = input;
    const { episode } = stages.prepare;
    const podcast = await loadRunPodcast(stages.prepare, ctx.deps);
    const outline = parseOrThrow(
      outlineSchema,
      await getJson<unknown>(ctx.deps.media, stages.outline.key),
      'outline'
    );
    const summaries = await loadSummaries(ctx.deps, stages.summarize);
    const writer = ctx.deps.providers.writerFor(podcast);
    const usage = new UsageCollector();

    const answer = await callWriter(writer, 'script', () =>
      writer.script(outline, summaries, usage.writerContext(podcast, episode.date, ctx.signal))
    );
    const parsed: Script = parseWriterAnswer(scriptSchema, answer, writer, 'script');
    // The word count is ours to state: a writer's own count is not trusted.
    const script: Script = {
      ...parsed,
      wordCount: parsed.turns.reduce((sum, t) => sum + countWords(t.text), 0),
    };
    const segmentIds = new Set(outline.segments.map((s) => s.id));
    for (const turn of script.turns) {
      if (!segmentIds.has(turn.segmentId)) {
        throw new FatalStageError(
          `writer "${writer.name}" returned a malformed script: turn ${turn.index} is in unknown segment "${turn.segmentId}"`
        );
      }
    }

    const key = artifactKeys.stageFile(input.runId, 'script', 'script.json');
    const textKey = artifactKeys.stageFile(input.runId, 'script', 'script.txt');
    await putJson(ctx.deps.media, key, script);
    await ctx.deps.media.put(textKey, scriptText(script, podcast), 'text/plain; charset=utf-8');
    await usage.record(ctx, 'script');
    ctx.logger.info('script written', { turns: script.turns.length, words: script.wordCount });
    return { key, textKey, turns: script.turns.length, words: script.wordCount };
  },
});

/** One "Host Name: line" per turn; an unknown speaker id is written as is. */
export function scriptText(script: Script, podcast: PodcastConfig): string {
  const names = new Map(podcast.hosts.map((h) => [h.id, h.name]));
  return `${script.turns.map((t) => `${names.get(t.speaker) ?? t.speaker}: ${t.text}`).join('\n')}\n`;
}
