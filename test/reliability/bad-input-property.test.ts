/**
 * Bad input, property-based: thousands of generated run inputs and podcast configs (valid,
 * slightly broken, garbage) through prepare's real lifecycle (runStageUnit) on in-memory fakes.
 * Every one is accepted, or rejected with a ValidationError whose message names a field; nothing
 * else is ever thrown; a rejected input leaves no write but the failed run record (no artifacts,
 * no events, no episode; the podcast record only when the whole input was valid, e.g. a runId
 * reused with another input).
 */
import fc from 'fast-check';
import { prepareOutputSchema } from '../../stages/prepare/schema';
import { runnableStage } from '../../stages/stage-modules';
import { ValidationError } from '../../stages/shared/errors';
import { runInputSchema } from '../../stages/shared/run-input-schema';
import type { StageInput } from '../../stages/shared/stage';
import { runStageUnit } from '../../stages/shared/stage-runner';
import { type FakeDeps, makeFakeDeps } from '../fakes/fake-deps';
import { podcastConfig } from '../fixtures/podcast-config';
import { type InputCase, runInputCaseArb, STORED_PODCAST_ID } from '../helpers/fault-injection-inputs';

const prepare = runnableStage('prepare');
const NUM_RUNS = 1200;

const field = (raw: unknown, name: string): unknown =>
  raw !== null && typeof raw === 'object' && !Array.isArray(raw)
    ? (raw as Record<string, unknown>)[name]
    : undefined;

/** The state every port holds, as comparable JSON. */
function snapshot(deps: FakeDeps) {
  const entries = <V>(map: Map<string, V>) => [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    runs: new Map(deps.runs.runs),
    events: JSON.stringify(entries(deps.events.events)),
    episodes: JSON.stringify(entries(deps.episodes.episodes)),
    podcasts: JSON.stringify(entries(deps.podcasts.podcasts)),
    media: [...deps.media.objects.keys()].sort(),
    feeds: [...deps.feeds.objects.keys()].sort(),
  };
}

/** The last named segment of a field path (`input.podcast.hosts.0.id` -> `id`). */
const leafOf = (path: string) =>
  path
    .split('.')
    .filter((s) => s && !/^\d+$/.test(s))
    .pop() ?? path;

interface Observation {
  kind: InputCase['kind'];
  outcome: 'accepted' | 'rejected';
}

describe('prepare on generated input', () => {
  const seen: Observation[] = [];

  it(`accepts or rejects with a ValidationError naming a field, and writes nothing else on rejection (${NUM_RUNS} inputs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        runInputCaseArb(),
        fc.constantFrom('monolithic', 'distributed'),
        fc.nat(3).map((n) => n === 0),
        async (generated, mode, reusedRunId) => {
          // Prepare
          const deps = makeFakeDeps();
          await deps.podcasts.put(podcastConfig({ podcastId: STORED_PODCAST_ID }));
          const runId = field(generated.raw, 'runId');
          const seeded = reusedRunId && typeof runId === 'string' && runId.length > 0;
          if (seeded)
            await deps.runs.claim(
              { runId, podcastId: STORED_PODCAST_ID, mode, inputHash: 'an-earlier-input', input: {} },
              '2026-11-01T00:00:00.000Z'
            );
          const stageInput = {
            runId,
            podcastId: field(generated.raw, 'podcastId'),
            input: generated.raw,
            stages: {},
            mode,
          } as StageInput;
          const before = snapshot(deps);

          // Act
          let error: unknown;
          let output: unknown;
          try {
            output = await runStageUnit(prepare, stageInput, deps);
          } catch (caught) {
            error = caught;
          }

          // Assess
          seen.push({ kind: generated.kind, outcome: error === undefined ? 'accepted' : 'rejected' });
          if (generated.kind === 'valid' && !seeded) expect(error).toBeUndefined();
          if (error === undefined) {
            expect(prepareOutputSchema.safeParse(output).success).toBe(true);
            expect((await deps.runs.get(runId as string))?.status).toBe('running');
            return;
          }
          expect(error).toBeInstanceOf(ValidationError);
          const { field: named, message } = error as ValidationError;
          expect(typeof named === 'string' && named.length > 0).toBe(true);
          expect(message).toContain(leafOf(named as string));
          expect(named).not.toMatch(/^prepare output/);
          expect(message).not.toMatch(/\n\s+at /);

          const after = snapshot(deps);
          expect(after.events).toBe(before.events);
          expect(after.episodes).toBe(before.episodes);
          expect(after.media).toEqual(before.media);
          expect(after.feeds).toEqual(before.feeds);
          if (!runInputSchema.safeParse(generated.raw).success) expect(after.podcasts).toBe(before.podcasts);
          for (const [id, run] of after.runs) {
            if (before.runs.has(id)) expect(run).toEqual(before.runs.get(id));
            else {
              expect(id).toBe(runId);
              expect(run).toMatchObject({
                status: 'failed',
                error: { stage: 'prepare', name: 'ValidationError', message },
              });
            }
          }
        }
      ),
      { numRuns: NUM_RUNS }
    );

    // The generators reach every outcome: valid inputs accepted, broken and garbage ones mostly rejected.
    const count = (kind: InputCase['kind'], outcome: Observation['outcome']) =>
      seen.filter((o) => o.kind === kind && o.outcome === outcome).length;
    expect(count('valid', 'accepted')).toBeGreaterThan(NUM_RUNS / 20);
    expect(count('broken', 'rejected')).toBeGreaterThan(NUM_RUNS / 5);
    expect(count('broken', 'accepted')).toBeGreaterThan(0);
    expect(count('garbage', 'rejected')).toBeGreaterThan(NUM_RUNS / 20);
  });
});
