/**
 * How stages read untrusted sources: a few quick attempts for transient faults, then the source is
 * given up with a reason instead of failing the stage (one bad source never blocks an episode).
 * The stage decides whether what is left is enough; `story.skipped` / `source.skipped` events
 * record each one given up, with deterministic keys so a retried write cannot duplicate them.
 */
import { FatalStageError, RetryableStageError, describeError } from './errors';
import { emit, eventKey } from './events';
import type { PipelineEventType } from './ports';
import type { FetchedDocument, Fetcher, FetchRequest } from './providers';
import type { StageContext } from './stage';

/** Attempts per source within one stage attempt (transient faults only). */
export const SOURCE_FETCH_ATTEMPTS = 3;
/** Wait before the second attempt; doubled for each later one. */
export const SOURCE_RETRY_BASE_MS = 250;
/**
 * Longest skip reason, and longest string in a skip event's detail. What a hostile source says
 * (a 16 KB redirect target, a quoted tag name) travels into events (DynamoDB items stop at
 * 400 KB), stage manifests (Step Functions payloads stop at 256 KB) and the run record.
 */
export const MAX_SKIP_TEXT_CHARS = 1000;

/** `text` cut to `max` characters, an ellipsis marking the cut. */
function bounded(text: string, max = MAX_SKIP_TEXT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export type SourceOutcome<T> = { ok: true; value: T } | { ok: false; reason: string; transient: boolean };

/** Fetches with up to SOURCE_FETCH_ATTEMPTS tries on RetryableStageError; other errors end it at once. */
export async function fetchSource(
  fetcher: Fetcher,
  url: string,
  request: FetchRequest,
  options: { attempts?: number; baseDelayMs?: number } = {}
): Promise<SourceOutcome<FetchedDocument>> {
  const attempts = options.attempts ?? SOURCE_FETCH_ATTEMPTS;
  const base = options.baseDelayMs ?? SOURCE_RETRY_BASE_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await fetcher.fetch(url, request) };
    } catch (error) {
      const transient = error instanceof RetryableStageError;
      if (!(error instanceof FatalStageError) && !transient) throw error;
      if (!transient || attempt >= attempts || request.signal?.aborted) {
        const suffix = transient ? ` (after ${attempt} attempts)` : '';
        return {
          ok: false,
          reason: bounded(describeError(error).message, MAX_SKIP_TEXT_CHARS - suffix.length) + suffix,
          transient,
        };
      }
      await pause(base * 2 ** (attempt - 1), request.signal);
    }
  }
}

/** Waits `ms`, or less when `signal` aborts (the caller then sees the signal and stops). */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Records that a story or a source was given up (`<stage>#<attempt>#<type>#<id>`). */
export async function recordSkipped(
  ctx: StageContext,
  stage: string,
  type: Extract<PipelineEventType, 'story.skipped' | 'source.skipped'>,
  id: string,
  detail: Record<string, unknown>
): Promise<void> {
  await emit(
    ctx.deps.events,
    ctx.runId,
    eventKey(stage, ctx.attempt, type, id),
    type,
    ctx.deps.clock.now().toISOString(),
    {
      stage,
      unit: stage,
      attempt: ctx.attempt,
      detail: Object.fromEntries(
        Object.entries({ id, ...detail }).map(([key, value]) => [
          key,
          typeof value === 'string' ? bounded(value) : value,
        ])
      ),
    }
  );
}
