import * as z from 'zod';
import { outlineOutputSchema } from '../outline/schema';
import { prepareOutputSchema } from '../prepare/schema';
import { scriptOutputSchema } from '../script/schema';
import { summarizeOutputSchema } from '../summarize/schema';

export const reviewInputSchema = z.object({
  runId: z.string().min(1),
  podcastId: z.string().min(1),
  stages: z.object({
    prepare: prepareOutputSchema,
    script: scriptOutputSchema,
    summarize: summarizeOutputSchema,
    /** The length budget comes from the outline when present, else from the config's targetMinutes. */
    outline: outlineOutputSchema.optional(),
  }),
});

export const reviewedManifestSchema = z.object({
  /** The reviewed Script JSON: what tts reads. */
  key: z.string().min(1),
  textKey: z.string().min(1),
  turns: z.number().int().positive(),
  words: z.number().int().nonnegative(),
  /** One line per fix applied, e.g. `turn 7: removed a sentence with banned phrase "game changer"`. */
  fixes: z.array(z.string()),
  /** JSON report of every check (pass / fixed / failed, with details). */
  reportKey: z.string().min(1),
});

export const reviewOutputSchema = z.union([reviewedManifestSchema, z.object({ skipped: z.literal(true) })]);

export type ReviewManifest = z.infer<typeof reviewedManifestSchema>;
export type ReviewOutput = z.infer<typeof reviewOutputSchema>;
