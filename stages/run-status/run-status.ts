/**
 * run-status: the state machine's way to end a run through the same code as the monolithic
 * engine. `succeed` after feed; `fail` from every stage's Catch, with the stage named.
 */
import * as z from 'zod';
import { completeRun, failRun, runErrorFromStates } from '../shared/run-lifecycle';
import type { StageDeps } from '../shared/stage';
import { parseOrThrow } from '../shared/validation';

export const runStatusInputSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('succeed'),
    runId: z.string().min(1),
    publish: z.object({ episodeId: z.string(), guid: z.string() }).passthrough(),
  }),
  z.object({
    action: z.literal('fail'),
    runId: z.string().min(1),
    stage: z.string().optional(),
    failure: z
      .object({ Error: z.string().optional(), Cause: z.string().optional() })
      .passthrough()
      .optional(),
  }),
]);

export type RunStatusInput = z.infer<typeof runStatusInputSchema>;

/** Kept well inside Step Functions' 32,768-character cause. */
const MAX_CAUSE_CHARS = 2000;

export async function recordRunStatus(
  raw: unknown,
  deps: StageDeps
): Promise<{ runId: string; status: 'succeeded' | 'failed'; cause?: string }> {
  const input = parseOrThrow(runStatusInputSchema, raw, 'input');
  if (input.action === 'succeed') {
    await completeRun(input.runId, { episodeId: input.publish.episodeId, guid: input.publish.guid }, deps);
    return { runId: input.runId, status: 'succeeded' };
  }
  const error = runErrorFromStates(input.stage, input.failure);
  deps.logger.error('run failed', { runId: input.runId, error });
  await failRun(input.runId, error, deps);
  // The execution's own cause (its Fail state reads it): what an operator sees in the console.
  const cause = `${error.stage ?? 'run'} failed: ${error.name}: ${error.message}`.slice(0, MAX_CAUSE_CHARS);
  return { runId: input.runId, status: 'failed', cause };
}
