/**
 * An ECS stage task gets only ids from the state machine (container overrides are capped at
 * 8 KiB), so it rebuilds its StageInput from the checkpoints in S3: the first stage's manifest
 * (enabled stages, shards) and each dependency's manifest. A fan-out dependency contributes the
 * array of its shard manifests (the stage runner merges it, as it does for a Map state's output);
 * an optional dependency prepare switched off is `{ skipped: true }`, as the Skip state writes.
 */
import type { StagePlanEntry } from '../../stages/pipeline-plan';
import { artifactKeys, getJsonIfExists } from '../../stages/shared/artifact-keys';
import { FatalStageError } from '../../stages/shared/errors';
import type { ArtifactStore } from '../../stages/shared/ports';
import type { StageInput } from '../../stages/shared/stage';

interface StoredCheckpoint {
  output: unknown;
}

interface RunPlan {
  enabled?: Record<string, boolean>;
  shards?: Record<string, number[]>;
}

type RegistryView = readonly Pick<StagePlanEntry, 'id' | 'dependsOn' | 'optional' | 'fanOut'>[];

/** A checkpoint's manifest, or undefined when there is no such checkpoint (never throws for that). */
async function readStored(media: ArtifactStore, key: string): Promise<{ output: unknown } | undefined> {
  const stored = await getJsonIfExists<StoredCheckpoint>(media, key);
  return stored && typeof stored === 'object' && 'output' in stored ? stored : undefined;
}

function requireOutput(
  stored: { output: unknown } | undefined,
  media: ArtifactStore,
  key: string,
  what: string,
  forStage: string
): unknown {
  if (!stored) {
    throw new FatalStageError(
      `checkpoint s3://${media.bucket}/${key} (${what}) is missing: it must finish before ${forStage} runs`
    );
  }
  return stored.output;
}

export async function stageInputFromCheckpoints(
  stageId: string,
  ids: { runId: string; podcastId: string },
  media: ArtifactStore,
  registry: RegistryView
): Promise<StageInput> {
  const def = registry.find((s) => s.id === stageId);
  if (!def) throw new FatalStageError(`unknown stage "${stageId}"`);
  const first = registry.find((s) => s.dependsOn.length === 0);
  if (!first) throw new FatalStageError('the plan has no first stage');
  if (def.id === first.id)
    throw new FatalStageError(`stage "${def.id}" needs the run input and cannot run as a stage task`);

  const { runId, podcastId } = ids;
  const deps = def.dependsOn
    .filter((depId) => depId !== first.id)
    .map((depId) => {
      const dep = registry.find((s) => s.id === depId);
      if (!dep) throw new FatalStageError(`stage "${def.id}" depends on unknown stage "${depId}"`);
      return dep;
    });
  const keysOf = (dep: (typeof deps)[number], shards: number | undefined) =>
    shards === undefined
      ? [artifactKeys.checkpoint(runId, dep.id)]
      : Array.from({ length: shards }, (_, index) =>
          artifactKeys.checkpoint(runId, dep.id, { index, count: shards })
        );
  const readAll = (keys: string[]) => Promise.all(keys.map((key) => readStored(media, key)));
  // One wave of reads: the run's plan and, alongside it, every dependency's checkpoints as the
  // registry lays them out (its shard counts); the stored plan then decides, and a dependency it
  // lays out otherwise (other shard counts) is read again.
  const planKey = artifactKeys.checkpoint(runId, first.id);
  const [storedPlan, ...guessed] = await Promise.all([
    readStored(media, planKey),
    ...deps.map((dep) => readAll(keysOf(dep, dep.fanOut?.shards))),
  ]);
  const planOutput = requireOutput(storedPlan, media, planKey, `stage ${first.id}`, def.id);
  const plan = (planOutput ?? {}) as RunPlan;
  const stages: Record<string, unknown> = { [first.id]: planOutput };

  for (const [i, dep] of deps.entries()) {
    if (dep.optional && plan.enabled?.[dep.id] === false) {
      stages[dep.id] = { skipped: true };
      continue;
    }
    let count: number | undefined;
    if (dep.fanOut) {
      const indexes = plan.shards?.[dep.id];
      if (!indexes || indexes.length === 0) {
        throw new FatalStageError(
          `stages.${first.id}.shards.${dep.id} is missing: cannot find the shards of ${dep.id}`
        );
      }
      count = indexes.length;
    }
    const keys = keysOf(dep, count);
    const read =
      count === dep.fanOut?.shards
        ? (guessed[i] as ({ output: unknown } | undefined)[])
        : await readAll(keys);
    const outputs = read.map((stored, index) =>
      requireOutput(
        stored,
        media,
        keys[index] as string,
        count === undefined ? `stage ${dep.id}` : `stage ${dep.id} shard ${index}`,
        def.id
      )
    );
    stages[dep.id] = count === undefined ? outputs[0] : outputs;
  }
  return { runId, podcastId, stages };
}
