/**
 * A pure ID3v2.4 tag writer (https://id3.org/id3v2.4.0-structure, -frames) with the ID3v2
 * Chapter Frame Addendum (https://id3.org/id3v2-chapters-1.0): text frames, TXXX, COMM, WXXX,
 * APIC, CHAP and CTOC. Sizes are synchsafe (7 bits a byte), text is UTF-8 (encoding byte 3), no
 * unsynchronisation, no extended header, no padding: the same frames always give the same bytes.
 */
import { FatalStageError } from '../shared/errors';

/** The ID3v2 text encoding byte for UTF-8. */
export const UTF8 = 3;
/** The largest size a 4-byte synchsafe integer holds (256 MiB - 1). */
export const MAX_SYNCHSAFE = 0x0fffffff;
/** APIC picture type 3: "Cover (front)". */
export const FRONT_COVER = 3;
/** CHAP start/end byte offsets when unused: players seek by time. */
const NO_OFFSET = 0xffffffff;

/** The text frames this writer emits (ID3v2.4 4.2): one UTF-8 string each. */
export const TEXT_FRAME_IDS = [
  'TIT2', // title
  'TIT3', // subtitle
  'TPE1', // lead performer(s)
  'TPE2', // band / album artist
  'TALB', // album
  'TDRC', // recording time (yyyy-MM-dd)
  'TRCK', // track number
  'TCON', // content type
  'TLEN', // length in ms
  'TLAN', // language (ISO-639-2)
  'TPUB', // publisher
] as const;
export type TextFrameId = (typeof TEXT_FRAME_IDS)[number];

export type Id3Frame =
  | { id: TextFrameId; text: string }
  | { id: 'TXXX'; description: string; text: string }
  | { id: 'COMM'; language: string; description: string; text: string }
  | { id: 'WXXX'; description: string; url: string }
  | { id: 'APIC'; mimeType: string; pictureType: number; description: string; data: Buffer }
  | { id: 'CHAP'; elementId: string; startMs: number; endMs: number; frames: readonly Id3Frame[] }
  | {
      id: 'CTOC';
      elementId: string;
      topLevel: boolean;
      ordered: boolean;
      childElementIds: readonly string[];
      frames: readonly Id3Frame[];
    };

/** What cannot be encoded will not encode on a retry either. */
function refuse(message: string): never {
  throw new FatalStageError(`ID3 tag: ${message}`);
}

/** `value` as a 4-byte synchsafe integer: 28 bits, the top bit of every byte clear. */
export function synchsafe(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > MAX_SYNCHSAFE)
    refuse(`${value} does not fit a synchsafe integer (0..${MAX_SYNCHSAFE})`);
  return Buffer.from([(value >>> 21) & 0x7f, (value >>> 14) & 0x7f, (value >>> 7) & 0x7f, value & 0x7f]);
}

export function readSynchsafe(buffer: Buffer, offset: number): number {
  let value = 0;
  for (let i = 0; i < 4; i++) value = (value << 7) | ((buffer[offset + i] ?? 0) & 0x7f);
  return value;
}

/** A UTF-8 string without NUL (a NUL would end the string early in every reader). */
function utf8(text: string): Buffer {
  return Buffer.from(text.replace(/\0/g, ''), 'utf8');
}

/** ISO-8859-1 strings (MIME types, element IDs, URLs) are kept to printable ASCII. */
function latin1(text: string, what: string): Buffer {
  if (!/^[\x20-\x7e]*$/.test(text)) refuse(`${what} must be printable ASCII: ${text}`);
  return Buffer.from(text, 'latin1');
}

const NUL = Buffer.from([0]);

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

