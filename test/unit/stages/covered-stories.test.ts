import { endOfDay, leaveOutCovered, nothingNewReason } from '../../../stages/discover/covered-stories';
import type { StoryCandidate } from '../../../stages/shared/content-types';
import type { EpisodeCoverage } from '../../../stages/shared/ports';
import { MAX_SKIP_REASON_CHARS } from '../../../stages/shared/run-skip';
import { coveredStory } from '../../../stages/shared/story-memory';

function candidate(id: string, title: string, extra: Partial<StoryCandidate> = {}): StoryCandidate {
  return {
    id,
    sourceId: 'main',
    sourceName: 'Main News',
    title,
    url: `https://news.example/${id}`,
    publishedAt: '2026-11-14T09:00:00.000Z',
    snippet: '',
    score: 0.5,
    ...extra,
  };
}

function episode(date: string, stories: StoryCandidate[]): EpisodeCoverage {
  return { episodeId: date, publishedAt: `${date}T00:00:00.000Z`, stories: stories.map(coveredStory) };
}

const DATE = '2026-11-23';

describe('leaveOutCovered', () => {
  it('meets a covered link written another way: composed or decomposed accents, encoded unreserved characters, a trailing dot; a soft hyphen in a title', () => {
    const covered = candidate('a', 'Apfel kauft Birne', { url: 'https://news.example/caf%C3%A9/~ann/a' });
    const decomposed = candidate('b', 'Other one', { url: 'https://news.example./cafe%CC%81/%7Eann/%61' });
    const hyphenated = candidate('c', 'Ap\u00ADfel kauft Bir\u00ADne', {
      url: 'https://news.example/elsewhere',
    });
    const slash = candidate('d', 'Third one', { url: 'https://news.example/caf%C3%A9%EF%BC%8F~ann/a' });

    const result = leaveOutCovered([decomposed, hyphenated, slash], [episode('2026-11-16', [covered])], DATE);

    // A fullwidth solidus is not a path separator: d's link stays its own.
    expect(result.covered.map((c) => c.candidate.id)).toEqual(['b', 'c']);
    expect(result.fresh.map((c) => c.id)).toEqual(['d']);
  });

  it('does not read an update mark every item of a source shares (a feed stamping its build time) as an update', () => {
    const stamp = { updatedAt: '2026-11-22T10:00:00.000Z' };
    const a = candidate('a', 'Alpha ships', stamp);
    const b = candidate('b', 'Beta ships', stamp);
    const c = candidate('c', 'Gamma ships', stamp);
    const other = candidate('d', 'Delta ships', { sourceId: 'other', updatedAt: '2026-11-22T10:00:00.000Z' });

    const result = leaveOutCovered([a, b, c, other], [episode('2026-11-16', [a, b, other])], DATE);

    // a and b stay covered; other's mark is its own (one item), so it counts as updated.
    expect(result.fresh.map((s) => s.id)).toEqual(['c', 'd']);
    expect(result.covered.map((s) => s.candidate.id)).toEqual(['a', 'b']);
  });

  it('leaves out a story an earlier episode covered by its link, keeping the rest in rank order', () => {
    const a = candidate('a', 'Alpha ships');
    const b = candidate('b', 'Beta ships');
    const c = candidate('c', 'Gamma ships');

    const result = leaveOutCovered([a, b, c], [episode('2026-11-16', [b])], DATE);

    expect(result.fresh.map((s) => s.id)).toEqual(['a', 'c']);
    expect(result.covered).toEqual([{ candidate: b, episodeId: '2026-11-16' }]);
  });

  it('knows a story by its normalised title under another link (another source, a moved page)', () => {
    const covered = candidate('old', 'Meridian DB 5.0 adds a columnar engine');
    const copy = candidate('new', 'MERIDIAN DB 5.0: Adds a Columnar Engine!', {
      url: 'https://partner.example/meridian',
    });

    const result = leaveOutCovered([copy], [episode('2026-11-16', [covered])], DATE);

    expect(result.fresh).toEqual([]);
    expect(result.covered[0]?.episodeId).toBe('2026-11-16');
  });

  it('knows a link again under http or https and with or without www., but not another path or query', () => {
    const covered = candidate('old', 'Alpha ships', { url: 'http://www.news.example/alpha?id=7' });
    const again = [
      candidate('https', 'One', { url: 'https://news.example/alpha?id=7' }),
      candidate('www', 'Two', { url: 'https://www.news.example/alpha?id=7' }),
      candidate('fullwidth', 'Three', { url: 'https://news.example/%EF%BD%81lpha?id=7' }),
    ];
    const distinct = [
      candidate('path', 'Four', { url: 'https://news.example/Alpha?id=7' }),
      candidate('query', 'Five', { url: 'https://news.example/alpha?id=8' }),
      candidate('slash', 'Six', { url: 'https://news.example/%EF%BC%8Falpha?id=7' }),
      candidate('host', 'Seven', { url: 'https://www2.news.example/alpha?id=7' }),
    ];

    const result = leaveOutCovered([...again, ...distinct], [episode('2026-11-16', [covered])], DATE);

    expect(result.covered.map((c) => c.candidate.id)).toEqual(['https', 'www', 'fullwidth']);
    expect(result.fresh.map((s) => s.id)).toEqual(['path', 'query', 'slash', 'host']);
  });

  it('knows a title again in fullwidth or compatibility forms and with look-alike letters', () => {
    // Cyrillic а, е, о and р in the first copy; fullwidth letters and the ﬁ ligature in the second.
    const covered = candidate('old', 'Apple opens a new office in Paris');
    const lookAlike = candidate('cyrillic', 'Аpplе оpens a new office in Раris', {
      url: 'https://x.example/1',
    });
    const fullwidth = candidate('fullwidth', 'ＡＰＰＬＥ opens a new oﬃce in Paris', {
      url: 'https://x.example/2',
    });
    const other = candidate('other', 'Apple opens a new office in Rome', { url: 'https://x.example/3' });

    const result = leaveOutCovered([lookAlike, fullwidth, other], [episode('2026-11-16', [covered])], DATE);

    expect(result.covered.map((c) => c.candidate.id)).toEqual(['cyrillic', 'fullwidth']);
    expect(result.fresh.map((s) => s.id)).toEqual(['other']);
  });

  it('still tells apart titles written wholly in another script, and reads titles stored before the folds', () => {
    const russian = candidate('ru', 'Новости о погоде', { url: 'https://x.example/ru' });
    const other = candidate('ru2', 'Новости о спорте', { url: 'https://x.example/ru2' });
    // As an earlier version stored it: Cyrillic letters kept.
    const stored: EpisodeCoverage = {
      episodeId: '2026-11-16',
      publishedAt: '2026-11-16T00:00:00.000Z',
      stories: [{ url: 'https://x.example/elsewhere', title: 'новости о погоде' }],
    };

    const result = leaveOutCovered([russian, other], [stored], DATE);

    expect(result.covered.map((c) => c.candidate.id)).toEqual(['ru']);
    expect(result.fresh.map((s) => s.id)).toEqual(['ru2']);
  });

  it('does not match on a title that normalises to nothing', () => {
    const covered = candidate('x', '!!!');
    const other = candidate('y', '???', { url: 'https://other.example/y' });

    expect(leaveOutCovered([other], [episode('2026-11-16', [covered])], DATE).fresh).toEqual([other]);
  });

  it('chooses a covered story again when its source marks it updated after the covering episode', () => {
    const story = candidate('a', 'Alpha ships');
    const updated = { ...story, updatedAt: '2026-11-20T08:00:00.000Z' };

    const result = leaveOutCovered([updated], [episode('2026-11-16', [story])], DATE);

    expect(result.fresh).toEqual([updated]);
  });

  it('takes a recurring title published after the covering episode as new', () => {
    const story = candidate('a', 'This week in chips');
    const nextWeek = candidate('b', 'This week in chips', { publishedAt: '2026-11-21T09:00:00.000Z' });

    expect(leaveOutCovered([nextWeek], [episode('2026-11-16', [story])], DATE).fresh).toEqual([nextWeek]);
  });

  it.each([
    ['on the covering episode day (it could have seen it)', '2026-11-16T18:00:00.000Z'],
    ['before the covering episode', '2026-11-15T10:00:00.000Z'],
    ['after this episode day (the future does not count)', '2026-11-24T00:00:00.000Z'],
  ])('keeps a story covered when its update is dated %s', (_when, updatedAt) => {
    const story = candidate('a', 'Alpha ships');

    const result = leaveOutCovered([{ ...story, updatedAt }], [episode('2026-11-16', [story])], DATE);

    expect(result.fresh).toEqual([]);
  });

  it('lets the latest episode that covered a story decide', () => {
    const story = candidate('a', 'Alpha ships', { updatedAt: '2026-11-18T10:00:00.000Z' });
    const earlier = [episode('2026-11-19', [story]), episode('2026-11-09', [story])];

    const result = leaveOutCovered([story], earlier, DATE);

    // Updated after 2026-11-09, but 2026-11-19 covered it again since: still covered.
    expect(result.covered).toEqual([{ candidate: story, episodeId: '2026-11-19' }]);
  });

  it('leaves everything when there are no earlier episodes, or none with stories', () => {
    const stories = [candidate('a', 'Alpha'), candidate('b', 'Beta')];

    expect(leaveOutCovered(stories, [], DATE).fresh).toEqual(stories);
    expect(leaveOutCovered(stories, [episode('2026-11-16', [])], DATE).fresh).toEqual(stories);
  });
});

