import * as z from 'zod';
import { approvalWithoutReview } from './approval/approval-record';
import { podcastConfigInputSchema, text } from './config-schema';

export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;

/** The flags both orchestrators read; `enable.<stage> = false` skips an optional stage. */
export const runFlagsSchema = z
  .object({
    useMonolithicOrchestrator: z.boolean().optional(),
    enable: z.record(z.string(), z.boolean()).optional(),
    /**
     * `script`: pause after review until someone approves, edits or rejects the script (the
     * podcast's `approval.script` is the default); `none`: no gate even if the podcast has one.
     * The gate needs review: with `enable.review: false` a gate asked for is bad input
     * (approvalWithoutReview).
     */
    approval: z.enum(['script', 'none']).optional(),
  })
  .strict();

/**
 * What starts a run (Step Functions execution input, PIPELINE_INPUT, stdin or a file).
 * `podcast` carries an inline config for a podcast not yet stored; otherwise `podcastId` names one.
 */
export const runInputSchema = z
  .object({
    runId: z
      .string()
      .regex(RUN_ID_PATTERN, 'runId must be 1-80 letters, digits, "-" or "_" (it is the execution name)'),
    podcastId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'podcastId must be 2-63 lower-case letters, digits or dashes'),
    episode: z
      .object({
        /**
         * The episode's date (YYYY-MM-DD): its identity in the feed and the "now" for ranking
         * stories. Defaults to the UTC date when prepare first runs (kept in its checkpoint).
         */
        date: z.iso.date('episode.date must be a YYYY-MM-DD date').optional(),
        title: text(1, 200).optional(),
      })
      .strict()
      .default({}),
    /** May omit publicBaseUrl: prepare resolves it with the public origin (resolvePublicBaseUrl). */
    podcast: podcastConfigInputSchema.optional(),
    flags: runFlagsSchema.default({}),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.podcast && input.podcast.podcastId !== input.podcastId) {
      ctx.addIssue({
        code: 'custom',
        path: ['podcast', 'podcastId'],
        message: 'podcast.podcastId must equal podcastId',
      });
    }
    // A stored podcast's default gate is checked once prepare has read it (rerun-inputs.ts).
    const conflict = approvalWithoutReview(input.flags, input.podcast?.approval, 'podcast.approval.script');
    if (conflict) ctx.addIssue({ code: 'custom', ...conflict });
  });

export type RunInput = z.infer<typeof runInputSchema>;
export type RunFlags = z.infer<typeof runFlagsSchema>;
