/**
 * artwork (optional): square cover art for the episode, drawn by the ArtworkRenderer with the
 * podcast's title, the episode's title as subtitle (or its date), and a seed of podcast id + date
 * so the same episode always gets the same image and each episode its own.
 */
import { artifactKeys } from '../shared/artifact-keys';
import { FatalStageError } from '../shared/errors';
import { finalScriptKey, loadRunPodcast } from '../shared/run-context';
import { defineStage } from '../shared/stage';
import { readFinalScript } from '../tts/final-script';
import { ARTWORK_SIZE, artworkInputSchema, artworkOutputSchema } from './schema';

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

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

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

/** Width and height from a PNG's IHDR chunk, or undefined when the body is not a PNG. */
export function pngDimensions(body: Buffer): { width: number; height: number } | undefined {
  const signature = '89504e470d0a1a0a';
  if (
    body.length < 24 ||
    body.subarray(0, 8).toString('hex') !== signature ||
    body.toString('ascii', 12, 16) !== 'IHDR'
  )
    return undefined;
  return { width: body.readUInt32BE(16), height: body.readUInt32BE(20) };
}

export const artworkStage = defineStage({
  id: 'artwork',
  inputSchema: artworkInputSchema,
  outputSchema: artworkOutputSchema,

  async run(input, ctx) {
    const { stages } = input;
    const { episode } = stages.prepare;
    const podcast = await loadRunPodcast(stages.prepare, ctx.deps);
    const script = await readFinalScript(ctx.deps.media, finalScriptKey(stages));
    const subtitle = subtitleFor(script.episodeTitle, podcast.title, episode.date);

    const rendered = await ctx.deps.providers.artwork.render({
      title: podcast.title,
      subtitle,
      seed: `${podcast.podcastId}/${episode.date}`,
      size: ARTWORK_SIZE,
    });
    if (rendered.body.length === 0) throw new FatalStageError('artwork renderer returned an empty image');
    const size = pngDimensions(rendered.body);
    if (rendered.contentType === 'image/png' && !size)
      throw new FatalStageError('artwork renderer returned image/png that is not a PNG');
    const width = size?.width ?? ARTWORK_SIZE;
    const height = size?.height ?? ARTWORK_SIZE;
    if (width !== height)
      throw new FatalStageError(`artwork must be square, the renderer drew ${width}x${height}`);

    const extension = EXTENSIONS[rendered.contentType] ?? 'img';
    const key = artifactKeys.stageFile(input.runId, 'artwork', `cover.${extension}`);
    await ctx.deps.media.put(key, rendered.body, rendered.contentType);
    ctx.logger.info('cover art rendered', { key, width, height, bytes: rendered.body.length });
    return { key, contentType: rendered.contentType, width, height, bytes: rendered.body.length };
  },
});
