import * as z from 'zod';
import { prepareOutputSchema } from '../prepare/schema';
import { ttsClipSchema } from '../tts/schema';

export const mixInputSchema = z.object({
  runId: z.string().min(1),
  podcastId: z.string().min(1),
  stages: z.object({
    prepare: prepareOutputSchema,
    /** The merged tts manifest (the runner merges the shards before mix sees them). */
    tts: z.looseObject({ clips: z.array(ttsClipSchema), scriptKey: z.string().min(1).optional() }),
    /** Only read when tts did not name its script (older tts manifests). */
    script: z.looseObject({ key: z.string().min(1) }).optional(),
    review: z.unknown().optional(),
  }),
});

export const mixOutputSchema = z.object({
  /** runs/<runId>/mix/episode.mp3: MP3 CBR 128 kbps, 44.1 kHz, -16 LUFS. */
  key: z.string().min(1),
  durationMs: z.number().int().positive(),
  bytes: z.number().int().positive(),
  /** runs/<runId>/mix/timeline.json: ClipTiming[] in turn order. */
  timelineKey: z.string().min(1),
});

export type MixManifest = z.infer<typeof mixOutputSchema>;

/** Pacing of the episode. */
export const MIX_TIMING = {
  introMs: 4000,
  outroMs: 4000,
  /** Between two turns of the same segment. */
  turnPauseMs: 350,
  /** When the next turn starts a new segment, and after the last turn before the outro. */
  segmentPauseMs: 800,
} as const;
