/** The mixer part: ffmpeg (FFMPEG_PATH, else the bundled static build). */
import { FfmpegMixer } from '../audio/ffmpeg-mixer';
import type { ProviderFactory } from '../provider-set';

export const mixerFromEnv: ProviderFactory = {
  kind: 'mixer',
  build: (env) => ({ mixer: new FfmpegMixer(env.FFMPEG_PATH ? { ffmpegPath: env.FFMPEG_PATH } : {}) }),
};
