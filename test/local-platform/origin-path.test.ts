import {
  isUnderPathPrefix,
  normalizePathPrefix,
  resolveOriginPath,
} from '../../local-platform/origin/origin-path';

describe('resolveOriginPath', () => {
  const served: Array<[string, 'media' | 'rss', string]> = [
    ['/_origin/podcasts/tech-weekly/feed.xml', 'rss', 'podcasts/tech-weekly/feed.xml'],
    ['/_origin/podcasts/tech-weekly/feed.xml?utm=x', 'rss', 'podcasts/tech-weekly/feed.xml'],
    ['/_origin/podcasts/tech-weekly/cover.png', 'media', 'podcasts/tech-weekly/cover.png'],
    [
      '/_origin/podcasts/tech-weekly/episodes/ep-1/0123456789abcdef/episode.mp3',
      'media',
      'podcasts/tech-weekly/episodes/ep-1/0123456789abcdef/episode.mp3',
    ],
    [
      '/_origin/podcasts/tech-weekly/episodes/ep-1/episode.mp3',
      'media',
      'podcasts/tech-weekly/episodes/ep-1/episode.mp3',
    ],
    ['/_origin/podcasts/tw/episodes/a%20b/notes.html', 'media', 'podcasts/tw/episodes/a b/notes.html'],
    ['/_origin/podcasts/tw/episodes/ep/feed.xml', 'media', 'podcasts/tw/episodes/ep/feed.xml'],
    ['/_origin/podcasts/tw/..foo', 'media', 'podcasts/tw/..foo'],
  ];

  it.each(served)('%s -> %s bucket, key %s', (url, bucket, key) => {
    const result = resolveOriginPath(url, '/_origin');
    expect(result).toEqual({
      ok: true,
      target: expect.objectContaining({ bucket, key, isFeed: bucket === 'rss' }),
    });
  });

  const refused: Array<[string, 400 | 404]> = [
    ['/_origin/runs/run-1/publish/output.json', 404],
    ['/_origin/podcasts/tw/../../runs/r/x.json', 404],
    ['/_origin/podcasts/tw/%2e%2e/%2E%2E/runs/r/x.json', 404],
    ['/_origin/podcasts/tw/episodes/./episode.mp3', 404],
    ['/_origin/podcasts/tw/episodes%2f..%2f..%2fruns/x', 404],
    ['/_origin/podcasts/tw/episodes%2Fx', 404],
    ['/_origin/podcasts/tw/episodes%5c..%5cx', 404],
    ['/_origin/podcasts/tw/episodes\\x', 404],
    ['/_origin/podcasts/tw/episodes//x', 404],
    ['/_origin/podcasts/tw/', 404],
    ['/_origin/podcasts/tw', 404],
    ['/_origin/podcasts/tw/a%00b', 404],
    ['/_origin/podcasts/tw/a%0Ab', 404],
    ['/_origin/podcasts/tw/a%7Fb', 404],
    ['/_origin/podcasts/tw/a%zzb', 400],
    ['/_origin/podcasts/tw/a%E0%A4%A', 400],
    ['/_origin/podcasts/Tech/feed.xml', 404],
    ['/_origin/podcasts/-tw/feed.xml', 404],
    ['/_origin/podcasts/t/feed.xml', 404],
    [`/_origin/podcasts/${'a'.repeat(64)}/feed.xml`, 404],
    ['/_origin/podcasts/%2e%2e/feed.xml', 404],
    ['/_origin/PODCASTS/tw/feed.xml', 404],
    ['/_origin/podcasts', 404],
    ['/_origin', 404],
    ['/_originx/podcasts/tw/feed.xml', 404],
    ['/podcasts/tw/feed.xml', 404],
    ['http://evil/_origin/podcasts/tw/feed.xml', 404],
    [`/_origin/podcasts/tw/${'x'.repeat(1100)}`, 404],
  ];

  it.each(refused)('refuses %s with %d', (url, status) => {
    expect(resolveOriginPath(url, '/_origin')).toMatchObject({ ok: false, status });
  });

  it('serves from the root with an empty prefix', () => {
    expect(resolveOriginPath('/podcasts/tw/feed.xml', '')).toMatchObject({
      ok: true,
      target: { bucket: 'rss', key: 'podcasts/tw/feed.xml' },
    });
  });
});

describe('path prefixes', () => {
  it.each([
    ['/_origin', '/_origin'],
    ['/_origin/', '/_origin'],
    ['_origin', '/_origin'],
    ['/', ''],
    ['', ''],
  ])('normalizes %j to %j', (prefix, expected) => {
    expect(normalizePathPrefix(prefix)).toBe(expected);
  });

  it('tells which requests are under the prefix', () => {
    expect(isUnderPathPrefix('/_origin/podcasts/tw/feed.xml?x=1', '/_origin')).toBe(true);
    expect(isUnderPathPrefix('/_origin', '/_origin/')).toBe(true);
    expect(isUnderPathPrefix('/_originals/x', '/_origin')).toBe(false);
    expect(isUnderPathPrefix('/api/x', '/_origin')).toBe(false);
  });
});
