/**
 * Re-render after an edit: the script of a run that already published its episode is replaced by
 * an edited one, checked exactly as `runs approve --script` checks an edit (edited-script.ts: the
 * script schema and the review rules of the run; a bad edit changes nothing) and stored beside
 * the reviewed script. The run record then moves from `succeeded` back to `running` as its next
 * run attempt, with the edit as its approved script (one conditional write on the status and the
 * attempt read, so of two concurrent edits one wins), and `script.edited` is written. A re-render
 * that failed takes a fresh edit the same way (failed -> running, the new edit replacing the one
 * that failed), so a bad edit is not replayed by every resume. Rerunning
 * the run (monolithic: `--resume <runId>`) then redoes only what reads the script: the stages up
 * to review hit their checkpoints, the engine hands the edit on after review (approval-gate.ts),
 * tts, mix, notes, artwork and publish see a new input; publish writes a new version folder and
 * replaces the record on the previous version (same GUID), and the feed is rebuilt from it.
 * The CLI (`runs edit`) and the HTTP API call this.
 */
import type { z } from 'zod';
import { mergeStageOutputs } from '../../fan-out-merges';
import { outlineOutputSchema } from '../../outline/schema';
import { STAGES } from '../../pipeline-plan';
import { prepareOutputSchema } from '../../prepare/schema';
import { reviewOutputSchema } from '../../review/schema';
import { summarizeOutputSchema } from '../../summarize/schema';
import { artifactKeys } from '../artifact-keys';
import { readCheckpoint } from '../checkpoint';
import { emit, eventKey } from '../events';
import type { RunApproval, RunRecord } from '../ports';
import type { StageDeps } from '../stage';
import { displayStatus } from './approval-record';
import { acceptEditedScript, discardLostEdit } from './edited-script';
import { ApprovalStateError } from './pending-approval';
import { type ApprovalStages, reviewRulesOf } from './request-approval';

export interface ScriptEdited {
  runId: string;
  /** The run attempt that re-renders the episode. */
  runAttempt: number;
  episodeId: string;
  /** The edited script the rerun reads, and the one it replaces. */
  scriptKey: string;
  previousScriptKey: string;
  /** What the review rules fixed in the edit. */
  fixes: string[];
  /** The orchestrator the run used (its rerun takes the same way). */
  mode: 'monolithic' | 'distributed';
}

/** A stage's manifest from its checkpoint; a missing or corrupt one means the run cannot be edited. */
async function manifestOf(
  runId: string,
  stage: string,
  schema: z.ZodType,
  deps: StageDeps,
  shard?: { index: number; count: number }
): Promise<unknown> {
  const key = artifactKeys.checkpoint(runId, stage, shard);
  const read = await readCheckpoint(deps.media, key, schema, stage);
  if (read.state !== 'found')
    throw new ApprovalStateError(
      `run "${runId}": its ${stage} checkpoint is ${read.state === 'missing' ? 'missing' : `corrupt (${read.reason})`}; nothing changed`
    );
  return read.checkpoint.output;
}

/** Summarize's manifest is one checkpoint per shard (the plan's fan-out), merged as its dependants read it. */
function summarizeShards(runId: string, deps: StageDeps): Promise<unknown[]> {
  const count = STAGES.find((s) => s.id === 'summarize')?.fanOut?.shards ?? 1;
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      manifestOf(runId, 'summarize', summarizeOutputSchema, deps, { index, count })
    )
  );
}

/**
 * The script now published and the rules an edit is checked against: the approval's when the run
 * passed the gate (an earlier edit included), else rebuilt from the checkpoints the review used.
 */
async function currentScript(
  run: RunRecord,
  deps: StageDeps
): Promise<Pick<RunApproval, 'review' | 'rules' | 'requestedAt' | 'deadline'>> {
  // Also for a gated run: the rerun needs the checkpoints up to review (run artifacts expire).
  const review = await manifestOf(run.runId, 'review', reviewOutputSchema, deps);
  if (run.approval?.state === 'approved') return run.approval;
  if (!review || typeof review !== 'object' || !('key' in review))
    throw new ApprovalStateError(
      `run "${run.runId}" was published without review (stage switched off): there is no reviewed script to edit`
    );
  const stages = {
    prepare: await manifestOf(run.runId, 'prepare', prepareOutputSchema, deps),
    summarize: mergeStageOutputs({ summarize: await summarizeShards(run.runId, deps) }).summarize,
    outline: await manifestOf(run.runId, 'outline', outlineOutputSchema, deps).catch(() => undefined),
    review,
  } as ApprovalStages;
  const now = deps.clock.now().toISOString();
  return { review: stages.review, rules: await reviewRulesOf(stages, deps), requestedAt: now, deadline: now };
}

export async function editPublishedScript(
  runId: string,
  script: unknown,
  deps: StageDeps
): Promise<ScriptEdited> {
  const run = await deps.runs.get(runId);
  if (!run) throw new ApprovalStateError(`no run "${runId}"`);
  // A re-render that failed (its run failed after an edit of its published episode) takes a fresh edit too.
  const failedRerender = run.status === 'failed' && run.approval?.state === 'approved' && run.approval.edited;
  if ((run.status !== 'succeeded' && !failedRerender) || !run.episodeId) {
    const hint = displayStatus(run) === 'awaiting-approval' ? ' (use runs approve --script)' : '';
    throw new ApprovalStateError(
      `run "${runId}" is ${displayStatus(run)}, not published: nothing changed${hint}`
    );
  }
  const current = await currentScript(run, deps);
  const edit = await acceptEditedScript(runId, current, script, deps, `edit of attempt ${run.runAttempt}`);
  const now = deps.clock.now().toISOString();
  const approval: RunApproval = {
    what: 'script',
    state: 'approved',
    requestedAt: current.requestedAt,
    deadline: current.deadline,
    review: edit.review,
    rules: current.rules,
    decidedAt: now,
    edited: true,
  };
  const reopened = await deps.runs.reopenForEdit(
    runId,
    run.runAttempt,
    approval,
    now,
    failedRerender ? 'failed' : 'succeeded'
  );
  if (!reopened) {
    // Another edit (or a rerun) came first: this edit's files go again (the run never reads them).
    await discardLostEdit(runId, edit, deps);
    throw new ApprovalStateError(
      `run "${runId}" changed while its script was being edited (another edit, or a rerun): nothing changed`
    );
  }
  const scriptKey = String(edit.review.key);
  const previousScriptKey = String(current.review.key);
  await emit(
    deps.events,
    runId,
    eventKey('approval', reopened.runAttempt, 'script.edited'),
    'script.edited',
    now,
    {
      stage: 'review',
      attempt: reopened.runAttempt,
      detail: { episodeId: run.episodeId, scriptKey, previousScriptKey, fixes: edit.fixes },
    }
  );
  deps.logger.info('published script edited', { runId, runAttempt: reopened.runAttempt, scriptKey });
  return {
    runId,
    runAttempt: reopened.runAttempt,
    episodeId: run.episodeId,
    scriptKey,
    previousScriptKey,
    fixes: edit.fixes,
    mode: run.mode,
  };
}
