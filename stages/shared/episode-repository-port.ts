/** The episodes port: published episodes by podcast and date (ports.ts re-exports it). */

export interface EpisodeRecord {
  podcastId: string;
  episodeId: string;
  guid: string;
  runId: string;
  title: string;
  description: string;
  publishedAt: string;
  durationSeconds: number;
  /**
   * The podcast's episode number (the MP3's ID3 TRCK): one more than the highest number, or the
   * count, of the podcast's episodes published before this one. Absent on older records.
   */
  episodeNumber?: number;
  /**
   * `bytes` is the published (tagged) file's size: the feed's enclosure length. Every URL here
   * is the one the feed announces: since versioned keys, the episode's files are under
   * `podcasts/<podcastId>/episodes/<episodeId>/<version>/` (immutable, so this record's version is
   * what is served); older records point at `episodes/<episodeId>/<file>`.
   */
  media: { url: string; key: string; bytes: number; type: string };
  imageUrl: string;
  chaptersUrl?: string;
  transcriptUrl?: string;
  /**
   * The episode's show notes page (the feed item's link), when the notes stage ran. Absent on
   * records written before episode files were versioned: their page is `notes.html` beside the MP3.
   */
  notesUrl?: string;
  notesHtml: string;
  /**
   * The stories the episode covered (stages/shared/story-memory.ts): discover leaves them out of
   * later episodes unless their source marks them updated. Absent on records written before.
   */
  stories?: CoveredStory[];
}

/** A story an episode covered, as kept on its record: bounded (story-memory.ts). */
export interface CoveredStory {
  /** The canonical link (normalised: no fragment or tracking parameters). */
  url: string;
  /** The title normalised (case, punctuation, whitespace and diacritics folded). */
  title: string;
}

/** What discover needs of an earlier episode: its id, when it was published, what it covered. */
export interface EpisodeCoverage {
  episodeId: string;
  publishedAt: string;
  stories: CoveredStory[];
}

export interface EpisodeRepository {
  /** Conditional put: returns 'exists' (and writes nothing) when the episode is already there. */
  putOnce(episode: EpisodeRecord): Promise<'created' | 'exists'>;
  /**
   * Replaces the record with a new version of the same episode by the same run (a re-render after
   * an edit): conditional on the stored record still being that run's and pointing at
   * `previousMediaKey`, so of two concurrent re-renders only one wins. False when it failed.
   */
  replaceVersion(episode: EpisodeRecord, previousMediaKey: string): Promise<boolean>;
  get(podcastId: string, episodeId: string): Promise<EpisodeRecord | undefined>;
  listByPodcast(podcastId: string): Promise<EpisodeRecord[]>;
  /**
   * The stories of the podcast's episodes whose id (the date) sorts before `beforeEpisodeId`,
   * oldest first: one Query reading only what story memory needs. A record without stories
   * (written before they were kept) covers none; malformed ones are an error naming the record.
   */
  listCoverage(podcastId: string, beforeEpisodeId: string): Promise<EpisodeCoverage[]>;
}
