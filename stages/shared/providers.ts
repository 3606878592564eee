/** Ports for the work inside stages: fetching, writing, speaking, mixing, drawing. */
import type { PodcastConfig, Host } from './config-schema';
import type { Outline, Script, ScrapedStory, StorySummary } from './content-types';

export interface FetchedDocument {
  url: string;
  body: Buffer;
  contentType?: string;
}

/** What a fetch is for: a source feed (RSS/Atom), a story page (HTML/text) or cover art (PNG/JPEG). */
export interface FetchRequest {
  kind: 'feed' | 'page' | 'image';
  /** Aborts the fetch (the unit's timeout, a stop signal). */
  signal?: AbortSignal;
}

/**
 * Reads untrusted content under the fetch policy (DESIGN rule 8). Throws FatalStageError for a
 * missing, refused or wrong-typed resource, RetryableStageError for transient faults.
 */
export interface Fetcher {
  fetch(url: string, request: FetchRequest): Promise<FetchedDocument>;
  /** Whether `file:` URLs are read at all (only the embedded local mode, for configs loaded from a file). */
  readonly readsLocalFiles: boolean;
}

/** Usage a provider reports for one call, recorded on the run (cloud providers). */
export interface ProviderUsage {
  provider: string;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  characters?: number;
}

export interface WriterContext {
  podcast: PodcastConfig;
  episodeDate: string;
  onUsage?: (usage: ProviderUsage) => void;
  /** Aborts the provider's calls (the unit's timeout, a stop signal); cloud providers hand it to the SDK. */
  signal?: AbortSignal;
  /**
   * How many stories the episode can draw on (summarize: the scraped ones): fewer than the
   * podcast's maxStories means each is told at more length to fill targetMinutes.
   */
  storiesFound?: number;
}

export interface Writer {
  readonly name: string;
  summarize(story: ScrapedStory, ctx: WriterContext): Promise<StorySummary>;
  outline(
    summaries: StorySummary[],
    ctx: WriterContext & { targetWords: number; title?: string }
  ): Promise<Outline>;
  script(outline: Outline, summaries: StorySummary[], ctx: WriterContext): Promise<Script>;
}

export interface SpokenClip {
  /** RIFF/WAVE PCM bytes. */
  wav: Buffer;
  sampleRate: number;
  durationMs: number;
}

export interface SpeechSynthesizer {
  readonly name: string;
  /** `signal` aborts the provider's calls (the unit's timeout, a stop signal). */
  speak(
    text: string,
    host: Host,
    options?: { onUsage?: (usage: ProviderUsage) => void; signal?: AbortSignal }
  ): Promise<SpokenClip>;
}

export interface MixClip {
  wav: Buffer;
  /** Silence after this clip, in ms. */
  pauseAfterMs: number;
}

export interface MixResult {
  mp3: Buffer;
  durationMs: number;
  /**
   * Measured on the encoded MP3 itself (EBU R128, dual-mono for a mono file: what a listener
   * hears on two speakers); the release gate holds it to -16 ± 1 LUFS and a -1 dBTP true peak.
   */
  loudness: { integratedLufs: number; truePeakDbtp: number };
  /** Start offset of each clip in the final audio (after the intro bed). */
  clipStartsMs: number[];
  clipDurationsMs: number[];
}

export interface AudioMixer {
  /**
   * Concatenate clips with pauses and an intro/outro bed, normalise to -16 LUFS, encode MP3 mono
   * 96 kbps 44.1 kHz, untagged (publish writes the ID3 tag).
   */
  mix(
    clips: MixClip[],
    options: { introMs: number; outroMs: number; workDir?: string; signal?: AbortSignal }
  ): Promise<MixResult>;
}

export interface ArtworkRenderer {
  /** A square cover image (an episode's, or the show's own): PNG or JPEG, RGB without alpha. */
  render(options: {
    title: string;
    subtitle: string;
    seed: string;
    size: number;
  }): Promise<{ body: Buffer; contentType: string }>;
}

/** Chooses providers per podcast (offline by default; cloud when the podcast's config asks). */
export interface ProviderSet {
  fetcher: Fetcher;
  writerFor(podcast: PodcastConfig): Writer;
  speechFor(podcast: PodcastConfig): SpeechSynthesizer;
  mixer: AudioMixer;
  artwork: ArtworkRenderer;
}
