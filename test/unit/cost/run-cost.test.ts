import * as z from 'zod';
import type { RunnableStage } from '../../../stages/shared/stage';
import { COST_USAGE_KEY } from '../../../stages/shared/cost/estimate-cost';
import { refreshRunCost } from '../../../stages/shared/cost/run-cost';
import type { StageModule } from '../../../stages/shared/stage';
import { completeRun, failRun } from '../../../stages/shared/run-lifecycle';
import { runStageUnit } from '../../../stages/shared/stage-runner';
import { makeFakeDeps, type FakeDeps } from '../../fakes/fake-deps';

const NOW = '2026-11-23T12:00:00.000Z';
const NOVA = 'bedrock/amazon.nova-lite-v1:0';

async function depsWithRun(): Promise<FakeDeps> {
  const deps = makeFakeDeps();
  await deps.runs.claim({ runId: 'r1', podcastId: 'p1', mode: 'monolithic', inputHash: 'h', input: {} }, NOW);
  return deps;
}

/** A stage that records the usage its provider reported, as the writing stages do. */
function meteredStage(usage: Record<string, unknown> | undefined): RunnableStage {
  const module: StageModule = {
    id: 'metered',
    inputSchema: z.object({ runId: z.string() }).passthrough(),
    outputSchema: z.object({ ok: z.boolean() }),
    async run(input: { runId: string }, ctx) {
      if (usage) await ctx.deps.runs.recordUsage(input.runId, 'metered', usage, NOW);
      return { ok: true };
    },
  };
  return {
    id: 'metered',
    title: 'Metered',
    dependsOn: ['prepare'],
    runtime: 'lambda',
    timeoutSeconds: 10,
    retry: { maxAttempts: 1, intervalSeconds: 1, backoffRate: 1, maxDelaySeconds: 1, jitter: 'NONE' },
    progressWeight: 1,
    optional: false,
    lambda: { memoryMb: 256 },
    module,
  };
}

describe('refreshRunCost', () => {
  it('stores the estimate on the run record under usage.cost', async () => {
    // Prepare
    const deps = await depsWithRun();
    await deps.runs.recordUsage(
      'r1',
      'script',
      { writer: { [NOVA]: { calls: 1, inputTokens: 1000, outputTokens: 1000 } } },
      NOW
    );

    // Act
    const estimate = await refreshRunCost(deps.runs, 'r1', NOW);

    // Assess
    const run = await deps.runs.get('r1');
    expect(estimate?.estimatedCostUsd).toBe(0.0003);
    expect(run?.usage?.[COST_USAGE_KEY]).toEqual(estimate);
  });

  it('writes nothing for a run with no metered usage, nor when the stored total is already right', async () => {
    const deps = await depsWithRun();
    const before = deps.runs.writes;
    expect(await refreshRunCost(deps.runs, 'r1', NOW)).toBeUndefined();
    expect(deps.runs.writes).toBe(before);

    await deps.runs.recordUsage(
      'r1',
      'tts/0',
      { speech: { 'polly/neural': { calls: 2, characters: 1000 } } },
      NOW
    );
    await refreshRunCost(deps.runs, 'r1', NOW);
    const afterFirst = deps.runs.writes;
    await refreshRunCost(deps.runs, 'r1', NOW);
    expect(deps.runs.writes).toBe(afterFirst);
  });

  it('heals a total written from a stale read (concurrent shards)', async () => {
    const deps = await depsWithRun();
    await deps.runs.recordUsage(
      'r1',
      'tts/0',
      { speech: { 'polly/neural': { characters: 1_000_000 } } },
      NOW
    );
    await refreshRunCost(deps.runs, 'r1', NOW);
    // A sibling shard's usage lands after that total was computed.
    await deps.runs.recordUsage(
      'r1',
      'tts/1',
      { speech: { 'polly/neural': { characters: 1_000_000 } } },
      NOW
    );
    await refreshRunCost(deps.runs, 'r1', NOW);
    const run = await deps.runs.get('r1');
    expect((run?.usage?.[COST_USAGE_KEY] as { estimatedCostUsd: number }).estimatedCostUsd).toBe(32);
  });
});

describe('the end of a run records its cost', () => {
  const input = { runId: 'r1', podcastId: 'p1', stages: { prepare: {} } };
  const episode = { episodeId: '2026-11-23', guid: 'g1' };

  it('writes usage.cost when a run that recorded provider usage completes', async () => {
    const deps = await depsWithRun();
    await runStageUnit(
      meteredStage({ writer: { [NOVA]: { calls: 3, inputTokens: 20_000, outputTokens: 5000 } } }),
      input,
      deps
    );
    expect((await deps.runs.get('r1'))?.usage?.[COST_USAGE_KEY]).toBeUndefined();

    await completeRun('r1', episode, deps);

    const run = await deps.runs.get('r1');
    expect(run?.status).toBe('succeeded');
    expect(run?.usage?.[COST_USAGE_KEY]).toMatchObject({
      estimatedCostUsd: 0.0024,
      byUnit: { metered: 0.0024 },
    });
  });

  it('writes it for a failed run too', async () => {
    const deps = await depsWithRun();
    await runStageUnit(
      meteredStage({ writer: { [NOVA]: { calls: 3, inputTokens: 20_000, outputTokens: 5000 } } }),
      input,
      deps
    );
    await failRun('r1', { stage: 'metered', name: 'FatalStageError', message: 'broken' }, deps);
    expect((await deps.runs.get('r1'))?.usage?.[COST_USAGE_KEY]).toMatchObject({ estimatedCostUsd: 0.0024 });
  });

  it('leaves an offline run untouched', async () => {
    const deps = await depsWithRun();
    await runStageUnit(meteredStage(undefined), input, deps);
    await completeRun('r1', episode, deps);
    expect((await deps.runs.get('r1'))?.usage).toBeUndefined();
  });

  it('does not fail the run when the estimate cannot be written', async () => {
    const deps = await depsWithRun();
    const warnings: string[] = [];
    const quiet = () => undefined;
    deps.logger = {
      debug: quiet,
      info: quiet,
      error: quiet,
      warn: (message: string) => void warnings.push(message),
    };
    const original = deps.runs.recordUsage.bind(deps.runs);
    deps.runs.recordUsage = async (runId, unit, usage, now) => {
      if (unit === COST_USAGE_KEY) throw new Error('table unavailable');
      return original(runId, unit, usage, now);
    };
    await runStageUnit(meteredStage({ writer: { [NOVA]: { inputTokens: 1000 } } }), input, deps);
    await expect(completeRun('r1', episode, deps)).resolves.toBeUndefined();
    expect((await deps.runs.get('r1'))?.status).toBe('succeeded');
    expect(warnings).toContain('could not update the run cost estimate');
  });
});
