/**
 * What the writing stages (summarize, outline, script) share around a Writer call: a zod check of
 * the writer's answer (a malformed answer is a FatalStageError naming what is wrong), the
 * WriterContext, and the provider usage the call reported, recorded on the run.
 */
import type { z } from 'zod';
import type { PodcastConfig } from '../shared/config-schema';
import { FatalStageError, PipelineError, RetryableStageError } from '../shared/errors';
import type { ProviderUsage, Writer, WriterContext } from '../shared/providers';
import type { StageContext } from '../shared/stage';
import { parseProviderAnswer } from '../shared/validation';

/** Validates a writer's answer; the error names the writer, the thing and the first problem. */
export function parseWriterAnswer<S extends z.ZodType>(
  schema: S,
  value: unknown,
  writer: Writer,
  what: string
): z.infer<S> {
  return parseProviderAnswer(schema, value, `writer "${writer.name}"`, what);
}

/**
 * Calls the writer. Pipeline errors pass through with their retry meaning; anything else a
 * provider throws (a network reset, an SDK throttle) is treated as transient.
 */
export async function callWriter<T>(writer: Writer, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof PipelineError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new FatalStageError(`writer "${writer.name}" failed on the ${what}: ${message}`, {
        cause: error,
      });
    }
    throw new RetryableStageError(`writer "${writer.name}" failed on the ${what}: ${message}`, {
      cause: error,
    });
  }
}

/** Collects the usage a writer reports during one stage unit and records it on the run. */
export class UsageCollector {
  private readonly calls: ProviderUsage[] = [];

  /** The writer's context for one call: the podcast, the date, usage collection and the unit's signal. */
  writerContext(podcast: PodcastConfig, episodeDate: string, signal?: AbortSignal): WriterContext {
    return {
      podcast,
      episodeDate,
      onUsage: (usage) => this.calls.push(usage),
      ...(signal ? { signal } : {}),
    };
  }

  /** Totals per provider/model; nothing is written when the writer reported nothing (offline). */
  async record(ctx: StageContext, unit: string): Promise<void> {
    if (this.calls.length === 0) return;
    const totals: Record<
      string,
      { calls: number; inputTokens: number; outputTokens: number; characters: number }
    > = {};
    for (const call of this.calls) {
      const name = call.model ? `${call.provider}/${call.model}` : call.provider;
      const total = (totals[name] ??= { calls: 0, inputTokens: 0, outputTokens: 0, characters: 0 });
      total.calls++;
      total.inputTokens += call.inputTokens ?? 0;
      total.outputTokens += call.outputTokens ?? 0;
      total.characters += call.characters ?? 0;
    }
    await ctx.deps.runs.recordUsage(ctx.runId, unit, { writer: totals }, ctx.deps.clock.now().toISOString());
  }
}
