import { MAX_LINK_CHARS } from '../../../stages/discover/feed-parser';
import { FatalStageError } from '../../../stages/shared/errors';
import {
  boundedStories,
  coveredStory,
  episodeCoverageOf,
  MAX_COVERED_LINK_CHARS,
  MAX_COVERED_STORIES,
  MAX_NORMALISED_TITLE_CHARS,
  normaliseTitle,
} from '../../../stages/shared/story-memory';

describe('normaliseTitle', () => {
  it.each([
    [
      'case, punctuation and whitespace',
      '  QuillMQ Moves to a  Source-Available License! ',
      'quillmq moves to a source available license',
    ],
    ['diacritics', 'Café in Zürich: São Paulo’s “Größe”', 'cafe in zurich sao paulos große'],
    ['quote styles and apostrophes', `It's "done" — it’s ‘done’`, 'its done its done'],
    ['HTML-ish symbols', 'Rust & <Go> "fight" ]]> on', 'rust go fight on'],
    ['digits and other scripts', 'Версия 5.0 — 数据库', 'версия 5 0 数据库'],
    ['nothing but punctuation', ' -- !! ', ''],
  ])('folds %s', (_what, title, expected) => {
    expect(normaliseTitle(title)).toBe(expected);
  });

  it('gives the same title for the copies a feed and its partner publish', () => {
    expect(
      normaliseTitle('QuillMQ Moves to a Source-Available License, and Contributors Announce a Fork')
    ).toBe(normaliseTitle('QuillMQ moves to a source-available license, and contributors announce a fork'));
  });

  it('is bounded, never cuts a surrogate pair, and is stable when applied again', () => {
    const long = `${'a'.repeat(MAX_NORMALISED_TITLE_CHARS - 1)}😀 tail`;

    const once = normaliseTitle(long);

    expect(once.length).toBeLessThanOrEqual(MAX_NORMALISED_TITLE_CHARS);
    expect(once).toBe('a'.repeat(MAX_NORMALISED_TITLE_CHARS - 1));
    expect(normaliseTitle(once)).toBe(once);
    expect(normaliseTitle(normaliseTitle('Café: the “Zürich” deal!'))).toBe('cafe the zurich deal');
  });
});

describe('the stories an episode record keeps', () => {
  it('keeps the canonical link and the normalised title', () => {
    expect(coveredStory({ url: 'https://news.example/a', title: 'Big News!' })).toEqual({
      url: 'https://news.example/a',
      title: 'big news',
    });
  });

  it('keeps at most MAX_COVERED_STORIES, one per link, and no link longer than the parser takes', () => {
    const stories = Array.from({ length: MAX_COVERED_STORIES + 5 }, (_, i) => ({
      url: `https://news.example/${i}`,
      title: `Story ${i}`,
    }));
    const withDuplicate = [
      stories[0]!,
      { url: 'https://news.example/0', title: 'Again' },
      ...stories.slice(1),
    ];
    const tooLong = { url: `https://news.example/${'x'.repeat(MAX_COVERED_LINK_CHARS)}`, title: 'Long' };

    const kept = boundedStories([tooLong, ...withDuplicate]);

    expect(kept).toHaveLength(MAX_COVERED_STORIES);
    expect(kept[0]).toEqual({ url: 'https://news.example/0', title: 'story 0' });
    expect(kept.map((s) => s.url)).not.toContain(tooLong.url);
    expect(new Set(kept.map((s) => s.url)).size).toBe(MAX_COVERED_STORIES);
    expect(MAX_COVERED_LINK_CHARS).toBe(MAX_LINK_CHARS);
  });
});

describe('episodeCoverageOf (a record as read back)', () => {
  const stored = {
    podcastId: 'tech-weekly',
    episodeId: '2026-11-16',
    publishedAt: '2026-11-16T00:00:00.000Z',
    stories: [{ url: 'https://news.example/a', title: 'big news' }],
  };

  it('reads the stories a record keeps', () => {
    expect(episodeCoverageOf(stored, 'tech-weekly')).toEqual({
      episodeId: '2026-11-16',
      publishedAt: '2026-11-16T00:00:00.000Z',
      stories: [{ url: 'https://news.example/a', title: 'big news' }],
    });
  });

  it('reads a record written before stories were kept as covering none', () => {
    const { stories: _none, ...older } = stored;

    expect(episodeCoverageOf(older, 'tech-weekly').stories).toEqual([]);
  });

  it.each([
    [
      'a story without a link',
      { stories: [{ title: 'x' }] },
      /2026-11-16 of podcast "tech-weekly": stories\.0\.url: /,
    ],
    [
      'a link over the bound',
      { stories: [{ url: 'x'.repeat(MAX_COVERED_LINK_CHARS + 1), title: 'x' }] },
      /stories\.0\.url: /,
    ],
    [
      'too many stories',
      { stories: Array.from({ length: MAX_COVERED_STORIES + 1 }, () => ({ url: 'u', title: 't' })) },
      /stories: /,
    ],
    ['stories that are not a list', { stories: 'big news' }, /stories: /],
    [
      'no publishedAt',
      { publishedAt: 'soon' },
      /2026-11-16 of podcast "tech-weekly": publishedAt is not a date/,
    ],
  ])('refuses %s, naming the record and the field', (_what, change, message) => {
    const read = () => episodeCoverageOf({ ...stored, ...change }, 'tech-weekly');

    expect(read).toThrow(FatalStageError);
    expect(read).toThrow(message);
  });
});
