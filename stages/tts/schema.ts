import * as z from 'zod';
import { prepareOutputSchema } from '../prepare/schema';
import { reviewOutputSchema } from '../review/schema';
import { scriptOutputSchema } from '../script/schema';

export const shardSchema = z.object({
  index: z.number().int().nonnegative(),
  count: z.number().int().positive(),
});

export const ttsInputSchema = z.object({
  runId: z.string().min(1),
  podcastId: z.string().min(1),
  stages: z.object({
    prepare: prepareOutputSchema,
    script: scriptOutputSchema,
    /** The reviewed script when review ran; `{ skipped: true }` (or absent) means the draft is final. */
    review: reviewOutputSchema.optional(),
  }),
  shard: shardSchema.optional(),
});

export const ttsClipSchema = z.object({
  turnIndex: z.number().int().nonnegative(),
  /** The host id who speaks the turn. */
  speaker: z.string().min(1),
  segmentId: z.string().min(1),
  /** WAV at runs/<runId>/tts/<turnIndex, 4 digits>.wav. */
  key: z.string().min(1),
  durationMs: z.number().int().nonnegative(),
});

export const ttsOutputSchema = z.object({
  /** One clip per turn (a shard's share, or all of them once merged), in turn order. */
  clips: z.array(ttsClipSchema),
  /**
   * The script the clips were spoken from: mix pairs the clips with this script's turns, and the
   * merge checks that every shard spoke the same one.
   */
  scriptKey: z.string().min(1),
});

export type TtsClip = z.infer<typeof ttsClipSchema>;
export type TtsManifest = z.infer<typeof ttsOutputSchema>;
