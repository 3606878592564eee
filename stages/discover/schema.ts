import * as z from 'zod';
import { prepareOutputSchema } from '../prepare/schema';
import { runSkipRequestSchema } from '../shared/run-skip';

/** What discover reads: the prepare manifest (episode date, config snapshot). */
export const discoverInputSchema = z.object({
  runId: z.string().min(1),
  podcastId: z.string().min(1),
  stages: z.object({ prepare: prepareOutputSchema }),
});

export const discoverOutputSchema = z.object({
  /** StoryCandidate[] JSON, ranked best first (runs/<runId>/discover/stories.json). */
  storiesKey: z.string().min(1),
  /** Ids of the picked stories, in rank order. */
  storyIds: z.array(z.string().min(1)),
  /** Distinct dated-in-range items considered before picking the top N. */
  candidates: z.number().int().nonnegative(),
  /** Source feeds given up (unreadable, refused, not a feed), with the reason. */
  skippedSources: z.array(z.object({ id: z.string().min(1), reason: z.string().min(1) })).default([]),
  /** Candidates left out because an earlier episode covered them (covered-stories.ts). */
  covered: z.number().int().nonnegative().default(0),
  /**
   * Every candidate was covered by an earlier episode: the run ends `skipped` with this reason
   * after discover (run-skip.ts); `storyIds` is then empty.
   */
  skipRun: runSkipRequestSchema.optional(),
});

export type DiscoverManifest = z.infer<typeof discoverOutputSchema>;

/** What identifies a story from discovery on: where it came from and where it lives. */
export const storyIdentitySchema = z.object({
  id: z.string().min(1),
  sourceId: z.string().min(1),
  sourceName: z.string().min(1),
  title: z.string().min(1),
  url: z.string().min(1),
  publishedAt: z.string().optional(),
});

/** A StoryCandidate as stored at storiesKey (validated when scrape reads it back). */
export const storyCandidateSchema = storyIdentitySchema.extend({
  /**
   * A local copy of the page (`file:`), read by scrape instead of `url`: given by a local feed's
   * snapshot element (feed-parser.ts). `url` stays the canonical link the notes publish.
   */
  snapshotUrl: z.string().min(1).optional(),
  /** When the feed marks the item updated after its publication (feed-dates.ts). */
  updatedAt: z.string().optional(),
  /** The feed's own description/summary of the item (plain text). */
  snippet: z.string(),
  score: z.number(),
});

export type StoryCandidate = z.infer<typeof storyCandidateSchema>;
