import * as z from 'zod';
import { discoverOutputSchema, storyIdentitySchema } from '../discover/schema';
import { prepareOutputSchema } from '../prepare/schema';

export const scrapeInputSchema = z.object({
  runId: z.string().min(1),
  podcastId: z.string().min(1),
  stages: z.object({ prepare: prepareOutputSchema, discover: discoverOutputSchema }),
});

export const scrapeOutputSchema = z.object({
  /** Stories with usable text, in discover's rank order; key -> ScrapedStory JSON. */
  stories: z.array(
    z.object({ id: z.string().min(1), key: z.string().min(1), wordCount: z.number().int().nonnegative() })
  ),
  /** Stories left out, with the reason (unreadable page, too little text). */
  skipped: z.array(z.object({ id: z.string().min(1), reason: z.string().min(1) })),
});

export type ScrapeManifest = z.infer<typeof scrapeOutputSchema>;

/** A ScrapedStory as stored in S3 (validated when summarize reads it back). */
export const scrapedStorySchema = storyIdentitySchema.extend({
  text: z.string().min(1),
  wordCount: z.number().int().nonnegative(),
});

export type ScrapedStory = z.infer<typeof scrapedStorySchema>;
