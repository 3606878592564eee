/**
 * RIFF/WAVE helpers for PCM audio: read the header (format, data chunk), compute durations, make
 * silence and join clips of the same format. Only what the speech and mix adapters need: integer
 * PCM (format 1, or WAVE_FORMAT_EXTENSIBLE carrying PCM) and 32-bit float (format 3).
 */
import { FatalStageError } from '../../errors';

export interface WavInfo {
  /** 1 = integer PCM, 3 = IEEE float (WAVE_FORMAT_EXTENSIBLE is reported as its sub-format). */
  audioFormat: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Bytes per sample frame (all channels). */
  blockAlign: number;
  /** Byte offset of the PCM data in the file. */
  dataOffset: number;
  /** Byte length of the PCM data (clamped to what the buffer actually holds). */
  dataLength: number;
  /** Sample frames (one sample per channel each). */
  frames: number;
  durationMs: number;
}

export interface PcmFormat {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Some writers (and streaming encoders) leave the size fields at this placeholder. */
const UNKNOWN_SIZE = 0xffffffff;

function fail(what: string, reason: string): never {
  throw new FatalStageError(`${what}: not a usable WAV file (${reason})`);
}

/**
 * Parses the RIFF header; `what` names the clip in error messages. `totalLength` is the whole
 * file's size when `wav` holds only its first bytes (reading the header of a large file).
 */
export function parseWav(wav: Buffer, what = 'audio clip', totalLength = wav.length): WavInfo {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') {
    fail(what, 'missing RIFF/WAVE header');
  }
  let offset = 12;
  let format: Omit<WavInfo, 'dataOffset' | 'dataLength' | 'frames' | 'durationMs'> | undefined;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > wav.length) fail(what, 'fmt chunk too short');
      let audioFormat = wav.readUInt16LE(body);
      if (audioFormat === WAVE_FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= wav.length)
        audioFormat = wav.readUInt16LE(body + 24);
      format = {
        audioFormat,
        channels: wav.readUInt16LE(body + 2),
        sampleRate: wav.readUInt32LE(body + 4),
        blockAlign: wav.readUInt16LE(body + 12),
        bitsPerSample: wav.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) fail(what, 'data chunk before fmt chunk');
      if (format.audioFormat !== WAVE_FORMAT_PCM && format.audioFormat !== WAVE_FORMAT_FLOAT)
        fail(what, `unsupported audio format ${format.audioFormat}`);
      if (format.channels < 1 || format.sampleRate < 1 || format.blockAlign < 1)
        fail(what, 'invalid fmt values');
      const available = totalLength - body;
      const declared = size === UNKNOWN_SIZE ? available : size;
      const usable = Math.min(declared, available);
      const dataLength = usable - (usable % format.blockAlign);
      const frames = dataLength / format.blockAlign;
      return {
        ...format,
        dataOffset: body,
        dataLength,
        frames,
        durationMs: framesToMs(frames, format.sampleRate),
      };
    }
    if (size === UNKNOWN_SIZE) break;
    // Chunks are word-aligned: an odd-sized chunk is followed by one pad byte.
    offset = body + size + (size % 2);
  }
  return fail(what, format ? 'no data chunk' : 'no fmt chunk');
}

export function framesToMs(frames: number, sampleRate: number): number {
  return Math.round((frames * 1000) / sampleRate);
}

export function msToFrames(ms: number, sampleRate: number): number {
  return Math.round((ms * sampleRate) / 1000);
}

/** Duration of a WAV in ms, from its header and data length. */
export function wavDurationMs(wav: Buffer): number {
  return parseWav(wav).durationMs;
}

/** The PCM data bytes of a WAV (a view, not a copy). */
export function wavData(wav: Buffer, info: WavInfo = parseWav(wav)): Buffer {
  return wav.subarray(info.dataOffset, info.dataOffset + info.dataLength);
}

/** A canonical 44-byte header for integer PCM data of `dataLength` bytes. */
export function wavHeader(format: PcmFormat, dataLength: number): Buffer {
  const blockAlign = format.channels * (format.bitsPerSample / 8);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataLength, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  header.writeUInt16LE(format.channels, 22);
  header.writeUInt32LE(format.sampleRate, 24);
  header.writeUInt32LE(format.sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(format.bitsPerSample, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataLength, 40);
  return header;
}

/** Builds a WAV from integer PCM bytes. */
export function pcmToWav(format: PcmFormat, data: Buffer): Buffer {
  return Buffer.concat([wavHeader(format, data.length), data]);
}

/** A silent integer-PCM WAV of `durationMs` (16-bit mono 22.05 kHz unless told otherwise). */
export function makeSilentWav(durationMs: number, format: Partial<PcmFormat> = {}): Buffer {
  const full: PcmFormat = { sampleRate: 22050, channels: 1, bitsPerSample: 16, ...format };
  if (!Number.isFinite(durationMs) || durationMs < 0)
    throw new RangeError(`durationMs must be >= 0, got ${durationMs}`);
  if (full.bitsPerSample % 8 !== 0)
    throw new RangeError(`bitsPerSample must be a multiple of 8, got ${full.bitsPerSample}`);
  const frames = msToFrames(durationMs, full.sampleRate);
  const blockAlign = full.channels * (full.bitsPerSample / 8);
  // 8-bit PCM is unsigned: its silence is 0x80, not 0.
  const data = Buffer.alloc(frames * blockAlign, full.bitsPerSample === 8 ? 0x80 : 0);
  return pcmToWav(full, data);
}

/** Joins WAVs of one integer-PCM format into a single WAV (e.g. the chunks of a long text). */
export function joinWavs(wavs: readonly Buffer[], what = 'audio clip'): Buffer {
  const first = wavs[0];
  if (!first) throw new RangeError('joinWavs needs at least one WAV');
  const head = parseWav(first, `${what} part 1`);
  if (head.audioFormat !== WAVE_FORMAT_PCM) fail(what, 'only integer PCM can be joined');
  const parts = wavs.map((wav, i) => {
    const info = i === 0 ? head : parseWav(wav, `${what} part ${i + 1}`);
    const same = info.audioFormat === head.audioFormat && info.sampleRate === head.sampleRate;
    if (!same || info.channels !== head.channels || info.bitsPerSample !== head.bitsPerSample) {
      fail(what, `part ${i + 1} is ${describeFormat(info)}, part 1 is ${describeFormat(head)}`);
    }
    return wavData(wav, info);
  });
  return pcmToWav(head, Buffer.concat(parts));
}

export function describeFormat(info: PcmFormat): string {
  return `${info.sampleRate} Hz, ${info.channels} ch, ${info.bitsPerSample}-bit`;
}

/** Peak absolute sample value of 16-bit PCM, 0..1 (0 for silence). */
export function peakLevel16(wav: Buffer): number {
  const info = parseWav(wav);
  if (info.audioFormat !== WAVE_FORMAT_PCM || info.bitsPerSample !== 16)
    fail('audio clip', 'peak level needs 16-bit PCM');
  const data = wavData(wav, info);
  let peak = 0;
  for (let i = 0; i + 1 < data.length; i += 2) {
    const sample = data.readInt16LE(i);
    const magnitude = sample < 0 ? -sample : sample;
    if (magnitude > peak) peak = magnitude;
  }
  return peak / 32768;
}
