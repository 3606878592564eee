/**
 * The one text rule (config-schema.ts `text(min, max)`) on every free-text field of a podcast
 * config and a run input: control characters other than tab, line feed and carriage return,
 * DEL and C1, lone surrogates, U+2028/U+2029 and U+FFFE/U+FFFF are refused, naming the field.
 */
import { podcastConfigSchema, text } from '../../../stages/shared/config-schema';
import { runInputSchema } from '../../../stages/shared/run-input-schema';
import { describeIssues } from '../../../stages/shared/validation';
import { podcastConfig } from '../../fixtures/podcast-config';

describe('text()', () => {
  const field = text(1, 50);

  it.each(['plain', 'tab\tand\nnew\r\nlines', 'émoji 🎙️ and “quotes”', 'ümlaut — dash'])(
    'accepts %j',
    (value) => {
      expect(field.safeParse(value).success).toBe(true);
    }
  );

  it.each([
    ['NUL', 'a\u0000b', 'U+0000'],
    ['bell', 'a\u0007b', 'U+0007'],
    ['escape', 'a\u001b[31m', 'U+001B'],
    ['vertical tab', 'a\u000bb', 'U+000B'],
    ['DEL', 'a\u007fb', 'U+007F'],
    ['C1 (NEL)', 'a\u0085b', 'U+0085'],
    ['line separator', 'a\u2028b', 'U+2028'],
    ['paragraph separator', 'a\u2029b', 'U+2029'],
    ['lone surrogate', 'a\ud800b', 'U+D800'],
    ['non-character', 'a\uffffb', 'U+FFFF'],
  ])('refuses %s', (_what, value, code) => {
    const result = field.safeParse(value);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      `character ${code} at position 2 is not allowed (no control characters other than tab, line feed and carriage return)`
    );
  });

  it('keeps the length limits', () => {
    expect(field.safeParse('').success).toBe(false);
    expect(field.safeParse('x'.repeat(51)).success).toBe(false);
  });
});

describe('text fields of a podcast config and a run input', () => {
  const bad = 'Tech\u0007Weekly';

  it.each([
    ['title', (c: Record<string, unknown>) => ({ ...c, title: bad }), 'podcast.title'],
    [
      'description',
      (c: Record<string, unknown>) => ({ ...c, description: `line one\nline\u0000two` }),
      'podcast.description',
    ],
    ['author', (c: Record<string, unknown>) => ({ ...c, author: bad }), 'podcast.author'],
    ['category', (c: Record<string, unknown>) => ({ ...c, category: bad }), 'podcast.category'],
    [
      'a host name',
      (c: Record<string, unknown>) => ({
        ...c,
        hosts: [
          { id: 'ava', name: bad },
          { id: 'ben', name: 'Ben' },
        ],
      }),
      'podcast.hosts.0.name',
    ],
    ['a topic', (c: Record<string, unknown>) => ({ ...c, topics: ['ai', bad] }), 'podcast.topics.1'],
    [
      'a banned phrase',
      (c: Record<string, unknown>) => ({ ...c, style: { tone: 'formal', bannedPhrases: [bad] } }),
      'podcast.style.bannedPhrases.0',
    ],
  ])('%s', (_what, change, path) => {
    const result = podcastConfigSchema.safeParse(
      change(podcastConfig() as unknown as Record<string, unknown>)
    );

    expect(result.success).toBe(false);
    expect(describeIssues(result.error!, 'podcast')).toEqual({
      field: path,
      message: expect.stringMatching(
        new RegExp(`^${path.replace(/\./g, '\\.')}: character U\\+00(07|00) at position \\d+ is not allowed`)
      ),
    });
  });

  it('episode.title of a run input', () => {
    const result = runInputSchema.safeParse({ runId: 'r1', podcastId: 'test-pod', episode: { title: bad } });

    expect(describeIssues(result.error!, 'input')).toEqual({
      field: 'input.episode.title',
      message: expect.stringMatching(/^input\.episode\.title: character U\+0007 at position 5/),
    });
  });

  it('the example config still parses', () => {
    expect(podcastConfigSchema.safeParse(podcastConfig()).success).toBe(true);
  });
});

describe('feedUrl', () => {
  it.each([
    'https://a<b/x?token=S',
    'https://exa mple.com/feed',
    'http://[::1/feed',
    `https://example.com/${'x'.repeat(2100)}`,
  ])('refuses %s, naming the field', (feedUrl) => {
    const result = podcastConfigSchema.safeParse({
      ...podcastConfig(),
      sources: [{ id: 'news', name: 'News', feedUrl }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['sources', 0, 'feedUrl']);
  });
});
