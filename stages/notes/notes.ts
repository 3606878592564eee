/**
 * notes: show notes (Markdown and HTML), Podcasting 2.0 chapters and a WebVTT transcript, all
 * built from the mix timeline (real clip timings), the final script and the story summaries, with
 * their fixed words in the podcast's language (notes-phrases.ts).
 * Everything is written under `runs/<runId>/notes/`; the manifest keeps the keys.
 */
import { artifactKeys, putJson } from '../shared/artifact-keys';
import { loadRunPodcast, finalScriptKey } from '../shared/run-context';
import { defineStage } from '../shared/stage';
import { buildChapters, toPodcastChapters } from './chapters';
import { readScript, readSummaries, readTimeline } from './content-readers';
import { notesPhrases } from './notes-phrases';
import { type NotesManifest, notesInputSchema, notesOutputSchema } from './schema';
import { buildShowNotesModel, renderDescription, renderHtml, renderMarkdown } from './show-notes';
import { speakerNamer } from './text-format';
import { renderWebVtt } from './webvtt';

export const NOTES_FILES = {
  html: 'notes.html',
  markdown: 'notes.md',
  chapters: 'chapters.json',
  transcript: 'transcript.vtt',
  description: 'description.txt',
} as const;

export const notesStage = defineStage({
  id: 'notes',
  inputSchema: notesInputSchema,
  outputSchema: notesOutputSchema,
  async run(input, ctx) {
    const { deps } = ctx;
    const { runId, stages } = input;
    const { episode } = stages.prepare;
    const podcast = await loadRunPodcast(stages.prepare, deps);

    const [timeline, script, summaries] = await Promise.all([
      readTimeline(deps.media, stages.mix.timelineKey),
      readScript(deps.media, finalScriptKey(stages)),
      readSummaries(deps.media, stages.summarize.summaries),
    ]);
    await ctx.progress(0.25);

    const chapters = buildChapters(timeline, script, summaries, notesPhrases(podcast.language));
    const nameOf = speakerNamer(podcast);
    const model = buildShowNotesModel({
      podcastTitle: podcast.title,
      episodeTitle: script.episodeTitle,
      date: episode.date,
      language: podcast.language,
      hostNames: podcast.hosts.map((host) => host.name),
      summaries,
      chapters,
    });

    const key = (file: string) => artifactKeys.stageFile(runId, 'notes', file);
    const manifest: NotesManifest = {
      htmlKey: key(NOTES_FILES.html),
      markdownKey: key(NOTES_FILES.markdown),
      chaptersKey: key(NOTES_FILES.chapters),
      transcriptKey: key(NOTES_FILES.transcript),
      descriptionKey: key(NOTES_FILES.description),
      chapters: chapters.length,
    };
    await Promise.all([
      putJson(deps.media, manifest.chaptersKey, toPodcastChapters(chapters)),
      deps.media.put(manifest.transcriptKey, renderWebVtt(timeline, nameOf), 'text/vtt; charset=utf-8'),
      deps.media.put(manifest.markdownKey, renderMarkdown(model), 'text/markdown; charset=utf-8'),
      deps.media.put(manifest.htmlKey, renderHtml(model), 'text/html; charset=utf-8'),
      deps.media.put(manifest.descriptionKey, renderDescription(model), 'text/plain; charset=utf-8'),
    ]);
    ctx.logger.info('show notes written', {
      runId,
      chapters: chapters.length,
      clips: timeline.length,
      stories: summaries.length,
    });
    return manifest;
  },
});
