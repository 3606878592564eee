/**
 * A speculative first attempt (runStageUnit's `speculate`): the core starts while the write that
 * begins the unit is under way; it may read, but its writes and provider calls wait for that write
 * to confirm attempt 1. A unit that began before (a retry, a resume) is told by the same write and
 * its speculative start leaves nothing behind: no write, no provider call, no event.
 */
import { z } from 'zod';
import { artifactKeys } from '../../../stages/shared/artifact-keys';
import type { Fetcher, ProviderSet } from '../../../stages/shared/providers';
import type { RunnableStage, StageModule } from '../../../stages/shared/stage';
import { runStageUnit } from '../../../stages/shared/stage-runner';
import { runnableStage } from '../../../stages/stage-modules';
import { type FakeDeps, makeFakeDeps } from '../../fakes/fake-deps';

const RUN_ID = 'run-1';
const NEW_RUN = { runId: RUN_ID, podcastId: 'pod', mode: 'monolithic', inputHash: 'h', input: {} } as const;
const NOW = '2026-11-23T00:00:00.000Z';
const input = { runId: RUN_ID, podcastId: 'pod', stages: { prepare: { ok: true }, summarize: {} } };

/** What the stub core did, in order. */
type Step = 'read' | 'fetched' | 'wrote' | 'returned';

/** outline's place in the plan; its core reads a file, fetches a page, writes a file, returns `{ n }`. */
function stubStage(log: Step[]): RunnableStage {
  const module: StageModule = {
    id: 'outline',
    inputSchema: z.object({ stages: z.object({ prepare: z.object({ ok: z.literal(true) }) }) }),
    outputSchema: z.object({ n: z.number() }),
    async run(_input, ctx) {
      await ctx.deps.media.get('shared/source.txt');
      log.push('read');
      await ctx.deps.providers.fetcher.fetch('https://example.com/page', { kind: 'page' });
      log.push('fetched');
      await ctx.deps.media.put(
        artifactKeys.stageFile(RUN_ID, 'outline', 'out.txt'),
        `${ctx.attempt}`,
        'text/plain'
      );
      log.push('wrote');
      log.push('returned');
      return { n: ctx.attempt };
    },
  };
  return { ...runnableStage('outline'), module };
}

/** Fake deps whose unit begins wait for `release()`, counting fetches and media writes. */
function depsWithHeldBegin(): {
  deps: FakeDeps;
  release: () => void;
  fetches: () => number;
  puts: () => number;
} {
  let fetches = 0;
  const fetcher: Fetcher = {
    readsLocalFiles: false,
    fetch: async (url) => {
      fetches++;
      return { url, body: Buffer.from('page') };
    },
  };
  const deps = makeFakeDeps({ providers: { fetcher } as unknown as ProviderSet });
  let puts = 0;
  const put = deps.media.put.bind(deps.media);
  deps.media.put = async (...args) => {
    puts++;
    return put(...args);
  };
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const begin = deps.runs.beginUnitUnlessDone.bind(deps.runs);
  deps.runs.beginUnitUnlessDone = async (...args) => {
    await held;
    return begin(...args);
  };
  return { deps, release, fetches: () => fetches, puts: () => puts };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const eventTypes = async (deps: FakeDeps) => (await deps.events.list(RUN_ID)).map((e) => e.eventKey);

describe('runStageUnit: a speculative first attempt', () => {
  it('reads while its attempt is begun, and fetches and writes only once the begin confirms attempt 1', async () => {
    // Prepare
    const { deps, release, fetches } = depsWithHeldBegin();
    await deps.runs.claim(NEW_RUN, NOW);
    const log: Step[] = [];

    // Act: the begin is held; the core gets as far as its read.
    const unit = runStageUnit(stubStage(log), input, deps, { speculate: true });
    await tick();
    const beforeBegin = [...log];
    const fetchesBeforeBegin = fetches();
    release();
    const output = await unit;

    // Assess
    expect(beforeBegin).toEqual(['read']);
    expect(fetchesBeforeBegin).toBe(0);
    expect(output).toEqual({ n: 1 });
    expect(log).toEqual(['read', 'fetched', 'wrote', 'returned']);
    expect(await eventTypes(deps)).toEqual(['outline#001#stage.started', 'outline#001#stage.succeeded']);
    expect((await deps.runs.get(RUN_ID))?.doneUnits).toEqual(['outline']);
  });

  it('leaves nothing behind for a unit the run counts done: the checkpoint is reused', async () => {
    // Prepare: the unit ran once.
    const { deps, release, fetches, puts } = depsWithHeldBegin();
    await deps.runs.claim(NEW_RUN, NOW);
    release();
    await runStageUnit(stubStage([]), input, deps, { speculate: true });
    const eventsBefore = await eventTypes(deps);
    const writes = puts();
    const log: Step[] = [];

    // Act
    const output = await runStageUnit(stubStage(log), input, deps, { speculate: true });

    // Assess: the speculative core read, and was stopped at its fetch.
    expect(output).toEqual({ n: 1 });
    expect(log).toEqual(['read']);
    expect(fetches()).toBe(1);
    expect(puts()).toBe(writes);
    expect(await eventTypes(deps)).toEqual(eventsBefore);
    expect((await deps.runs.get(RUN_ID))?.stageAttempts.outline).toBe(1);
  });

  it('runs a unit that began before as its next attempt, with no event of the abandoned start', async () => {
    // Prepare: attempt 1 began and died before its checkpoint.
    const { deps, release } = depsWithHeldBegin();
    await deps.runs.claim(NEW_RUN, NOW);
    await deps.runs.beginUnit(RUN_ID, 'outline', 'outline', NOW);
    release();
    const log: Step[] = [];

    // Act
    const output = await runStageUnit(stubStage(log), input, deps, { speculate: true });

    // Assess
    expect(output).toEqual({ n: 2 });
    expect(log).toEqual(['read', 'read', 'fetched', 'wrote', 'returned']);
    expect(
      (await deps.media.get(artifactKeys.stageFile(RUN_ID, 'outline', 'out.txt')))?.body.toString()
    ).toBe('2');
    expect(await eventTypes(deps)).toEqual([
      'outline#002#stage.retried',
      'outline#002#stage.started',
      'outline#002#stage.succeeded',
    ]);
  });

  it('fails with the begin’s own error when the begin fails, having written nothing', async () => {
    // Prepare: no run record, so the begin is refused.
    const { deps, release, fetches, puts } = depsWithHeldBegin();
    release();
    const log: Step[] = [];

    // Act
    const failure = runStageUnit(stubStage(log), input, deps, { speculate: true });

    // Assess
    await expect(failure).rejects.toThrow(/run-1/);
    expect(fetches()).toBe(0);
    expect(puts()).toBe(0);
    expect(await eventTypes(deps)).toEqual([]);
  });
});
