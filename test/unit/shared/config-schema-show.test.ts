/**
 * The show's identity in a podcast config: an Apple Podcasts category (exact spelling, a hint for
 * a near miss), a subcategory that belongs to it, the show's artwork (http(s), or a local file in
 * the embedded mode only, named .png/.jpg/.jpeg), and the owner email (optional in the schema).
 */
import { itunesCategoriesSourceOfTruth } from 'podcast-partytime/dist/parser/itunes-categories';
import {
  APPLE_CATEGORY_NAMES,
  APPLE_PODCAST_CATEGORIES,
  closestName,
} from '../../../stages/shared/apple-categories';
import { checkFeedSchemes, podcastConfigInputSchema } from '../../../stages/shared/config-schema';
import { ValidationError } from '../../../stages/shared/errors';
import { describeIssues } from '../../../stages/shared/validation';
import { podcastConfig } from '../../fixtures/podcast-config';

/** The first problem of a config with these fields changed, as parseOrThrow would word it. */
function problem(overrides: Record<string, unknown>): string | undefined {
  const result = podcastConfigInputSchema.safeParse({ ...podcastConfig(), ...overrides });
  return result.success ? undefined : describeIssues(result.error, 'podcast').message;
}

describe("Apple Podcasts' category list", () => {
  it('has the 19 categories and 91 subcategories Apple lists (110 in all)', () => {
    const subcategories = Object.values(APPLE_PODCAST_CATEGORIES).flat();
    expect(APPLE_CATEGORY_NAMES).toHaveLength(19);
    expect(subcategories).toHaveLength(91);
    expect(APPLE_PODCAST_CATEGORIES.Technology).toEqual([]);
    expect(APPLE_PODCAST_CATEGORIES.News).toContain('Tech News');
  });

  it('is the list an independent feed parser (podcast-partytime) checks against', () => {
    const theirs = Object.fromEntries(
      itunesCategoriesSourceOfTruth.map((c) => [c.name, [...c.subCategories].sort()])
    );
    const ours = Object.fromEntries(
      Object.entries(APPLE_PODCAST_CATEGORIES).map(([name, subs]) => [name, [...subs].sort()])
    );
    expect(ours).toEqual(theirs);
  });

  it('finds the exact spelling of a near miss', () => {
    expect(closestName('technology', APPLE_CATEGORY_NAMES)).toBe('Technology');
    expect(closestName('health and fitness', APPLE_CATEGORY_NAMES)).toBe('Health & Fitness');
    expect(closestName('TV&Film', APPLE_CATEGORY_NAMES)).toBe('TV & Film');
    expect(closestName('how-to', APPLE_PODCAST_CATEGORIES.Education)).toBe('How To');
    expect(closestName('Gardening', APPLE_CATEGORY_NAMES)).toBeUndefined();
  });
});

describe('podcast config: category and subcategory', () => {
  it('takes an Apple category, with or without one of its subcategories', () => {
    expect(problem({ category: 'Technology' })).toBeUndefined();
    expect(problem({ category: 'News', subcategory: 'Tech News' })).toBeUndefined();
    expect(problem({ category: 'Health & Fitness', subcategory: 'Mental Health' })).toBeUndefined();
    expect(podcastConfig().category).toBe('Technology');
    expect(podcastConfig().subcategory).toBeUndefined();
  });

  it('refuses a category Apple does not have, naming the field, listing the valid ones', () => {
    const message = problem({ category: 'Tech' });
    expect(message).toMatch(
      /^podcast\.category: "Tech" is not an Apple Podcasts category; use one of: Arts, Business, /
    );
    expect(message).toContain('Technology, True Crime, TV & Film');
  });

  it('suggests the exact spelling of a near miss', () => {
    expect(problem({ category: 'technology' })).toMatch(
      /^podcast\.category: "technology" is not an Apple Podcasts category \(did you mean "Technology"\?\); use one of: /
    );
  });

  it("refuses a subcategory that is not the category's, listing the category's own", () => {
    expect(problem({ category: 'Science', subcategory: 'Chemistry ' })).toBe(
      'podcast.subcategory: "Chemistry " is not an Apple Podcasts subcategory of "Science"; did you mean "Chemistry"? the subcategories of "Science" are: Astronomy, Chemistry, Earth Sciences, Life Sciences, Mathematics, Natural Sciences, Nature, Physics, Social Sciences'
    );
  });

  it('says where a subcategory belongs, and that some categories have none', () => {
    expect(problem({ category: 'Technology', subcategory: 'Tech News' })).toBe(
      'podcast.subcategory: "Tech News" is not an Apple Podcasts subcategory of "Technology"; it belongs to "News"; "Technology" has no subcategories in Apple Podcasts, so leave subcategory out'
    );
    expect(problem({ category: 'Business', subcategory: 'Politics' })).toMatch(
      /^podcast\.subcategory: "Politics" is not an Apple Podcasts subcategory of "Business"; it belongs to "News"; the subcategories of "Business" are: Careers, /
    );
  });
});

describe('podcast config: artwork and owner', () => {
  it('takes http(s) and file: artwork named .png, .jpg or .jpeg', () => {
    for (const artworkUrl of [
      'https://img.example.com/show/cover.png',
      'http://img.example.com/show/cover.JPG?v=2',
      'https://img.example.com/cover.jpeg',
      'file:///srv/podcasts/show/cover.png',
    ])
      expect([artworkUrl, problem({ artworkUrl })]).toEqual([artworkUrl, undefined]);
  });

  it('refuses other schemes and other image names, naming the field', () => {
    expect(problem({ artworkUrl: 'ftp://img.example.com/cover.png' })).toBe(
      'podcast.artworkUrl: artworkUrl must be an http(s):// URL or a path relative to the config file'
    );
    expect(problem({ artworkUrl: 'https://img.example.com/cover.webp' })).toBe(
      'podcast.artworkUrl: artworkUrl must name a .png, .jpg or .jpeg image (Apple Podcasts takes PNG or JPEG cover art)'
    );
    expect(problem({ artworkUrl: 'https://img.example.com/cover?format=png' })).toMatch(/must name a \.png/);
  });

  it('reads local artwork only in the embedded local mode', () => {
    const local = podcastConfig({ artworkUrl: 'file:///srv/podcasts/show/cover.png' });
    const remote = podcastConfig({ artworkUrl: 'https://img.example.com/show/cover.png' });

    expect(() => checkFeedSchemes(local, true, 'podcast')).not.toThrow();
    expect(() => checkFeedSchemes(remote, false, 'podcast')).not.toThrow();
    expect(() => checkFeedSchemes(local, false, 'podcast')).toThrow(ValidationError);
    expect(() => checkFeedSchemes(local, false, 'podcast')).toThrow(
      /^podcast\.artworkUrl: a local artwork file is read only in the embedded local mode/
    );
  });

  it('keeps ownerEmail optional, and checks it when given', () => {
    expect(problem({ ownerEmail: undefined })).toBeUndefined();
    expect(problem({ ownerEmail: 'podcasts@example.com' })).toBeUndefined();
    expect(problem({ ownerEmail: 'not an email' })).toMatch(/^podcast\.ownerEmail: /);
  });
});
