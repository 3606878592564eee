/**
 * Test-only preload for orchestrator processes: `node --import tsx --import <this file>
 * containers/orchestrator/main.ts ...`. It swaps the heavy offline providers (mespeak, ffmpeg,
 * the PNG renderer) for the quick ones in fault-injection-providers.ts by patching their
 * prototypes, and injects the stage faults named by TEST_FAULT_INJECTION. The production entry
 * point is untouched: nothing here is reachable without this preload on the command line.
 */
import { FfmpegMixer } from '../../stages/shared/adapters/audio/ffmpeg-mixer';
import { MespeakSpeech } from '../../stages/shared/adapters/offline/mespeak-speech';
import { PngArtworkRenderer } from '../../stages/shared/adapters/offline/png-artwork';
import { FAULT_ENV, injectStageFaults, parseFaultEnv } from './fault-injection';
import { quickArtwork, quickMixer, quickSpeech } from './fault-injection-providers';

MespeakSpeech.prototype.speak = quickSpeech.speak;
FfmpegMixer.prototype.mix = quickMixer.mix;
PngArtworkRenderer.prototype.render = quickArtwork.render;

injectStageFaults(parseFaultEnv(process.env[FAULT_ENV]));
