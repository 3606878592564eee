import {
  contentRange,
  decideRange,
  ifRangeAllows,
  rangeLength,
  type RangeDecision,
  s3Range,
  unsatisfiedContentRange,
} from '../../local-platform/origin/byte-range';

const full: RangeDecision = { kind: 'full' };
const unsatisfiable: RangeDecision = { kind: 'unsatisfiable' };
const partial = (start: number, end: number): RangeDecision => ({ kind: 'partial', range: { start, end } });

describe('decideRange', () => {
  const cases: Array<[string, string | undefined, number, RangeDecision]> = [
    // [description, Range header, object size, decision]
    ['no header', undefined, 1000, full],
    ['first two bytes', 'bytes=0-1', 1000, partial(0, 1)],
    ['one byte', 'bytes=0-0', 1000, partial(0, 0)],
    ['middle', 'bytes=100-199', 1000, partial(100, 199)],
    ['open end', 'bytes=100-', 1000, partial(100, 999)],
    ['last byte as open end', 'bytes=999-', 1000, partial(999, 999)],
    ['suffix', 'bytes=-500', 1000, partial(500, 999)],
    ['suffix of one', 'bytes=-1', 1000, partial(999, 999)],
    ['suffix longer than the object', 'bytes=-5000', 1000, partial(0, 999)],
    ['end clamped to the last byte', 'bytes=900-5000', 1000, partial(900, 999)],
    ['huge end clamped', 'bytes=0-99999999999999999999999', 1000, partial(0, 999)],
    ['whole object as a range', 'bytes=0-999', 1000, partial(0, 999)],
    ['unit is case-insensitive', 'Bytes=0-1', 1000, partial(0, 1)],
    ['whitespace around the spec', 'bytes= 0-1 ', 1000, partial(0, 1)],
    ['empty list elements ignored', 'bytes=0-1, ,', 1000, partial(0, 1)],
    ['start at the size', 'bytes=1000-', 1000, unsatisfiable],
    ['start past the size', 'bytes=2000-3000', 1000, unsatisfiable],
    ['huge start', 'bytes=99999999999999999999999-', 1000, unsatisfiable],
    ['zero suffix', 'bytes=-0', 1000, unsatisfiable],
    ['any range on an empty object', 'bytes=0-', 0, unsatisfiable],
    ['suffix on an empty object', 'bytes=-10', 0, unsatisfiable],
    ['zero suffix on an empty object', 'bytes=-0', 0, unsatisfiable],
    ['multiple ranges', 'bytes=0-1,5-6', 1000, full],
    ['multiple ranges, one unsatisfiable', 'bytes=0-1,5000-', 1000, full],
    ['end before start', 'bytes=5-1', 1000, full],
    ['unknown unit', 'items=0-1', 1000, full],
    ['no equals sign', 'bytes 0-1', 1000, full],
    ['no dash', 'bytes=5', 1000, full],
    ['only a dash', 'bytes=-', 1000, full],
    ['empty set', 'bytes=', 1000, full],
    ['negative start', 'bytes=--1', 1000, full],
    ['signed number', 'bytes=+1-2', 1000, full],
    ['decimal', 'bytes=1.5-2', 1000, full],
    ['hex', 'bytes=0x10-', 1000, full],
    ['space inside the spec', 'bytes=0 -1', 1000, full],
    ['letters', 'bytes=a-b', 1000, full],
    ['two dashes', 'bytes=1-2-3', 1000, full],
    ['oversized header', `bytes=0-1${','.repeat(2000)}`, 1000, full],
  ];

  it.each(cases)('%s: %j on %d bytes', (_description, header, size, expected) => {
    expect(decideRange(header, size)).toEqual(expected);
  });
});

describe('range headers', () => {
  it('spells Content-Range, the 416 form, the S3 Range and the length', () => {
    const range = { start: 500, end: 999 };
    expect(contentRange(range, 1000)).toBe('bytes 500-999/1000');
    expect(unsatisfiedContentRange(1000)).toBe('bytes */1000');
    expect(s3Range(range)).toBe('bytes=500-999');
    expect(rangeLength(range)).toBe(500);
    expect(rangeLength({ start: 0, end: 0 })).toBe(1);
  });
});

describe('ifRangeAllows', () => {
  const lastModified = new Date('2024-05-01T10:00:00Z');
  const current = { etag: '"abc"', lastModified };
  const cases: Array<[string, string | undefined, boolean]> = [
    ['no If-Range', undefined, true],
    ['matching ETag', '"abc"', true],
    ['matching ETag with whitespace', ' "abc" ', true],
    ['other ETag', '"xyz"', false],
    ['weak ETag never matches', 'W/"abc"', false],
    ['Last-Modified exactly', lastModified.toUTCString(), true],
    ['a later date', new Date('2024-05-02T10:00:00Z').toUTCString(), false],
    ['an earlier date', new Date('2024-04-30T10:00:00Z').toUTCString(), false],
    ['not a date', 'yesterday-ish', false],
  ];

  it.each(cases)('%s', (_description, ifRange, expected) => {
    expect(ifRangeAllows(ifRange, current)).toBe(expected);
  });

  it('is never satisfied by an entity-tag when the object has only a weak one or none', () => {
    expect(ifRangeAllows('"abc"', { etag: 'W/"abc"' })).toBe(false);
    expect(ifRangeAllows('"abc"', {})).toBe(false);
    expect(ifRangeAllows(lastModified.toUTCString(), { etag: '"abc"' })).toBe(false);
  });
});
