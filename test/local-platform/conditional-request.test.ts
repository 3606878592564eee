import {
  type ConditionalHeaders,
  type ConditionalOutcome,
  evaluateConditionals,
  quoteEtag,
} from '../../local-platform/origin/conditional-request';

const lastModified = new Date('2024-05-01T10:00:00Z');
const validators = { etag: '"abc"', lastModified };
const before = new Date('2024-04-30T10:00:00Z').toUTCString();
const after = new Date('2024-05-02T10:00:00Z').toUTCString();

describe('evaluateConditionals', () => {
  const cases: Array<[string, ConditionalHeaders, ConditionalOutcome]> = [
    ['no conditionals', {}, 'proceed'],
    ['If-None-Match matching', { ifNoneMatch: '"abc"' }, 'not-modified'],
    ['If-None-Match weak form matches (weak comparison)', { ifNoneMatch: 'W/"abc"' }, 'not-modified'],
    ['If-None-Match in a list', { ifNoneMatch: '"x", "abc"' }, 'not-modified'],
    ['If-None-Match star', { ifNoneMatch: '*' }, 'not-modified'],
    ['If-None-Match other', { ifNoneMatch: '"xyz"' }, 'proceed'],
    ['If-Modified-Since at Last-Modified', { ifModifiedSince: lastModified.toUTCString() }, 'not-modified'],
    ['If-Modified-Since later', { ifModifiedSince: after }, 'not-modified'],
    ['If-Modified-Since earlier', { ifModifiedSince: before }, 'proceed'],
    ['If-Modified-Since not a date', { ifModifiedSince: 'soon' }, 'proceed'],
    [
      'If-None-Match wins over If-Modified-Since',
      { ifNoneMatch: '"xyz"', ifModifiedSince: after },
      'proceed',
    ],
    ['If-Match matching', { ifMatch: '"abc"' }, 'proceed'],
    ['If-Match star', { ifMatch: '*' }, 'proceed'],
    ['If-Match other', { ifMatch: '"xyz"' }, 'precondition-failed'],
    ['If-Match weak never matches', { ifMatch: 'W/"abc"' }, 'precondition-failed'],
    ['If-Unmodified-Since earlier', { ifUnmodifiedSince: before }, 'precondition-failed'],
    ['If-Unmodified-Since later', { ifUnmodifiedSince: after }, 'proceed'],
    ['If-Match wins over If-Unmodified-Since', { ifMatch: '"abc"', ifUnmodifiedSince: before }, 'proceed'],
  ];

  it.each(cases)('%s', (_description, headers, expected) => {
    expect(evaluateConditionals(headers, validators)).toBe(expected);
  });
});

describe('quoteEtag', () => {
  it.each([
    ['"abc"', '"abc"'],
    ['W/"abc"', 'W/"abc"'],
    ['abc', '"abc"'],
    ['', undefined],
    [undefined, undefined],
  ])('%j -> %j', (etag, expected) => {
    expect(quoteEtag(etag)).toBe(expected);
  });
});
