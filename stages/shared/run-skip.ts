/**
 * How a stage ends its run with nothing to publish: a stage the plan marks `canSkipRun` may
 * return a manifest with `skipRun: { reason }` (discover, when every candidate story was covered
 * by an earlier episode). Both orchestrators then stop after that stage and record the run
 * `skipped` with the reason (run-lifecycle.ts `skipRun`): the monolithic engine directly, the
 * state machine through a Choice after the stage and the run-status Lambda's `skip` action.
 */
import * as z from 'zod';
import type { RunSkip } from './ports';

/** Kept well inside the run record and Step Functions' state size; reasons are one sentence. */
export const MAX_SKIP_REASON_CHARS = 1000;

/** The manifest field that asks for the skip (the state machine's Choice tests `$.stages.<id>.skipRun`). */
export const SKIP_RUN_FIELD = 'skipRun';

export const runSkipRequestSchema = z.object({
  reason: z.string().trim().min(1).max(MAX_SKIP_REASON_CHARS),
});

export type RunSkipRequest = z.infer<typeof runSkipRequestSchema>;

/** A reason cut to MAX_SKIP_REASON_CHARS (on a word boundary when one is near). */
export function skipReason(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= MAX_SKIP_REASON_CHARS) return clean;
  const cut = clean.slice(0, MAX_SKIP_REASON_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > MAX_SKIP_REASON_CHARS * 0.8 ? cut.slice(0, space) : cut}…`;
}

/**
 * The skip a finished stage's manifest asks for, if the plan lets that stage skip the run;
 * undefined otherwise. A malformed request is not ignored: it names the stage.
 */
export function requestedSkip(
  stage: { id: string; canSkipRun?: boolean },
  manifest: unknown
): RunSkip | undefined {
  if (!stage.canSkipRun || manifest === null || typeof manifest !== 'object') return undefined;
  const raw = (manifest as Record<string, unknown>)[SKIP_RUN_FIELD];
  if (raw === undefined) return undefined;
  const parsed = runSkipRequestSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`stage ${stage.id}: its manifest's ${SKIP_RUN_FIELD} is not { reason: <text> }`);
  return { stage: stage.id, reason: parsed.data.reason };
}
