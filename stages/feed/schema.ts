import * as z from 'zod';
import { prepareOutputSchema } from '../prepare/schema';

export const feedInputSchema = z.object({
  runId: z.string().min(1),
  podcastId: z.string().min(1),
  stages: z.object({
    prepare: prepareOutputSchema,
    /** The episode this run published: the feed must list it. */
    publish: z.looseObject({
      episodeId: z.string().min(1),
      guid: z.string().min(1),
    }),
  }),
});

export const feedOutputSchema = z.object({
  /** `podcasts/<podcastId>/feed.xml` in the RSS bucket. */
  key: z.string(),
  url: z.string(),
  episodes: z.number().int().nonnegative(),
});

export type FeedInput = z.infer<typeof feedInputSchema>;
export type FeedManifest = z.infer<typeof feedOutputSchema>;
