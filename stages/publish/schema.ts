import * as z from 'zod';
import {
  notesOutputSchema,
  mixRefSchema,
  reviewRefSchema,
  scriptRefSchema,
  skippedManifestSchema,
} from '../notes/schema';
import { discoverOutputSchema } from '../discover/schema';
import { prepareOutputSchema } from '../prepare/schema';

export const artworkRefSchema = z.looseObject({
  key: z.string().min(1),
  contentType: z.string().min(1),
  bytes: z.number().int().nonnegative(),
});

export const publishInputSchema = z.object({
  runId: z.string().min(1),
  podcastId: z.string().min(1),
  stages: z.object({
    prepare: prepareOutputSchema,
    mix: mixRefSchema,
    /** The episode title and (when notes are skipped) the description come from the final script. */
    script: scriptRefSchema,
    review: reviewRefSchema.optional(),
    notes: z.union([skippedManifestSchema, notesOutputSchema]),
    artwork: z.union([skippedManifestSchema, artworkRefSchema]),
    /** The stories discover picked: the record keeps those the script covers (story memory). */
    discover: discoverOutputSchema,
  }),
});

export const publishOutputSchema = z.object({
  episodeId: z.string(),
  guid: z.string(),
  /** The public MP3 key: `podcasts/<podcastId>/episodes/<episodeId>/<version>/episode.mp3`. */
  mediaKey: z.string(),
  mediaUrl: z.string(),
  imageUrl: z.string(),
  /** The episode number in the record and the MP3's TRCK (absent on records published before numbering). */
  episodeNumber: z.number().int().positive().optional(),
  chaptersUrl: z.string().optional(),
  transcriptUrl: z.string().optional(),
  /** The show notes page (the feed item's link), when the notes stage ran. */
  notesUrl: z.string().optional(),
  /** False when this run had already written the episode record (a rerun). */
  created: z.boolean(),
});

export type PublishInput = z.infer<typeof publishInputSchema>;
export type PublishManifest = z.infer<typeof publishOutputSchema>;
