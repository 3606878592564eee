/** A small registry of stub stages with the real lifecycle, for engine tests (Temporal's mocked activities). */
import { z } from 'zod';
import type { RetryPolicy } from '../../stages/pipeline-plan';
import type { RunnableStage } from '../../stages/shared/stage';
import { FatalStageError, RetryableStageError } from '../../stages/shared/errors';
import type { StageInput, StageModule } from '../../stages/shared/stage';

export const fastRetry: RetryPolicy = {
  maxAttempts: 3,
  intervalSeconds: 1,
  backoffRate: 2,
  maxDelaySeconds: 5,
  jitter: 'FULL',
};

export interface StubBehaviour {
  /** Per unit: errors to throw on successive attempts before succeeding ('retryable' | 'fatal'). */
  failures?: Record<string, ('retryable' | 'fatal')[]>;
  delayMs?: Record<string, number>;
  enabled?: Record<string, boolean>;
}

export interface StubLog {
  calls: string[];
  active: number;
  maxActive: Record<string, number>;
  inFlight: Record<string, number>;
}

function stubModule(
  id: string,
  behaviour: StubBehaviour,
  log: StubLog,
  first: boolean,
  shards?: number
): StageModule {
  const attempts: Record<string, number> = {};
  return {
    id,
    inputSchema: z.object({ runId: z.string() }).passthrough(),
    outputSchema: z.unknown(),
    ...(first
      ? {
          claim: async (input: StageInput, deps) => {
            await deps.runs.claim(
              {
                runId: input.runId,
                podcastId: input.podcastId,
                mode: 'monolithic',
                inputHash: 'h',
                input: null,
              },
              deps.clock.now().toISOString()
            );
            return { value: undefined, begun: Promise.resolve(undefined) };
          },
        }
      : {}),
    async run(input: StageInput) {
      const unit = input.shard ? `${id}/${input.shard.index}` : id;
      log.calls.push(unit);
      log.inFlight[id] = (log.inFlight[id] ?? 0) + 1;
      log.maxActive[id] = Math.max(log.maxActive[id] ?? 0, log.inFlight[id] ?? 0);
      try {
        await new Promise((r) => setTimeout(r, behaviour.delayMs?.[id] ?? 5));
        const attempt = (attempts[unit] = (attempts[unit] ?? 0) + 1);
        const failure = behaviour.failures?.[unit]?.[attempt - 1];
        if (failure === 'retryable') throw new RetryableStageError(`${unit} flaked`);
        if (failure === 'fatal') throw new FatalStageError(`${unit} is broken`);
        if (first) {
          return {
            enabled: behaviour.enabled ?? {},
            shards: { fan: Array.from({ length: shards ?? 3 }, (_, i) => i) },
            episode: { episodeId: 'e1', guid: 'g1' },
          };
        }
        return { unit, seen: Object.keys(input.stages).sort() };
      } finally {
        log.inFlight[id] = (log.inFlight[id] ?? 1) - 1;
      }
    },
    merge: (parts: unknown[]) => ({ parts: parts.length }),
  };
}

/** first -> (left, fan[3 shards, max 2]) -> join(optional extra) -> publish */
export function stubRegistry(behaviour: StubBehaviour = {}): { stages: RunnableStage[]; log: StubLog } {
  const log: StubLog = { calls: [], active: 0, maxActive: {}, inFlight: {} };
  const def = (id: string, dependsOn: string[], extra: Partial<RunnableStage> = {}): RunnableStage => ({
    id,
    title: id,
    dependsOn,
    runtime: 'lambda',
    timeoutSeconds: 5,
    retry: fastRetry,
    progressWeight: 1,
    optional: false,
    lambda: { memoryMb: 128 },
    module: stubModule(id, behaviour, log, dependsOn.length === 0, extra.fanOut?.shards),
    ...extra,
  });
  const stages = [
    def('first', []),
    def('left', ['first']),
    def('fan', ['first'], { fanOut: { shards: 3, maxConcurrency: 2 } }),
    def('extra', ['left'], { optional: true }),
    def('publish', ['left', 'fan', 'extra']),
  ];
  // publish's manifest must carry the episode the run completes with.
  const publishModule = stages[4]!.module;
  stages[4] = {
    ...stages[4]!,
    module: {
      ...publishModule,
      run: async (input, ctx, claimed) => ({
        ...((await publishModule.run(input, ctx, claimed)) as object),
        episodeId: 'e1',
        guid: 'g1',
      }),
    },
  };
  return { stages, log };
}
