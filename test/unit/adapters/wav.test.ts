import { FatalStageError } from '../../../stages/shared/errors';
import {
  joinWavs,
  makeSilentWav,
  parseWav,
  pcmToWav,
  peakLevel16,
  wavData,
  wavDurationMs,
  wavHeader,
} from '../../../stages/shared/adapters/audio/wav';

/** A 16-bit mono tone: `frames` samples of a 440 Hz sine at half scale. */
function tone(frames: number, sampleRate = 22050): Buffer {
  const data = Buffer.alloc(frames * 2);
  for (let i = 0; i < frames; i++)
    data.writeInt16LE(Math.round(16384 * Math.sin((2 * Math.PI * 440 * i) / sampleRate)), i * 2);
  return pcmToWav({ sampleRate, channels: 1, bitsPerSample: 16 }, data);
}

/** A WAV with a LIST chunk of odd size (so a pad byte) between fmt and data, as ffmpeg writes. */
function withListChunk(wav: Buffer): Buffer {
  const list = Buffer.concat([
    Buffer.from('LIST', 'ascii'),
    Buffer.alloc(4),
    Buffer.from('INFOISFT', 'ascii'),
    Buffer.from('abc', 'ascii'),
    Buffer.alloc(1),
  ]);
  list.writeUInt32LE(11, 4);
  return Buffer.concat([wav.subarray(0, 36), list, wav.subarray(36)]);
}

describe('parseWav', () => {
  it('reads the format, the data chunk and the duration of a canonical header', () => {
    // Prepare
    const wav = tone(22050);

    // Act
    const info = parseWav(wav);

    // Assess
    expect(info).toEqual({
      audioFormat: 1,
      sampleRate: 22050,
      channels: 1,
      bitsPerSample: 16,
      blockAlign: 2,
      dataOffset: 44,
      dataLength: 44100,
      frames: 22050,
      durationMs: 1000,
    });
    expect(wavDurationMs(wav)).toBe(1000);
  });

  it('skips other chunks, honouring the pad byte after an odd-sized chunk', () => {
    const wav = withListChunk(tone(11025));

    const info = parseWav(wav);

    expect(info.dataOffset).toBe(44 + 20);
    expect(info.frames).toBe(11025);
    expect(wavData(wav, info).equals(wavData(tone(11025)))).toBe(true);
  });

  it('reports WAVE_FORMAT_EXTENSIBLE float as its sub-format', () => {
    const header = Buffer.alloc(68);
    header.write('RIFF', 0, 'ascii');
    header.write('WAVE', 8, 'ascii');
    header.write('fmt ', 12, 'ascii');
    header.writeUInt32LE(40, 16);
    header.writeUInt16LE(0xfffe, 20);
    header.writeUInt16LE(2, 22);
    header.writeUInt32LE(48000, 24);
    header.writeUInt16LE(8, 32);
    header.writeUInt16LE(32, 34);
    header.writeUInt16LE(3, 44);
    header.write('data', 60, 'ascii');
    header.writeUInt32LE(48000 * 8, 64);
    const wav = Buffer.concat([header, Buffer.alloc(48000 * 8)]);

    const info = parseWav(wav);

    expect(info).toMatchObject({
      audioFormat: 3,
      channels: 2,
      sampleRate: 48000,
      frames: 48000,
      durationMs: 1000,
    });
  });

  it('clamps a data size that claims more than the file holds, or the 0xFFFFFFFF placeholder', () => {
    const truncated = tone(1000).subarray(0, 44 + 501);
    const streaming = tone(1000);
    streaming.writeUInt32LE(0xffffffff, 40);

    expect(parseWav(truncated).frames).toBe(250);
    expect(parseWav(streaming).frames).toBe(1000);
    expect(parseWav(tone(1000).subarray(0, 44), 'premix', 44 + 2000).frames).toBe(1000);
  });

  it('rejects what is not a usable WAV with a FatalStageError naming the clip', () => {
    const mp3ish = Buffer.from('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000 not audio');
    const alaw = tone(10);
    alaw.writeUInt16LE(6, 20);

    expect(() => parseWav(mp3ish, 'clip 3')).toThrow(FatalStageError);
    expect(() => parseWav(mp3ish, 'clip 3')).toThrow(
      'clip 3: not a usable WAV file (missing RIFF/WAVE header)'
    );
    expect(() => parseWav(alaw)).toThrow('unsupported audio format 6');
    expect(() => parseWav(tone(10).subarray(0, 36))).toThrow('no data chunk');
  });
});

describe('makeSilentWav', () => {
  it('makes exact-length silence in the requested format', () => {
    const wav = makeSilentWav(350, { sampleRate: 44100, channels: 2 });
    const info = parseWav(wav);

    expect(info).toMatchObject({
      sampleRate: 44100,
      channels: 2,
      bitsPerSample: 16,
      frames: 15435,
      durationMs: 350,
    });
    expect(wavData(wav).every((byte) => byte === 0)).toBe(true);
    expect(peakLevel16(wav)).toBe(0);
  });

  it('uses 0x80 as the silence of unsigned 8-bit PCM and rejects negative durations', () => {
    const wav = makeSilentWav(10, { bitsPerSample: 8 });

    expect(wavData(wav).every((byte) => byte === 0x80)).toBe(true);
    expect(() => makeSilentWav(-1)).toThrow(RangeError);
  });
});

describe('joinWavs', () => {
  it('concatenates the PCM of same-format clips', () => {
    const a = tone(1000);
    const b = makeSilentWav(100);

    const joined = joinWavs([a, b]);

    expect(parseWav(joined).frames).toBe(1000 + 2205);
    expect(wavData(joined).equals(Buffer.concat([wavData(a), wavData(b)]))).toBe(true);
    expect(
      joined
        .subarray(0, 44)
        .equals(wavHeader({ sampleRate: 22050, channels: 1, bitsPerSample: 16 }, (1000 + 2205) * 2))
    ).toBe(true);
  });

  it('refuses clips of different formats, naming both', () => {
    expect(() => joinWavs([tone(10), tone(10, 16000)], 'speech')).toThrow(
      'speech: not a usable WAV file (part 2 is 16000 Hz, 1 ch, 16-bit, part 1 is 22050 Hz, 1 ch, 16-bit)'
    );
    expect(() => joinWavs([])).toThrow(RangeError);
  });

  it('measures the peak of 16-bit audio', () => {
    expect(peakLevel16(tone(2205))).toBeCloseTo(0.5, 2);
  });
});
