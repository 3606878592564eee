import * as z from 'zod';
import { prepareOutputSchema } from '../prepare/schema';
import { scrapeOutputSchema } from '../scrape/schema';

export const summarizeInputSchema = z.object({
  runId: z.string().min(1),
  podcastId: z.string().min(1),
  stages: z.object({ prepare: prepareOutputSchema, scrape: scrapeOutputSchema }),
  shard: z.object({ index: z.number().int().nonnegative(), count: z.number().int().positive() }).optional(),
});

export const summarizeOutputSchema = z.object({
  /** One entry per story (a shard's share, or all of them once merged); key -> StorySummary JSON. */
  summaries: z.array(
    z.object({ storyId: z.string().min(1), key: z.string().min(1), rank: z.number().int().positive() })
  ),
});

export type SummarizeManifest = z.infer<typeof summarizeOutputSchema>;

/** What a writer must return for one story (and what later stages read back). */
export const storySummarySchema = z.object({
  storyId: z.string().min(1),
  title: z.string().min(1),
  sourceName: z.string().min(1),
  url: z.string().min(1),
  /** Sentences taken from the story, in the story's order. */
  sentences: z.array(z.string().trim().min(1, 'a sentence is empty')).min(1, 'the summary has no sentences'),
  keyPoints: z.array(z.string().trim().min(1)),
  wordCount: z.number().int().nonnegative(),
});

export type StorySummary = z.infer<typeof storySummarySchema>;
