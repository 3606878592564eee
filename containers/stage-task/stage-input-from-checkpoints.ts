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

async function readOutput(
  media: ArtifactStore,
  key: string,
  what: string,
  forStage: string
): Promise<unknown> {
  const stored = await getJsonIfExists<StoredCheckpoint>(media, key);
  if (!stored || typeof stored !== 'object' || !('output' in stored)) {
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
  const planOutput = await readOutput(
    media,
    artifactKeys.checkpoint(runId, first.id),
    `stage ${first.id}`,
    def.id
  );
  const plan = (planOutput ?? {}) as RunPlan;
  const stages: Record<string, unknown> = { [first.id]: planOutput };

  for (const depId of def.dependsOn) {
    if (depId === first.id) continue;
    const dep = registry.find((s) => s.id === depId);
    if (!dep) throw new FatalStageError(`stage "${def.id}" depends on unknown stage "${depId}"`);
    if (dep.optional && plan.enabled?.[dep.id] === false) {
      stages[dep.id] = { skipped: true };
    } else if (dep.fanOut) {
      const indexes = plan.shards?.[dep.id];
      if (!indexes || indexes.length === 0) {
        throw new FatalStageError(
          `stages.${first.id}.shards.${dep.id} is missing: cannot find the shards of ${dep.id}`
        );
      }
      const shardKey = (index: number) =>
        artifactKeys.checkpoint(runId, dep.id, { index, count: indexes.length });
      stages[dep.id] = await Promise.all(
        indexes.map((index) => readOutput(media, shardKey(index), `stage ${dep.id} shard ${index}`, def.id))
      );
    } else {
      stages[dep.id] = await readOutput(
        media,
        artifactKeys.checkpoint(runId, dep.id),
        `stage ${dep.id}`,
        def.id
      );
    }
  }
  return { runId, podcastId, stages };
}
