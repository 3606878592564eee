/**
 * The plan (data) and the modules (code) agree: every planned stage has a module with its id, an
 * input schema whose `stages` are exactly prepare plus the plan's dependsOn, a Lambda handler
 * module joining the same plan entry and module, and (fan-out stages) the merge the lifecycle uses.
 */
import path from 'node:path';
import type { z } from 'zod';
import { FAN_OUT_MERGES } from '../../stages/fan-out-merges';
import { STAGE_IDS, STAGES, type StageId } from '../../stages/pipeline-plan';
import type { RunnableStage } from '../../stages/shared/stage';
import { STAGE_MODULES } from '../../stages/stage-modules';

/** The keys of the `stages` object an input schema reads (zod object shapes). */
function stageKeys(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  const stages = shape?.stages as { shape?: Record<string, unknown> } | undefined;
  return Object.keys(stages?.shape ?? {}).sort();
}

describe('the pipeline plan and the stage modules', () => {
  it('list the same stages, in the plan order, each module under its own id', () => {
    expect(STAGES.map((s) => s.id)).toEqual([...STAGE_IDS]);
    expect(Object.keys(STAGE_MODULES).sort()).toEqual([...STAGE_IDS].sort());
    for (const id of STAGE_IDS) expect([id, STAGE_MODULES[id].id]).toEqual([id, id]);
  });

  it.each(STAGES.filter((s) => s.dependsOn.length > 0).map((s) => [s.id, s] as const))(
    '%s reads exactly prepare and its dependsOn',
    (id, plan) => {
      expect(stageKeys(STAGE_MODULES[id as StageId].inputSchema)).toEqual(
        [...new Set(['prepare', ...plan.dependsOn])].sort()
      );
    }
  );

  it.each(STAGE_IDS.map((id) => [id]))('%s has a Lambda handler joining its plan entry and module', (id) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.resolve(__dirname, '../../stages', id, 'handler')) as {
      stage?: RunnableStage;
      handler?: unknown;
      providers?: { kind: string }[];
    };
    expect(typeof mod.handler).toBe('function');
    // It builds exactly the providers its plan names (and so bundles no other provider's code).
    expect((mod.providers ?? []).map((p) => p.kind).sort()).toEqual(
      [...(STAGES.find((s) => s.id === id)?.providers ?? [])].sort()
    );
    expect(mod.stage?.module).toBe(STAGE_MODULES[id]);
    expect(mod.stage?.id).toBe(id);
    expect(mod.stage?.retry).toEqual(STAGES.find((s) => s.id === id)?.retry);
  });

  it('gives every fan-out stage the merge its module uses, and no other stage one', () => {
    for (const plan of STAGES) {
      const merge = FAN_OUT_MERGES[plan.id as StageId];
      if (plan.fanOut)
        expect([plan.id, merge && merge === STAGE_MODULES[plan.id as StageId].merge]).toEqual([
          plan.id,
          true,
        ]);
      else
        expect([plan.id, merge, STAGE_MODULES[plan.id as StageId].merge]).toEqual([
          plan.id,
          undefined,
          undefined,
        ]);
    }
  });
});
