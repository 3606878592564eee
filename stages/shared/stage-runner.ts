/**
 * The lifecycle of one unit of stage work, shared by both orchestrators (the Lambda handler, the
 * ECS stage task and the monolithic engine all call `runStageUnit`): checkpoint lookup, attempt
 * counting, events, the stage's pure core, the checkpoint write and progress.
 */
import { STAGES, type StageDefinition, TOTAL_PROGRESS_WEIGHT, unitKey, unitWeight } from '../registry';
import { artifactKeys, getJsonIfExists, putJson } from './artifact-keys';
import { describeError } from './errors';
import { emit, eventKey } from './events';
import { hashJson } from './hashing';
import type { StageContext, StageDeps, StageInput } from './stage';
import { parseOrThrow } from './validation';

interface Checkpoint {
  inputHash: string;
  output: unknown;
}

/** Progress events inside a stage are written at most once per quarter. */
const PROGRESS_BUCKETS = 4;

/** What a stage's output depends on: its dependencies' manifests, its shard, and (prepare) the input. */
export function stageInputHash(def: StageDefinition, input: StageInput): string {
  const deps: Record<string, unknown> = {};
  for (const dep of def.dependsOn) deps[dep] = input.stages[dep];
  return hashJson({ runId: input.runId, stage: def.id, deps, shard: input.shard ?? null, input: def.dependsOn.length === 0 ? input.input : null });
}

export async function runStageUnit(def: StageDefinition, rawInput: StageInput, deps: StageDeps): Promise<unknown> {
  const input: StageInput = { ...rawInput, stages: mergeStageOutputs(rawInput.stages) };
  const { runId } = input;
  const unit = unitKey(def.id, input.shard?.index);
  const logger = deps.logger;
  const checkpointKey = artifactKeys.checkpoint(runId, def.id, input.shard);
  const inputHash = stageInputHash(def, input);
  const now = () => deps.clock.now().toISOString();

  parseOrThrow(def.module.inputSchema, input, 'input');
  // The first stage creates (or resumes) the run record that the lifecycle below writes to.
  if (def.module.claim) await def.module.claim(input, deps);

  const stored = await getJsonIfExists<Checkpoint>(deps.media, checkpointKey);
  if (stored && stored.inputHash === inputHash) {
    logger.info('stage checkpoint found, skipping work', { stage: def.id, unit, checkpointKey });
    // A crash between the checkpoint and the progress write is healed here (completeUnit is idempotent).
    await deps.runs.completeUnit(runId, unit, unitWeight(def), TOTAL_PROGRESS_WEIGHT, now());
    return stored.output;
  }

  const attempt = await deps.runs.beginUnit(runId, unit, def.id, now());
  const base = { stage: def.id, unit, attempt };
  // The unit is announced while its work starts (one round trip off every unit's path); a failed
  // announcement still fails the unit, after the work, before anything is marked done.
  const announcedAt = now();
  const announced = (async () => {
    if (attempt > 1) await emit(deps.events, runId, eventKey(unit, attempt, 'stage.retried'), 'stage.retried', announcedAt, base);
    await emit(deps.events, runId, eventKey(unit, attempt, 'stage.started'), 'stage.started', announcedAt, base);
  })().then(
    () => undefined,
    (error: unknown) => ({ error })
  );

  const started = Date.now();
  let lastBucket = 0;
  const ctx: StageContext = {
    deps,
    logger,
    runId,
    attempt,
    progress: async (fraction) => {
      const bucket = Math.min(PROGRESS_BUCKETS - 1, Math.floor(Math.max(0, Math.min(1, fraction)) * PROGRESS_BUCKETS));
      if (bucket <= lastBucket) return;
      lastBucket = bucket;
      const percent = Math.round((bucket / PROGRESS_BUCKETS) * 100);
      await emit(deps.events, runId, eventKey(unit, attempt, 'stage.progress', String(percent)), 'stage.progress', now(), {
        ...base,
        detail: { stagePercent: percent },
      });
      await deps.runs.touch(runId, now());
    },
  };

  let output: unknown;
  let progressPercent: number;
  try {
    const result = await def.module.run(input, ctx).finally(() => announced);
    const announcement = await announced;
    if (announcement) throw announcement.error;
    output = parseOrThrow(def.module.outputSchema, result, `${def.id} output`);
    // Checkpoint and progress are independent writes: a crash between them heals on the rerun
    // (a missing checkpoint redoes the unit; completeUnit counts a unit once).
    [, progressPercent] = await Promise.all([
      putJson(deps.media, checkpointKey, { inputHash, output } satisfies Checkpoint),
      deps.runs.completeUnit(runId, unit, unitWeight(def), TOTAL_PROGRESS_WEIGHT, now()),
    ]);
  } catch (error) {
    await announced;
    const described = describeError(error);
    logger.warn('stage unit failed', { ...base, error: described });
    await emit(deps.events, runId, eventKey(unit, attempt, 'stage.failed'), 'stage.failed', now(), {
      ...base,
      durationMs: Date.now() - started,
      error: { stage: def.id, ...described },
    }).catch((writeError: unknown) => logger.error('could not record stage.failed', { error: describeError(writeError) }));
    throw error;
  }

  const durationMs = Date.now() - started;
  await emit(deps.events, runId, eventKey(unit, attempt, 'stage.succeeded'), 'stage.succeeded', now(), {
    ...base,
    durationMs,
    progressPercent,
  });
  logger.info('stage unit succeeded', { ...base, durationMs, progressPercent });
  return output;
}

/** The manifest a stage's dependants read: fan-out shards merged, others as they are. */
export function mergeStageOutput(def: StageDefinition, value: unknown): unknown {
  if (def.fanOut && Array.isArray(value)) {
    if (!def.module.merge) throw new Error(`fan-out stage ${def.id} has no merge`);
    return def.module.merge(value);
  }
  return value;
}

/** In distributed mode a Map state leaves an array of shard manifests; stages see them merged. */
export function mergeStageOutputs(stages: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(stages)) {
    const def = STAGES.find((s) => s.id === id);
    merged[id] = def ? mergeStageOutput(def, value) : value;
  }
  return merged;
}
