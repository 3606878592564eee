import type { PrepareManifest } from '../../../stages/prepare/schema';
import { ValidationError } from '../../../stages/shared/errors';
import { runStageUnit } from '../../../stages/shared/stage-runner';
import { runnableStage } from '../../../stages/stage-modules';
import { makeFakeDeps } from '../../fakes/fake-deps';
import { podcastConfig } from '../../fixtures/podcast-config';

const prepare = runnableStage('prepare');
const input = (raw: unknown, runId = 'run-1') => ({ runId, podcastId: 'test-pod', input: raw, stages: {} });

describe('prepare', () => {
  it('claims the run, snapshots the config and fixes the episode identity', async () => {
    // Prepare
    const deps = makeFakeDeps();
    await deps.podcasts.put(podcastConfig());

    // Act
    const manifest = (await runStageUnit(
      prepare,
      input({ runId: 'run-1', podcastId: 'test-pod', episode: { date: '2026-11-20' } }),
      deps
    )) as PrepareManifest;

    // Assess
    expect(manifest.episode).toMatchObject({ episodeId: '2026-11-20', date: '2026-11-20' });
    expect(manifest.episode.guid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    );
    expect(manifest.enabled).toMatchObject({ artwork: true, review: true, tts: true });
    expect(manifest.shards).toEqual({ summarize: [0, 1, 2, 3], tts: [0, 1, 2, 3] });
    expect(deps.media.json(manifest.configKey)).toMatchObject({ podcastId: 'test-pod' });
    expect((await deps.runs.get('run-1'))?.status).toBe('running');
    expect((await deps.events.list('run-1')).map((e) => e.type)).toEqual([
      'run.started',
      'stage.started',
      'stage.succeeded',
    ]);
  });

  it('gives the same GUID for the same podcast and date in another run', async () => {
    const deps = makeFakeDeps();
    await deps.podcasts.put(podcastConfig());
    const raw = (runId: string) => ({ runId, podcastId: 'test-pod', episode: { date: '2026-11-20' } });
    const a = (await runStageUnit(prepare, input(raw('run-a'), 'run-a'), deps)) as {
      episode: { guid: string };
    };
    const b = (await runStageUnit(prepare, input(raw('run-b'), 'run-b'), deps)) as {
      episode: { guid: string };
    };
    expect(a.episode.guid).toBe(b.episode.guid);
  });

  it('defaults the episode date to the clock and stores an inline podcast config', async () => {
    const deps = makeFakeDeps();
    const manifest = (await runStageUnit(
      prepare,
      input({ runId: 'run-1', podcastId: 'test-pod', podcast: podcastConfig() }),
      deps
    )) as { episode: { date: string } };
    expect(manifest.episode.date).toBe('2026-11-23');
    expect(await deps.podcasts.get('test-pod')).toBeDefined();
  });

  it('rejects file: feeds outside the embedded local mode, inline or stored, before claiming the run', async () => {
    const local = {
      ...podcastConfig(),
      sources: [{ id: 'news', name: 'News', feedUrl: 'file:///srv/feeds/a.xml', weight: 1 }],
    };
    const inline = makeFakeDeps();
    const error = await runStageUnit(
      prepare,
      input({ runId: 'run-1', podcastId: 'test-pod', podcast: local }),
      inline
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(
      /^input\.podcast\.sources\.0\.feedUrl: file: feeds are read only in the embedded local mode/
    );
    expect(await inline.podcasts.get('test-pod')).toBeUndefined();
    expect((await inline.runs.get('run-1'))?.status).toBe('failed');

    const stored = makeFakeDeps();
    await stored.podcasts.put(local);
    await expect(
      runStageUnit(prepare, input({ runId: 'run-2', podcastId: 'test-pod' }, 'run-2'), stored)
    ).rejects.toThrow(/podcast "test-pod"\.sources\.0\.feedUrl: file: feeds/);

    const embedded = makeFakeDeps({
      providers: {
        ...stored.providers,
        fetcher: { readsLocalFiles: true, fetch: async () => Promise.reject(new Error('unused')) },
      },
    });
    await embedded.podcasts.put(local);
    await expect(
      runStageUnit(prepare, input({ runId: 'run-3', podcastId: 'test-pod' }, 'run-3'), embedded)
    ).resolves.toBeDefined();
  });

  it.each([
    [{ runId: 'run-1', podcastId: 'test-pod', episode: { date: '23/11/2026' } }, /input\.episode\.date/],
    [{ runId: 'run-1', podcastId: 'test-pod', surprise: 1 }, /input: .*surprise/],
    [{ runId: 'run-1' }, /input\.podcastId/],
    [{ runId: 'run-1', podcastId: 'nobody-here' }, /unknown podcast "nobody-here"/],
    [
      { runId: 'run-1', podcastId: 'test-pod', flags: { enable: { tts: false } } },
      /flags\.enable\.tts: stage "tts" cannot be disabled/,
    ],
    [
      { runId: 'run-1', podcastId: 'test-pod', flags: { enable: { nope: false } } },
      /flags\.enable\.nope: unknown stage/,
    ],
  ])('rejects bad input %j with a ValidationError naming the field', async (raw, message) => {
    const deps = makeFakeDeps();
    await deps.podcasts.put(podcastConfig());
    const error = await runStageUnit(prepare, input(raw), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
  });

  it('leaves only the failed run behind for bad input', async () => {
    const deps = makeFakeDeps();
    await expect(
      runStageUnit(prepare, input({ runId: 'run-1', podcastId: 'nobody-here' }), deps)
    ).rejects.toThrow(ValidationError);
    expect(await deps.runs.get('run-1')).toMatchObject({
      status: 'failed',
      error: { stage: 'prepare', name: 'ValidationError' },
    });
    expect(deps.media.objects.size).toBe(0);
    expect(await deps.events.list('run-1')).toEqual([]);
  });

  it('rejects reusing a runId with a different input', async () => {
    const deps = makeFakeDeps();
    await deps.podcasts.put(podcastConfig());
    await runStageUnit(
      prepare,
      input({ runId: 'run-1', podcastId: 'test-pod', episode: { date: '2026-11-20' } }),
      deps
    );
    await expect(
      runStageUnit(
        prepare,
        input({ runId: 'run-1', podcastId: 'test-pod', episode: { date: '2026-11-21' } }),
        deps
      )
    ).rejects.toThrow(/already used with a different input/);
  });
});
