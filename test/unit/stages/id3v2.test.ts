import {
  encodeFrame,
  encodeId3v2,
  FRONT_COVER,
  type Id3Frame,
  leadingId3v2Length,
  MAX_SYNCHSAFE,
  readSynchsafe,
  synchsafe,
  withId3v2,
} from '../../../stages/publish/id3v2';
import { FatalStageError } from '../../../stages/shared/errors';

interface RawFrame {
  id: string;
  size: number;
  flags: number;
  body: Buffer;
}

/** Walks frames the way a reader does (ID3v2.4: synchsafe frame sizes). */
function readFrames(data: Buffer): RawFrame[] {
  const frames: RawFrame[] = [];
  let at = 0;
  while (at + 10 <= data.length) {
    const id = data.toString('latin1', at, at + 4);
    const size = readSynchsafe(data, at + 4);
    frames.push({ id, size, flags: data.readUInt16BE(at + 8), body: data.subarray(at + 10, at + 10 + size) });
    at += 10 + size;
  }
  expect(at).toBe(data.length);
  return frames;
}

function readTag(tag: Buffer): { header: Buffer; size: number; frames: RawFrame[] } {
  const size = readSynchsafe(tag, 6);
  expect(tag.length).toBe(10 + size);
  return { header: tag.subarray(0, 6), size, frames: readFrames(tag.subarray(10)) };
}

/** Splits at the first NUL: [before, after]. */
function untilNul(data: Buffer): [Buffer, Buffer] {
  const end = data.indexOf(0);
  expect(end).toBeGreaterThanOrEqual(0);
  return [data.subarray(0, end), data.subarray(end + 1)];
}

