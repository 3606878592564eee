import * as z from 'zod';
import { prepareOutputSchema } from '../prepare/schema';
import { reviewOutputSchema } from '../review/schema';
import { scriptOutputSchema } from '../script/schema';

export const artworkInputSchema = z.object({
  runId: z.string().min(1),
  podcastId: z.string().min(1),
  stages: z.object({
    prepare: prepareOutputSchema,
    script: scriptOutputSchema,
    review: reviewOutputSchema.optional(),
  }),
});

export const artworkManifestSchema = z.object({
  /** The episode's cover: runs/<runId>/artwork/cover.png */
  key: z.string().min(1),
  contentType: z.string().min(1),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().positive(),
  /**
   * The show's cover (public: podcasts/<podcastId>/cover-<hash>.png|jpg, see showCoverKey).
   * Absent only in checkpoints written before the show had a cover of its own.
   */
  showCover: z
    .object({
      key: z.string().min(1),
      contentType: z.string().min(1),
      source: z.enum(['artwork', 'drawn']),
    })
    .optional(),
});

/** artwork is optional: switched off, the orchestrators record `{ skipped: true }` instead. */
export const artworkOutputSchema = z.union([artworkManifestSchema, z.object({ skipped: z.literal(true) })]);

export type ArtworkManifest = z.infer<typeof artworkManifestSchema>;
export type ArtworkOutput = z.infer<typeof artworkOutputSchema>;

/** Apple Podcasts' minimum (and a good default) for square cover art: drawn covers are this size. */
export const ARTWORK_SIZE = 1400;
