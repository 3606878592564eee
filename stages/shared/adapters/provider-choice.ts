/**
 * Which writer or voice a podcast gets: the offline one, or the cloud one its config asks for when
 * this process has it (a clear ValidationError naming the field when it does not).
 */
import type { PodcastConfig } from '../config-schema';
import { ValidationError } from '../errors';
import type { ProviderSet, SpeechSynthesizer, Writer } from '../providers';

/** writerFor: the offline writer, or the cloud one a podcast asks for when this process has it. */
export function writerChooser(
  offline: Writer,
  cloud?: (podcast: PodcastConfig) => Writer
): ProviderSet['writerFor'] {
  return (podcast) => {
    if (podcast.providers.writer === 'offline') return offline;
    if (!cloud)
      throw new ValidationError(
        `providers.writer: "${podcast.providers.writer}" is not available in this process`,
        'providers.writer'
      );
    return cloud(podcast);
  };
}

/**
 * speechFor: the offline voices, or the cloud ones a podcast asks for when this process has them.
 * Both are made per podcast: a synthesizer speaks the podcast's language with its hosts' voices.
 */
export function speechChooser(
  offline: (podcast: PodcastConfig) => SpeechSynthesizer,
  cloud?: (podcast: PodcastConfig) => SpeechSynthesizer
): ProviderSet['speechFor'] {
  return (podcast) => {
    if (podcast.providers.speech === 'offline') return offline(podcast);
    if (!cloud)
      throw new ValidationError(
        `providers.speech: "${podcast.providers.speech}" is not available in this process`,
        'providers.speech'
      );
    return cloud(podcast);
  };
}
