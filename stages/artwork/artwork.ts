/**
 * artwork (optional): square cover art for the episode, drawn by the ArtworkRenderer with the
 * podcast's title, the episode's title as subtitle (or its date), and a seed of podcast id + date
 * so the same episode always gets the same image and each episode its own. It also makes sure the
 * show has its own cover (show-cover.ts): the config's artwork, or one drawn from the show's title
 * and author, written under a public key of its own when missing. Both meet Apple's rules
 * (cover-image.ts): PNG or JPEG, square, 1400-3000 px, RGB without alpha.
 */
import { artifactKeys } from '../shared/artifact-keys';
import { finalScriptKey, loadRunPodcast } from '../shared/run-context';
import { defineStage } from '../shared/stage';
import { readFinalScript } from '../tts/final-script';
import { ARTWORK_SIZE, artworkInputSchema, artworkOutputSchema } from './schema';
import { checkRendered, ensureShowCover } from './show-cover';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const EXTENSIONS = { 'image/png': 'png', 'image/jpeg': 'jpg' } as const;

/** "2026-11-23" -> "23 November 2026" (fixed English, independent of the process locale). */
export function formatEpisodeDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  if (!match || !month) return date;
  return `${Number(match[3])} ${month} ${match[1]}`;
}

/**
 * The cover's second line: the episode's title, or its date when the writer fell back to the
 * podcast's own title (the cover already shows that).
 */
export function subtitleFor(episodeTitle: string, podcastTitle: string, date: string): string {
  const title = episodeTitle.trim();
  const same = title.localeCompare(podcastTitle.trim(), 'en', { sensitivity: 'base' }) === 0;
  return title && !same ? title : formatEpisodeDate(date);
}

export const artworkStage = defineStage({
  id: 'artwork',
  inputSchema: artworkInputSchema,
  outputSchema: artworkOutputSchema,
  /** The show cover this checkpoint stands for must still be there (a deleted one is written again). */
  async verifyCheckpoint(output, _input, deps) {
    if (!('showCover' in output) || !output.showCover) return undefined;
    return (await deps.media.exists(output.showCover.key))
      ? undefined
      : `the show cover ${output.showCover.key} is missing`;
  },

  async run(input, ctx) {
    const { stages } = input;
    const { episode } = stages.prepare;
    const podcast = await loadRunPodcast(stages.prepare, ctx.deps);
    const script = await readFinalScript(ctx.deps.media, finalScriptKey(stages));
    const subtitle = subtitleFor(script.episodeTitle, podcast.title, episode.date);
    const renderer = ctx.deps.providers.artwork;

    const rendered = await renderer.render({
      title: podcast.title,
      subtitle,
      seed: `${podcast.podcastId}/${episode.date}`,
      size: ARTWORK_SIZE,
    });
    const { width, height, contentType } = checkRendered(rendered, 'episode cover');
    const key = artifactKeys.stageFile(input.runId, 'artwork', `cover.${EXTENSIONS[contentType]}`);
    await ctx.deps.media.put(key, rendered.body, contentType);
    ctx.logger.info('cover art rendered', { key, width, height, bytes: rendered.body.length });
    await ctx.progress(0.5);

    const showCover = await ensureShowCover(podcast, {
      media: ctx.deps.media,
      providers: ctx.deps.providers,
      logger: ctx.logger,
      signal: ctx.signal,
    });
    return { key, contentType, width, height, bytes: rendered.body.length, showCover };
  },
});
