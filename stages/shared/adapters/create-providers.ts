/**
 * The provider set for a process: offline providers by default; a podcast whose config asks for a
 * cloud provider gets it (Bedrock writer, Polly speech) when the composition root supplies one.
 */
import type { PodcastConfig } from '../config-schema';
import type { ProviderSet, SpeechSynthesizer, Writer } from '../providers';
import { castOf } from '../voice-cast';
import { speechChooser, writerChooser } from './provider-choice';
import { FfmpegMixer } from './audio/ffmpeg-mixer';
import type { FetchPolicy } from './fetch/fetch-policy';
import { UrlFetcher } from './fetch/url-fetcher';
import { ExtractiveWriter } from './offline/extractive-writer';
import { MespeakSpeech } from './offline/mespeak-speech';
import { PngArtworkRenderer } from './offline/png-artwork';

export interface CloudProviders {
  writer?: (podcast: PodcastConfig) => Writer;
  speech?: (podcast: PodcastConfig) => SpeechSynthesizer;
}

export interface ProviderOptions {
  ffmpegPath?: string;
  cloud?: CloudProviders;
  /** What fetches may reach. @default the strict policy (public http(s) only, no file:) */
  fetchPolicy?: FetchPolicy;
}

/** Every provider (the engine, the CLI, the ECS stage task, tests): offline ones plus the cloud ones given. */
export function createProviders(options: ProviderOptions = {}): ProviderSet {
  return {
    fetcher: new UrlFetcher(options.fetchPolicy ? { policy: options.fetchPolicy } : {}),
    mixer: new FfmpegMixer(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
    artwork: new PngArtworkRenderer(),
    writerFor: writerChooser(new ExtractiveWriter(), options.cloud?.writer),
    speechFor: speechChooser((podcast) => new MespeakSpeech(castOf(podcast)), options.cloud?.speech),
  };
}
