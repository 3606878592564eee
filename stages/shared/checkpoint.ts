/**
 * A unit's checkpoint (`runs/<runId>/<stage>/output.json` or `shards/<i>-of-<n>.json`): the hash of
 * the unit's inputs and the manifest it produced. Reading one never fails the run: a checkpoint
 * that is not JSON, has the wrong shape, or holds a manifest its stage's output schema rejects is
 * reported as corrupt, and the stage runner discards it and redoes the unit. It is the pipeline's
 * own intermediate, never the user's input, so it must not surface as a ValidationError (exit 2).
 */
import type { z } from 'zod';
import type { StagePlanEntry } from '../pipeline-plan';
import { putJson } from './artifact-keys';
import { hashJson } from './hashing';
import { describeIssues } from './validation';
import type { ArtifactStore } from './ports';
import type { RunnableStage, StageDeps, StageInput } from './stage';

export interface Checkpoint {
  inputHash: string;
  output: unknown;
  /**
   * The success it records (the attempt, when it finished, how long it took): a rerun that finds
   * the checkpoint writes the `stage.succeeded` event a crash may have kept from being written.
   */
  succeeded?: { attempt: number; at: string; durationMs: number };
}

export type CheckpointRead =
  { state: 'missing' } | { state: 'corrupt'; reason: string } | { state: 'found'; checkpoint: Checkpoint };

/** Longest excerpt of a parser's message kept in a reason (they can quote the whole document). */
const MAX_REASON_CHARS = 200;

function clip(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS)}…` : line;
}

/** Reads and checks a checkpoint against the stage's output schema; never throws on bad content. */
export async function readCheckpoint(
  store: ArtifactStore,
  key: string,
  outputSchema: z.ZodType,
  stageId: string
): Promise<CheckpointRead> {
  const object = await store.get(key);
  if (!object) return { state: 'missing' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(object.body.toString('utf8'));
  } catch (error) {
    return {
      state: 'corrupt',
      reason: `not valid JSON: ${clip(error instanceof Error ? error.message : String(error))}`,
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { state: 'corrupt', reason: 'not a checkpoint object' };
  }
  const { inputHash, output } = parsed as Partial<Checkpoint>;
  if (typeof inputHash !== 'string' || !('output' in parsed)) {
    return { state: 'corrupt', reason: 'not a checkpoint: inputHash or output is missing' };
  }
  const checked = outputSchema.safeParse(output);
  if (!checked.success) {
    const { message } = describeIssues(checked.error, `${stageId} output`);
    return {
      state: 'corrupt',
      reason: `the stored manifest fails the ${stageId} output schema: ${clip(message)}`,
    };
  }
  // The stored manifest as written (re-parsing could apply a schema's transforms a second time).
  const succeeded = successOf((parsed as { succeeded?: unknown }).succeeded);
  return { state: 'found', checkpoint: { inputHash, output, ...(succeeded ? { succeeded } : {}) } };
}

export async function writeCheckpoint(
  store: ArtifactStore,
  key: string,
  checkpoint: Checkpoint
): Promise<void> {
  await putJson(store, key, checkpoint);
}

/** The checkpoint's record of its success, when it has a well-formed one (older ones do not). */
function successOf(value: unknown): Checkpoint['succeeded'] {
  const v = value as Partial<NonNullable<Checkpoint['succeeded']>> | null | undefined;
  if (!v || typeof v !== 'object') return undefined;
  if (!Number.isInteger(v.attempt) || (v.attempt as number) < 1) return undefined;
  if (typeof v.at !== 'string' || Number.isNaN(Date.parse(v.at))) return undefined;
  if (typeof v.durationMs !== 'number' || v.durationMs < 0) return undefined;
  return { attempt: v.attempt as number, at: v.at, durationMs: v.durationMs };
}

/**
 * The stored manifest when the unit's checkpoint can stand for it; otherwise why it was discarded
 * (unreadable, fails the stage's output schema, its side effect is gone), or nothing when it is
 * missing or was made from other inputs.
 */
export async function usableCheckpoint(
  def: RunnableStage,
  input: unknown,
  deps: StageDeps,
  key: string,
  inputHash: string
): Promise<{ output: unknown; succeeded?: Checkpoint['succeeded'] } | { discarded: string } | undefined> {
  const read = await readCheckpoint(deps.media, key, def.module.outputSchema, def.id);
  if (read.state === 'corrupt') return { discarded: read.reason };
  if (read.state === 'missing' || read.checkpoint.inputHash !== inputHash) return undefined;
  const problem = await def.module.verifyCheckpoint?.(read.checkpoint.output, input, deps);
  if (problem) return { discarded: problem };
  const { output, succeeded } = read.checkpoint;
  return succeeded ? { output, succeeded } : { output };
}

/**
 * What a stage's output depends on: its dependencies' manifests, its shard, (prepare) the input,
 * and what the stage's own `checkpointInput` adds (prepare: the podcast config's hash).
 */
export function stageInputHash(def: StagePlanEntry, input: StageInput, extra?: unknown): string {
  // Every stage after the first reads prepare's manifest (the episode, the config snapshot and its
  // hash), so a fixed config redoes every stage whose input changed through it, not only discover.
  const deps: Record<string, unknown> = {};
  for (const dep of def.dependsOn.length > 0 ? ['prepare', ...def.dependsOn] : [])
    deps[dep] = input.stages[dep];
  // `extra` is left out when undefined (canonical JSON drops it), so stages without a hook hash as before.
  return hashJson({
    runId: input.runId,
    stage: def.id,
    deps,
    shard: input.shard ?? null,
    input: def.dependsOn.length === 0 ? input.input : null,
    extra,
  });
}
