/**
 * The provider set for a process: offline providers by default; a podcast whose config asks for a
 * cloud provider gets it (Bedrock writer, Polly speech) when the composition root supplies one.
 */
import type { PodcastConfig } from '../config-schema';
import { ValidationError } from '../errors';
import type { ProviderSet, SpeechSynthesizer, Writer } from '../providers';
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

export function createProviders(options: ProviderOptions = {}): ProviderSet {
  const offlineWriter = new ExtractiveWriter();
  const offlineSpeech = new MespeakSpeech();
  return {
    fetcher: new UrlFetcher(options.fetchPolicy ? { policy: options.fetchPolicy } : {}),
    mixer: new FfmpegMixer(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
    artwork: new PngArtworkRenderer(),
    writerFor(podcast) {
      if (podcast.providers.writer === 'offline') return offlineWriter;
      if (!options.cloud?.writer) throw new ValidationError(`providers.writer: "${podcast.providers.writer}" is not available in this process`, 'providers.writer');
      return options.cloud.writer(podcast);
    },
    speechFor(podcast) {
      if (podcast.providers.speech === 'offline') return offlineSpeech;
      if (!options.cloud?.speech) throw new ValidationError(`providers.speech: "${podcast.providers.speech}" is not available in this process`, 'providers.speech');
      return options.cloud.speech(podcast);
    },
  };
}