function frameBody(frame: Id3Frame): Buffer {
  switch (frame.id) {
    case 'TXXX':
      return Buffer.concat([Buffer.from([UTF8]), utf8(frame.description), NUL, utf8(frame.text)]);
    case 'COMM': {
      if (!/^[a-zA-Z]{3}$/.test(frame.language))
        refuse(`COMM language must be an ISO-639-2 code, not "${frame.language}"`);
      return Buffer.concat([
        Buffer.from([UTF8]),
        Buffer.from(frame.language.toLowerCase(), 'latin1'),
        utf8(frame.description),
        NUL,
        utf8(frame.text),
      ]);
    }
    case 'WXXX':
      return Buffer.concat([Buffer.from([UTF8]), utf8(frame.description), NUL, latin1(frame.url, 'a URL')]);
    case 'APIC':
      return Buffer.concat([
        Buffer.from([UTF8]),
        latin1(frame.mimeType, 'a MIME type'),
        NUL,
        Buffer.from([frame.pictureType & 0xff]),
        utf8(frame.description),
        NUL,
        frame.data,
      ]);
    case 'CHAP':
      if (!(frame.startMs >= 0 && frame.endMs >= frame.startMs && frame.endMs <= 0xffffffff))
        refuse(`chapter ${frame.elementId}: bad times ${frame.startMs}..${frame.endMs}`);
      return Buffer.concat([
        elementId(frame.elementId),
        uint32(Math.round(frame.startMs)),
        uint32(Math.round(frame.endMs)),
        uint32(NO_OFFSET),
        uint32(NO_OFFSET),
        ...frame.frames.map(encodeFrame),
      ]);
    case 'CTOC': {
      if (frame.childElementIds.length > 255)
        refuse(`table of contents ${frame.elementId}: more than 255 entries`);
      const flags = (frame.topLevel ? 0b10 : 0) | (frame.ordered ? 0b01 : 0);
      return Buffer.concat([
        elementId(frame.elementId),
        Buffer.from([flags, frame.childElementIds.length]),
        ...frame.childElementIds.map(elementId),
        ...frame.frames.map(encodeFrame),
      ]);
    }
    default:
      if (!(TEXT_FRAME_IDS as readonly string[]).includes(frame.id))
        refuse(`frame ${frame.id} is not a frame this writer knows`);
      return Buffer.concat([Buffer.from([UTF8]), utf8(frame.text)]);
  }
}

/** A CHAP/CTOC element ID: a NUL-terminated ASCII string. */
function elementId(id: string): Buffer {
  if (id.length === 0) refuse('an element ID cannot be empty');
  return Buffer.concat([latin1(id, 'an element ID'), NUL]);
}

/** One frame: 4-character ID, synchsafe body size, two zero flag bytes, the body. */
export function encodeFrame(frame: Id3Frame): Buffer {
  if (!/^[A-Z][A-Z0-9]{3}$/.test(frame.id)) refuse(`bad frame ID "${frame.id}"`);
  const body = frameBody(frame);
  return Buffer.concat([Buffer.from(frame.id, 'latin1'), synchsafe(body.length), Buffer.from([0, 0]), body]);
}

/** A whole ID3v2.4.0 tag: the 10-byte header ("ID3", 4, 0, flags 0, synchsafe size) and the frames. */
export function encodeId3v2(frames: readonly Id3Frame[]): Buffer {
  const body = Buffer.concat(frames.map(encodeFrame));
  return Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0]), synchsafe(body.length), body]);
}

/** Bytes taken by an ID3v2 tag at the start of `file` (header, frames, padding, footer); 0 without one. */
export function leadingId3v2Length(file: Buffer): number {
  if (file.length < 10 || file.toString('latin1', 0, 3) !== 'ID3') return 0;
  const major = file[3] ?? 0;
  const revision = file[4] ?? 0;
  const flags = file[5] ?? 0;
  const sizeBytes = [file[6], file[7], file[8], file[9]];
  // Not a tag unless the header is well formed (an audio file may start with the letters "ID3").
  if (major < 2 || major > 4 || revision === 0xff || sizeBytes.some((b) => (b ?? 0) >= 0x80)) return 0;
  const footer = major === 4 && (flags & 0x10) !== 0 ? 10 : 0;
  return Math.min(file.length, 10 + readSynchsafe(file, 6) + footer);
}

/** The file with its leading ID3v2 tag (if any) replaced by one holding `frames`. */
export function withId3v2(file: Buffer, frames: readonly Id3Frame[]): Buffer {
  return Buffer.concat([encodeId3v2(frames), file.subarray(leadingId3v2Length(file))]);
}
