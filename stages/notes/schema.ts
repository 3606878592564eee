import * as z from 'zod';
import { prepareOutputSchema } from '../prepare/schema';

/** The manifest an optional stage leaves when it was switched off. */
export const skippedManifestSchema = z.object({ skipped: z.literal(true) });

/** The parts of upstream manifests the publishing stages read (loose: other fields pass through). */
export const mixRefSchema = z.looseObject({
  key: z.string().min(1),
  durationMs: z.number().nonnegative(),
  bytes: z.number().int().nonnegative(),
  timelineKey: z.string().min(1),
  /** The MP3's measured loudness (the release gate reads it). */
  loudness: z.object({ integratedLufs: z.number(), truePeakDbtp: z.number() }).optional(),
});

export const scriptRefSchema = z.looseObject({ key: z.string().min(1) });

/** review is optional: its reviewed script, or `{ skipped: true }`, or absent. */
export const reviewRefSchema = z.union([skippedManifestSchema, z.looseObject({ key: z.string().min(1) })]);

export const summarizeRefSchema = z.looseObject({
  summaries: z.array(
    z.looseObject({
      storyId: z.string().min(1),
      key: z.string().min(1),
      rank: z.number(),
    })
  ),
});

export const notesInputSchema = z.object({
  runId: z.string().min(1),
  podcastId: z.string().min(1),
  stages: z.object({
    prepare: prepareOutputSchema,
    mix: mixRefSchema,
    script: scriptRefSchema,
    review: reviewRefSchema.optional(),
    summarize: summarizeRefSchema,
  }),
});

export const notesOutputSchema = z.object({
  /** HTML fragment: summary, stories with links, chapter timestamps. */
  htmlKey: z.string(),
  markdownKey: z.string(),
  /** Podcasting 2.0 chapters JSON. */
  chaptersKey: z.string(),
  /** WebVTT transcript. */
  transcriptKey: z.string(),
  /** Plain-text episode description (the feed's description and the episode record's). */
  descriptionKey: z.string(),
  chapters: z.number().int().nonnegative(),
});

export type NotesInput = z.infer<typeof notesInputSchema>;
export type NotesManifest = z.infer<typeof notesOutputSchema>;