describe('nothingNewReason', () => {
  const covered = (episodeId: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({ candidate: candidate(`${episodeId}-${i}`, `S ${i}`), episodeId }));

  it('names the count and the episodes, in date order', () => {
    expect(nothingNewReason([...covered('2026-11-23', 1), ...covered('2026-11-16', 3)])).toBe(
      'no new stories: all 4 candidates were covered in episodes 2026-11-16, 2026-11-23'
    );
  });

  it('says it plainly for one candidate and one episode', () => {
    expect(nothingNewReason(covered('2026-11-16', 1))).toBe(
      'no new stories: the only candidate was covered in episode 2026-11-16'
    );
  });

  it('stays bounded with many episodes', () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      covered(`2026-${String(i).padStart(4, '0')}`, 1)
    ).flat();

    const reason = nothingNewReason(many);

    expect(reason).toMatch(/^no new stories: all 40 candidates were covered in episodes .* and 30 more$/);
    expect(reason.length).toBeLessThanOrEqual(MAX_SKIP_REASON_CHARS);
  });
});

describe('endOfDay', () => {
  it('is the last millisecond of the UTC day of a date or a timestamp', () => {
    expect(endOfDay('2026-11-16')).toBe('2026-11-16T23:59:59.999Z');
    expect(endOfDay('2026-11-16T00:00:00.000Z')).toBe('2026-11-16T23:59:59.999Z');
  });
});
