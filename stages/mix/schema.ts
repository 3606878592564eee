import * as z from 'zod';
import { prepareOutputSchema } from '../prepare/schema';
import { ttsClipSchema } from '../tts/schema';

export const mixInputSchema = z.object({
  runId: z.string().min(1),
  podcastId: z.string().min(1),
  stages: z.object({
    prepare: prepareOutputSchema,
    /** The merged tts manifest (the runner merges the shards before mix sees them): its clips and the script they speak. */
    tts: z.looseObject({ clips: z.array(ttsClipSchema), scriptKey: z.string().min(1) }),
  }),
});

export const mixOutputSchema = z.object({
  /** runs/<runId>/mix/episode.mp3: MP3 CBR 96 kbps mono, 44.1 kHz, -16 LUFS, no tags (publish adds them). */
  key: z.string().min(1),
  durationMs: z.number().int().positive(),
  /** The untagged MP3's size (the published file is larger by its ID3 tag). */
  bytes: z.number().int().positive(),
  /** runs/<runId>/mix/timeline.json: `timelineSchema` (one ClipTiming per turn, in turn order). */
  timelineKey: z.string().min(1),
  /** The MP3's own loudness, measured after encoding (absent in checkpoints from before it was kept). */
  loudness: z.object({ integratedLufs: z.number(), truePeakDbtp: z.number() }).optional(),
});

export type MixInput = z.infer<typeof mixInputSchema>;
export type MixManifest = z.infer<typeof mixOutputSchema>;

/** Where one turn is in the mixed episode (content-types' ClipTiming is inferred from this). */
export const clipTimingSchema = z.object({
  turnIndex: z.number().int().nonnegative(),
  /** The host id who speaks the turn. */
  speaker: z.string(),
  segmentId: z.string(),
  startMs: z.number().nonnegative(),
  endMs: z.number().nonnegative(),
  text: z.string(),
});

/** The timeline artifact mix writes and notes reads back. */
export const timelineSchema = z.array(clipTimingSchema);

export type ClipTiming = z.infer<typeof clipTimingSchema>;

/** Pacing of the episode (shared with the length plan). */
export { MIX_TIMING } from '../shared/mix-timing';
