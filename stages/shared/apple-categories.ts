/**
 * Apple Podcasts' categories and their subcategories, spelled exactly as a feed's
 * `<itunes:category text="...">` must give them (case-sensitive, `&` as in "Health & Fitness").
 * This is the list Apple has taken in feeds since its 2019 revision: 19 categories, four of them
 * (Government, History, Technology, True Crime) without subcategories.
 *
 * Sources, checked against each other: Apple Podcasts for Creators' category list (as quoted by
 * podcast hosts, e.g. https://witandwire.com/apple-podcast-categories) and the list the feed
 * parser podcast-partytime (5.x, `src/parser/itunes-categories.ts`) checks categories against,
 * scraped from https://podcasts.apple.com/us/genre/podcasts/id26. Data only: no imports.
 */

export const APPLE_PODCAST_CATEGORIES = {
  Arts: ['Books', 'Design', 'Fashion & Beauty', 'Food', 'Performing Arts', 'Visual Arts'],
  Business: ['Careers', 'Entrepreneurship', 'Investing', 'Management', 'Marketing', 'Non-Profit'],
  Comedy: ['Comedy Interviews', 'Improv', 'Stand-Up'],
  Education: ['Courses', 'How To', 'Language Learning', 'Self-Improvement'],
  Fiction: ['Comedy Fiction', 'Drama', 'Science Fiction'],
  Government: [],
  History: [],
  'Health & Fitness': [
    'Alternative Health',
    'Fitness',
    'Medicine',
    'Mental Health',
    'Nutrition',
    'Sexuality',
  ],
  'Kids & Family': ['Education for Kids', 'Parenting', 'Pets & Animals', 'Stories for Kids'],
  Leisure: [
    'Animation & Manga',
    'Automotive',
    'Aviation',
    'Crafts',
    'Games',
    'Hobbies',
    'Home & Garden',
    'Video Games',
  ],
  Music: ['Music Commentary', 'Music History', 'Music Interviews'],
  News: [
    'Business News',
    'Daily News',
    'Entertainment News',
    'News Commentary',
    'Politics',
    'Sports News',
    'Tech News',
  ],
  'Religion & Spirituality': [
    'Buddhism',
    'Christianity',
    'Hinduism',
    'Islam',
    'Judaism',
    'Religion',
    'Spirituality',
  ],
  Science: [
    'Astronomy',
    'Chemistry',
    'Earth Sciences',
    'Life Sciences',
    'Mathematics',
    'Natural Sciences',
    'Nature',
    'Physics',
    'Social Sciences',
  ],
  'Society & Culture': ['Documentary', 'Personal Journals', 'Philosophy', 'Places & Travel', 'Relationships'],
  Sports: [
    'Baseball',
    'Basketball',
    'Cricket',
    'Fantasy Sports',
    'Football',
    'Golf',
    'Hockey',
    'Rugby',
    'Running',
    'Soccer',
    'Swimming',
    'Tennis',
    'Volleyball',
    'Wilderness',
    'Wrestling',
  ],
  Technology: [],
  'True Crime': [],
  'TV & Film': ['After Shows', 'Film History', 'Film Interviews', 'Film Reviews', 'TV Reviews'],
} as const satisfies Record<string, readonly string[]>;

export type AppleCategory = keyof typeof APPLE_PODCAST_CATEGORIES;

/** The 19 category names, in Apple's order. */
export const APPLE_CATEGORY_NAMES = Object.keys(APPLE_PODCAST_CATEGORIES) as AppleCategory[];

export function isAppleCategory(name: string): name is AppleCategory {
  return Object.hasOwn(APPLE_PODCAST_CATEGORIES, name);
}

/** The subcategories of a category (none for Government, History, Technology and True Crime). */
export function appleSubcategories(category: AppleCategory): readonly string[] {
  return APPLE_PODCAST_CATEGORIES[category];
}

/**
 * The exact spelling of a name that differs only in case, spacing, `and` for `&` or a hyphen:
 * "technology" -> "Technology", "health and fitness" -> "Health & Fitness", "how-to" -> "How To".
 */
export function closestName(name: string, names: readonly string[]): string | undefined {
  const fold = (value: string) =>
    value
      .toLowerCase()
      .replace(/\band\b/g, '&')
      .replace(/[\s-]+/g, '');
  const wanted = fold(name);
  return names.find((candidate) => fold(candidate) === wanted);
}
