/**
 * The published MP3's ID3v2.4 tag: episode title, hosts, show, date, episode number, genre
 * "Podcast", the description, the episode cover (described in the podcast's language,
 * tag-phrases.ts) and one CHAP frame per chapter (with a top-level CTOC) at the times of the
 * notes stage's chapters.json. Everything comes from the run's artifacts, the podcast config and
 * the episode record's number, never from the clock, so a rerun of publish writes the same bytes.
 */
import * as z from 'zod';
import type { PodcastConfig } from '../shared/config-schema';
import { FatalStageError } from '../shared/errors';
import { collapseWhitespace } from '../notes/text-format';
import type { EpisodeBodies, EpisodeSource, EpisodeSources } from './episode-assets';
import { FRONT_COVER, type Id3Frame, withId3v2 } from './id3v2';
import { tagPhrases } from './tag-phrases';

export interface TagChapter {
  title: string;
  startMs: number;
  endMs: number;
  url?: string;
}

export interface EpisodeTagParts {
  podcast: Pick<PodcastConfig, 'title' | 'author' | 'language' | 'hosts'>;
  title: string;
  /** yyyy-MM-dd, the episode date (ID3v2.4 TDRC). */
  date: string;
  episodeNumber: number;
  durationMs: number;
  /** The episode description (COMM). */
  summary?: string;
  cover?: { mimeType: string; data: Buffer };
  chapters: readonly TagChapter[];
}

/** ISO-639-1 (the config's language) to ISO-639-2 (COMM); anything else is "und". */
const ISO_639_2: Record<string, string> = {
  ...{ en: 'eng', de: 'deu', fr: 'fra', es: 'spa', it: 'ita', pt: 'por', nl: 'nld', sv: 'swe' },
  ...{ da: 'dan', no: 'nor', fi: 'fin', pl: 'pol', ja: 'jpn', zh: 'zho', ko: 'kor', ru: 'rus' },
};

export function id3Language(language: string): string {
  return ISO_639_2[language.slice(0, 2).toLowerCase()] ?? 'und';
}

/** Chapter IDs are element IDs inside the tag only: chp0, chp1, ... listed by the CTOC "toc". */
export function episodeTagFrames(parts: EpisodeTagParts): Id3Frame[] {
  const { podcast } = parts;
  const phrases = tagPhrases(podcast.language);
  const chapterIds = parts.chapters.map((_, i) => `chp${i}`);
  const frames: Id3Frame[] = [
    { id: 'TIT2', text: collapseWhitespace(parts.title) },
    { id: 'TPE1', text: podcast.hosts.map((h) => collapseWhitespace(h.name)).join(', ') },
    { id: 'TPE2', text: collapseWhitespace(podcast.author) },
    { id: 'TALB', text: collapseWhitespace(podcast.title) },
    { id: 'TRCK', text: String(parts.episodeNumber) },
    { id: 'TDRC', text: parts.date },
    { id: 'TCON', text: phrases.genre },
    { id: 'TLEN', text: String(Math.round(parts.durationMs)) },
  ];
  if (parts.summary?.trim())
    frames.push({
      id: 'COMM',
      language: id3Language(podcast.language),
      description: '',
      text: parts.summary.trim(),
    });
  if (parts.cover)
    frames.push({
      id: 'APIC',
      mimeType: parts.cover.mimeType,
      pictureType: FRONT_COVER,
      description: phrases.coverDescription,
      data: parts.cover.data,
    });
  if (parts.chapters.length > 0) {
    frames.push({
      id: 'CTOC',
      elementId: 'toc',
      topLevel: true,
      ordered: true,
      childElementIds: chapterIds,
      frames: [],
    });
    parts.chapters.forEach((chapter, i) => {
      const sub: Id3Frame[] = [{ id: 'TIT2', text: collapseWhitespace(chapter.title) }];
      if (chapter.url && /^https?:\/\/[\x21-\x7e]+$/.test(chapter.url))
        sub.push({ id: 'WXXX', description: '', url: chapter.url });
      frames.push({
        id: 'CHAP',
        elementId: chapterIds[i] ?? `chp${i}`,
        startMs: chapter.startMs,
        endMs: chapter.endMs,
        frames: sub,
      });
    });
  }
  return frames;
}

/** The Podcasting 2.0 chapters document the notes stage writes (only what the tag needs). */
const chaptersDocumentSchema = z.looseObject({
  chapters: z.array(
    z.looseObject({ startTime: z.number().nonnegative(), title: z.string(), url: z.string().optional() })
  ),
});

/** Chapters with end times: each ends where the next starts, the last at the end of the audio. */
export function chaptersWithEnds(document: unknown, durationMs: number): TagChapter[] {
  const parsed = chaptersDocumentSchema.safeParse(document);
  if (!parsed.success)
    throw new FatalStageError(`chapters.json is not a chapters document: ${parsed.error.message}`);
  const starts = parsed.data.chapters.map((c) => Math.round(c.startTime * 1000));
  return parsed.data.chapters.map((chapter, i) => {
    const startMs = starts[i] ?? 0;
    const endMs = starts[i + 1] ?? Math.round(durationMs);
    if (endMs < startMs || startMs > durationMs)
      throw new FatalStageError(
        `chapter ${i} ("${chapter.title}") starts at ${startMs} ms, after the next chapter ` +
          `or the end of the ${Math.round(durationMs)} ms episode`
      );
    return { title: chapter.title, startMs, endMs, ...(chapter.url ? { url: chapter.url } : {}) };
  });
}

function parseJson(body: Buffer, asset: EpisodeSource): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new FatalStageError(`the episode's ${asset.role} artifact ${asset.fromKey} is not JSON`, {
      cause: error,
    });
  }
}

/**
 * The mixed MP3 with the episode's tag in front (any tag it already had is replaced), from the
 * bodies publish read once: the mix, the chapters and the cover. Writes nothing.
 */
export function tagEpisodeMedia(
  bodies: EpisodeBodies,
  sources: EpisodeSources,
  parts: Omit<EpisodeTagParts, 'cover' | 'chapters'>
): Buffer {
  const chapters =
    sources.chapters && bodies.chapters
      ? chaptersWithEnds(parseJson(bodies.chapters, sources.chapters), parts.durationMs)
      : [];
  const cover =
    sources.cover && bodies.cover ? { mimeType: sources.cover.contentType, data: bodies.cover } : undefined;
  return withId3v2(bodies.media, episodeTagFrames({ ...parts, chapters, ...(cover ? { cover } : {}) }));
}
