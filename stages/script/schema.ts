import * as z from 'zod';
import { outlineOutputSchema } from '../outline/schema';
import { prepareOutputSchema } from '../prepare/schema';
import { summarizeOutputSchema } from '../summarize/schema';

export const scriptInputSchema = z.object({
  runId: z.string().min(1),
  podcastId: z.string().min(1),
  stages: z.object({
    prepare: prepareOutputSchema,
    outline: outlineOutputSchema,
    summarize: summarizeOutputSchema,
  }),
});

export const scriptOutputSchema = z.object({
  /** Script JSON (runs/<runId>/script/script.json). */
  key: z.string().min(1),
  /** Plain text, one "Host Name: line" per turn. */
  textKey: z.string().min(1),
  turns: z.number().int().positive(),
  words: z.number().int().nonnegative(),
});

export type ScriptManifest = z.infer<typeof scriptOutputSchema>;

export const scriptTurnSchema = z.object({
  index: z.number().int().nonnegative(),
  segmentId: z.string().min(1),
  speaker: z.string().min(1),
  text: z.string(),
  /** Story ids whose text this turn's claims come from; empty for banter, intros and outros. */
  sourceIds: z.array(z.string().min(1)),
});

/** What a writer must return as the dialogue (text emptiness and speakers are review's business). */
export const scriptSchema = z.object({
  episodeTitle: z.string().trim().min(1),
  turns: z.array(scriptTurnSchema).min(1, 'the script has no turns'),
  wordCount: z.number().int().nonnegative(),
});

export type ScriptTurn = z.infer<typeof scriptTurnSchema>;
export type Script = z.infer<typeof scriptSchema>;