describe('ID3v2.4 writer', () => {
  it('writes synchsafe integers: 7 bits a byte, top bits clear, up to 2^28 - 1', () => {
    expect([...synchsafe(0)]).toEqual([0, 0, 0, 0]);
    expect([...synchsafe(127)]).toEqual([0, 0, 0, 0x7f]);
    expect([...synchsafe(128)]).toEqual([0, 0, 1, 0]);
    expect([...synchsafe(255)]).toEqual([0, 0, 1, 0x7f]);
    expect([...synchsafe(0x1234567)]).toEqual([0x09, 0x0d, 0x0a, 0x67]);
    expect([...synchsafe(MAX_SYNCHSAFE)]).toEqual([0x7f, 0x7f, 0x7f, 0x7f]);
    for (const n of [0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, MAX_SYNCHSAFE])
      expect(readSynchsafe(synchsafe(n), 0)).toBe(n);
    expect(() => synchsafe(MAX_SYNCHSAFE + 1)).toThrow(FatalStageError);
    expect(() => synchsafe(-1)).toThrow('does not fit a synchsafe integer');
  });

  it('writes the header "ID3" v2.4.0, no flags, the synchsafe size of the frames', () => {
    const frames: Id3Frame[] = [
      { id: 'TIT2', text: 'A title' },
      { id: 'TALB', text: 'x'.repeat(300) },
    ];

    const tag = encodeId3v2(frames);

    const { header, size, frames: read } = readTag(tag);
    expect([...header]).toEqual([0x49, 0x44, 0x33, 4, 0, 0]);
    expect(size).toBe(tag.length - 10);
    expect(read.map((f) => [f.id, f.size, f.flags])).toEqual([
      ['TIT2', 8, 0],
      ['TALB', 301, 0],
    ]);
    // 301 = 0b10_0101101: as synchsafe 00 00 02 2d (a plain integer would be 00 00 01 2d).
    expect([...tag.subarray(10 + 18 + 4, 10 + 18 + 8)]).toEqual([0, 0, 2, 0x2d]);
    expect(encodeId3v2(frames).equals(tag)).toBe(true);
  });

  it('encodes text as UTF-8 with encoding byte 3 and drops NUL characters', () => {
    const [frame] = readFrames(encodeFrame({ id: 'TIT2', text: 'Café ☕ «Rust» & <Go>\0!' }));

    expect(frame?.body[0]).toBe(3);
    expect(frame?.body.subarray(1).toString('utf8')).toBe('Café ☕ «Rust» & <Go>!');
    expect(frame?.size).toBe(1 + Buffer.byteLength('Café ☕ «Rust» & <Go>!', 'utf8'));
  });

  it('lays out COMM, TXXX, WXXX and APIC', () => {
    const data = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]);
    const frames = readFrames(
      Buffer.concat([
        encodeFrame({ id: 'COMM', language: 'ENG', description: '', text: 'Notes: ünïcode' }),
        encodeFrame({ id: 'TXXX', description: 'guid', text: 'abc' }),
        encodeFrame({ id: 'WXXX', description: '', url: 'https://example.com/a?b=1' }),
        encodeFrame({
          id: 'APIC',
          mimeType: 'image/png',
          pictureType: FRONT_COVER,
          description: 'Cover',
          data,
        }),
      ])
    );

    const [comm, txxx, wxxx, apic] = frames;
    expect(comm?.body[0]).toBe(3);
    expect(comm?.body.toString('latin1', 1, 4)).toBe('eng');
    expect(untilNul(comm!.body.subarray(4))).toEqual([
      Buffer.alloc(0),
      Buffer.from('Notes: ünïcode', 'utf8'),
    ]);
    expect(txxx?.body.subarray(1)).toEqual(Buffer.from('guid\0abc', 'utf8'));
    expect(wxxx?.body).toEqual(Buffer.from('\x03\0https://example.com/a?b=1', 'latin1'));
    const [mime, rest] = untilNul(apic!.body.subarray(1));
    expect(apic?.body[0]).toBe(3);
    expect(mime.toString('latin1')).toBe('image/png');
    expect(rest[0]).toBe(3); // front cover
    expect(untilNul(rest.subarray(1))).toEqual([Buffer.from('Cover'), data]);
  });

  it('lays out CHAP (element ID, start/end ms, unused offsets, embedded frames) and a top-level ordered CTOC', () => {
    const chap = encodeFrame({
      id: 'CHAP',
      elementId: 'chp0',
      startMs: 4000,
      endMs: 61_250,
      frames: [
        { id: 'TIT2', text: 'Intro' },
        { id: 'WXXX', description: '', url: 'https://example.com/' },
      ],
    });
    const ctoc = encodeFrame({
      id: 'CTOC',
      elementId: 'toc',
      topLevel: true,
      ordered: true,
      childElementIds: ['chp0', 'chp1', 'chp2'],
      frames: [],
    });

    const [chapFrame] = readFrames(chap);
    const [id, times] = untilNul(chapFrame!.body);
    expect(id.toString('latin1')).toBe('chp0');
    expect(times.readUInt32BE(0)).toBe(4000);
    expect(times.readUInt32BE(4)).toBe(61_250);
    expect(times.readUInt32BE(8)).toBe(0xffffffff);
    expect(times.readUInt32BE(12)).toBe(0xffffffff);
    const embedded = readFrames(times.subarray(16));
    expect(embedded.map((f) => f.id)).toEqual(['TIT2', 'WXXX']);
    expect(embedded[0]?.body).toEqual(Buffer.from('\x03Intro', 'latin1'));

    const [ctocFrame] = readFrames(ctoc);
    expect(ctocFrame?.body).toEqual(Buffer.from('toc\0\x03\x03chp0\0chp1\0chp2\0', 'latin1'));
    const unordered = encodeFrame({
      id: 'CTOC',
      elementId: 'toc',
      topLevel: false,
      ordered: false,
      childElementIds: [],
      frames: [{ id: 'TIT2', text: 'All' }],
    });
    expect(readFrames(unordered)[0]?.body.subarray(0, 6)).toEqual(Buffer.from('toc\0\0\0', 'latin1'));
  });

  it('refuses what it cannot encode', () => {
    const chap = (startMs: number, endMs: number): Id3Frame => ({
      id: 'CHAP',
      elementId: 'chp0',
      startMs,
      endMs,
      frames: [],
    });

    expect(() => encodeFrame(chap(5000, 4000))).toThrow(/chapter chp0: bad times 5000..4000/);
    expect(() => encodeFrame(chap(-1, 4000))).toThrow(FatalStageError);
    expect(() => encodeFrame({ id: 'COMM', language: 'en', description: '', text: 'x' })).toThrow(
      'ISO-639-2'
    );
    expect(() => encodeFrame({ id: 'WXXX', description: '', url: 'https://exämple.com/' })).toThrow(
      'a URL must be printable ASCII'
    );
    expect(() =>
      encodeFrame({
        id: 'CTOC',
        elementId: 'toc',
        topLevel: true,
        ordered: true,
        childElementIds: Array.from({ length: 256 }, (_, i) => `c${i}`),
        frames: [],
      })
    ).toThrow('more than 255 entries');
    expect(() => encodeFrame({ id: 'TXYZ', text: 'x' } as unknown as Id3Frame)).toThrow(
      'frame TXYZ is not a frame this writer knows'
    );
  });

  it('replaces a leading tag and leaves audio that merely starts with "ID3" alone', () => {
    const audio = Buffer.from([0xff, 0xfb, 0x90, 0x64, 1, 2, 3]);
    const first = withId3v2(audio, [{ id: 'TIT2', text: 'one' }]);

    const second = withId3v2(first, [{ id: 'TIT2', text: 'two' }]);

    expect(leadingId3v2Length(first)).toBe(first.length - audio.length);
    expect(second.subarray(leadingId3v2Length(second))).toEqual(audio);
    expect(withId3v2(first, [{ id: 'TIT2', text: 'one' }])).toEqual(first);
    expect(readTag(second.subarray(0, leadingId3v2Length(second))).frames[0]?.body.toString('utf8', 1)).toBe(
      'two'
    );
    const fake = Buffer.from('ID3-fake-mp3-run-1');
    expect(leadingId3v2Length(fake)).toBe(0);
    expect(withId3v2(fake, []).subarray(10)).toEqual(fake);
    // An ID3v2.4 footer (flag 0x10) adds 10 bytes after the frames.
    const withFooter = Buffer.from([
      0x49, 0x44, 0x33, 4, 0, 0x10, 0, 0, 0, 2, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(leadingId3v2Length(withFooter)).toBe(22);
  });
});
