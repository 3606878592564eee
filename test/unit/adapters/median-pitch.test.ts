/**
 * The pitch estimator the voice tests rely on (test/helpers/median-pitch.ts), on signals whose
 * fundamental is known: pure tones, a voice-like tone whose second harmonic is stronger than its
 * fundamental (where plain autocorrelation reads an octave wrong), silence, noise, and a clip
 * that is half silence.
 */
import { pcmToWav } from '../../../stages/shared/adapters/audio/wav';
import { medianPitch } from '../../helpers/median-pitch';

const RATE = 22050;

/** A 16-bit mono WAV of `seconds` of `sample(t)` (t in seconds, values in -1..1). */
function wavOf(seconds: number, sample: (t: number) => number, rate = RATE): Buffer {
  const frames = Math.round(seconds * rate);
  const data = Buffer.alloc(frames * 2);
  for (let i = 0; i < frames; i++)
    data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, sample(i / rate))) * 32767), i * 2);
  return pcmToWav({ sampleRate: rate, channels: 1, bitsPerSample: 16 }, data);
}

const tone =
  (hz: number, level = 0.5) =>
  (t: number) =>
    level * Math.sin(2 * Math.PI * hz * t);

/** Deterministic noise (a linear congruential generator), so the test never flakes. */
function noise(): (t: number) => number {
  let state = 12345;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return (state / 2 ** 31) * 0.8 - 0.4;
  };
}

describe('medianPitch', () => {
  it.each([80, 110, 196, 262, 440])('finds the frequency of a %i Hz tone within 2%', (hz) => {
    const estimate = medianPitch(wavOf(1, tone(hz)));

    expect(Math.abs(estimate.medianHz - hz) / hz).toBeLessThan(0.02);
    expect(estimate.voicedFrames).toBe(estimate.frames);
  });

  it('reads the fundamental, not an octave, when the second harmonic is the loudest', () => {
    const voiceLike = (t: number) =>
      0.15 * Math.sin(2 * Math.PI * 120 * t) +
      0.35 * Math.sin(2 * Math.PI * 240 * t) +
      0.2 * Math.sin(2 * Math.PI * 360 * t);

    expect(medianPitch(wavOf(1, voiceLike)).medianHz).toBeCloseTo(120, -0.5);
  });

  it('works at other sample rates (Polly speaks at 16 kHz)', () => {
    expect(Math.abs(medianPitch(wavOf(1, tone(150), 16000)).medianHz - 150)).toBeLessThan(3);
  });

  it('finds no voiced frame in silence or in noise', () => {
    expect(medianPitch(wavOf(1, () => 0))).toMatchObject({ medianHz: 0, voicedFrames: 0 });
    expect(medianPitch(wavOf(1, noise())).voicedFrames).toBe(0);
  });

  it('takes the median over voiced frames only', () => {
    // 0.6 s of silence, then 0.4 s at 200 Hz, then 0.3 s at 100 Hz: the voiced frames are mostly 200 Hz.
    const clip = wavOf(1.3, (t) => (t < 0.6 ? 0 : t < 1 ? tone(200)(t) : tone(100)(t)));

    const estimate = medianPitch(clip);

    expect(estimate.voicedFrames).toBeLessThan(estimate.frames * 0.6);
    expect(Math.abs(estimate.medianHz - 200)).toBeLessThan(4);
  });
});
