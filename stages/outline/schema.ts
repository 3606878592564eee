import * as z from 'zod';
import { prepareOutputSchema } from '../prepare/schema';
import { summarizeOutputSchema } from '../summarize/schema';

export const outlineInputSchema = z.object({
  runId: z.string().min(1),
  podcastId: z.string().min(1),
  stages: z.object({ prepare: prepareOutputSchema, summarize: summarizeOutputSchema }),
});

export const outlineOutputSchema = z.object({
  /** Outline JSON (runs/<runId>/outline/outline.json). */
  key: z.string().min(1),
  segments: z.number().int().positive(),
  targetWords: z.number().int().positive(),
});

export type OutlineManifest = z.infer<typeof outlineOutputSchema>;

export const outlineSegmentSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['intro', 'story', 'outro']),
  title: z.string().min(1),
  storyId: z.string().min(1).optional(),
  targetWords: z.number().int().positive(),
});

/** What a writer must return as the episode plan. */
export const outlineSchema = z
  .object({
    episodeTitle: z.string().trim().min(1),
    targetWords: z.number().int().positive(),
    segments: z.array(outlineSegmentSchema).min(1, 'the outline has no segments'),
  })
  .superRefine((outline, ctx) => {
    const ids = new Set<string>();
    for (const [i, segment] of outline.segments.entries()) {
      if (ids.has(segment.id))
        ctx.addIssue({
          code: 'custom',
          path: ['segments', i, 'id'],
          message: `duplicate segment id "${segment.id}"`,
        });
      ids.add(segment.id);
      if (segment.kind === 'story' && !segment.storyId)
        ctx.addIssue({
          code: 'custom',
          path: ['segments', i, 'storyId'],
          message: 'a story segment needs a storyId',
        });
    }
    if (!outline.segments.some((s) => s.kind === 'story'))
      ctx.addIssue({ code: 'custom', path: ['segments'], message: 'the outline has no story segment' });
  });

export type OutlineSegment = z.infer<typeof outlineSegmentSchema>;
export type Outline = z.infer<typeof outlineSchema>;
