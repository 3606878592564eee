/**
 * What a hostile source can make the pipeline write about itself stays small: the reason a source
 * or story was skipped, and every string of a skip event's detail. They travel into events
 * (DynamoDB items stop at 400 KB), stage manifests (Step Functions payloads stop at 256 KB, and
 * scrape may skip 20 stories) and the run record. A redirect's Location alone may be 16 KB.
 */
import { FatalStageError } from '../../../stages/shared/errors';
import type { PipelineEvent } from '../../../stages/shared/ports';
import type { FetchedDocument, Fetcher } from '../../../stages/shared/providers';
import { fetchSource, MAX_SKIP_TEXT_CHARS, recordSkipped } from '../../../stages/shared/source-fetch';
import type { StageContext } from '../../../stages/shared/stage';

const failing = (message: string): Fetcher => ({
  readsLocalFiles: false,
  fetch: (): Promise<FetchedDocument> => Promise.reject(new FatalStageError(message)),
});

it('bounds the reason a source is given up with', async () => {
  const hop = `https://x.example/${'a'.repeat(16_000)}?token=abc`;
  const outcome = await fetchSource(
    failing(`GET ${hop} failed: HTTP 404 Not Found`),
    'https://x.example/feed',
    { kind: 'feed' }
  );
  expect(outcome.ok).toBe(false);
  if (outcome.ok) return;
  expect(outcome.reason.length).toBeLessThanOrEqual(MAX_SKIP_TEXT_CHARS);
  expect(outcome.reason).toMatch(/^GET https:\/\/x\.example\/a+…$/);
  const short = await fetchSource(
    failing('GET https://x.example/s failed: HTTP 404 Not Found'),
    'https://x.example/s',
    { kind: 'page' }
  );
  expect(short).toEqual({
    ok: false,
    reason: 'GET https://x.example/s failed: HTTP 404 Not Found',
    transient: false,
  });
});

it("bounds every string of a skip event's detail", async () => {
  const events: PipelineEvent[] = [];
  const ctx = {
    runId: 'run-1',
    attempt: 1,
    deps: {
      events: { append: async (event: PipelineEvent) => (events.push(event), true) },
      clock: { now: () => new Date('2026-11-23T00:00:00Z') },
    },
  } as unknown as StageContext;
  await recordSkipped(ctx, 'scrape', 'story.skipped', 's1', {
    url: 'https://x.example/ok',
    title: 't'.repeat(50_000),
    reason: 'r'.repeat(50_000),
    attempts: 3,
  });
  expect(events).toHaveLength(1);
  const detail = events[0]?.detail ?? {};
  expect(detail).toMatchObject({ id: 's1', url: 'https://x.example/ok', attempts: 3 });
  expect(String(detail.title)).toHaveLength(MAX_SKIP_TEXT_CHARS);
  expect(String(detail.reason)).toHaveLength(MAX_SKIP_TEXT_CHARS);
});
