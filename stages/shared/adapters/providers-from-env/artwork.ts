/** The artwork part: the PNG cover renderer. */
import { PngArtworkRenderer } from '../offline/png-artwork';
import type { ProviderFactory } from '../provider-set';

export const artworkFromEnv: ProviderFactory = {
  kind: 'artwork',
  build: () => ({ artwork: new PngArtworkRenderer() }),
};
