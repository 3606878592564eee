/**
 * prepare resolves a podcast config without publicBaseUrl with the deployment's public origin
 * (deps.publicOrigin) and stores the resolved config, so the feed URL stays put afterwards.
 */
import type { PrepareManifest } from '../../../stages/prepare/schema';
import { artifactKeys } from '../../../stages/shared/artifact-keys';
import type { PodcastConfig, PodcastConfigInput } from '../../../stages/shared/config-schema';
import { ValidationError } from '../../../stages/shared/errors';
import { loadRunPodcast } from '../../../stages/shared/run-context';
import { stageInputHash } from '../../../stages/shared/checkpoint';
import { runStageUnit } from '../../../stages/shared/stage-runner';
import { runnableStage } from '../../../stages/stage-modules';
import { makeFakeDeps } from '../../fakes/fake-deps';
import { podcastConfig } from '../../fixtures/podcast-config';

const prepare = runnableStage('prepare');
const ORIGIN = 'http://127.0.0.1:4566/_origin/';
const DEFAULTED = 'http://127.0.0.1:4566/_origin/podcasts/test-pod';

function withoutBaseUrl(): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...podcastConfig() };
  delete raw.publicBaseUrl;
  return raw;
}

const runInput = (runId: string, podcast?: unknown) => ({
  runId,
  podcastId: 'test-pod',
  episode: { date: '2026-11-20' },
  ...(podcast ? { podcast } : {}),
});
const stageInput = (raw: unknown, runId: string) => ({
  runId,
  podcastId: 'test-pod',
  input: raw,
  stages: {},
});

async function runPrepare(deps: ReturnType<typeof makeFakeDeps>, raw: { runId: string }) {
  return (await runStageUnit(prepare, stageInput(raw, raw.runId), deps)) as PrepareManifest;
}

async function failure(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('prepare: publicBaseUrl defaults to the public origin', () => {
  it('an inline config without it: stored and snapshotted as <origin>/podcasts/<podcastId>', async () => {
    const deps = makeFakeDeps({ publicOrigin: ORIGIN });
    const raw = runInput('run-1', withoutBaseUrl());

    const manifest = await runPrepare(deps, raw);

    expect((await deps.podcasts.get('test-pod'))?.publicBaseUrl).toBe(DEFAULTED);
    expect(deps.media.json<PodcastConfig>(manifest.configKey).publicBaseUrl).toBe(DEFAULTED);
    expect((await loadRunPodcast(manifest, deps)).publicBaseUrl).toBe(DEFAULTED);
    // The checkpoint hashes the config the run uses: the resolved one.
    const checkpoint = deps.media.json<{ inputHash: string }>(artifactKeys.checkpoint('run-1', 'prepare'));
    expect(checkpoint.inputHash).toBe(
      stageInputHash(prepare, stageInput(raw, 'run-1'), { configHash: manifest.configHash })
    );
  });

  it('a stored config without it (put by hand): filled in once, then kept whatever the origin', async () => {
    const deps = makeFakeDeps({ publicOrigin: 'https://d123.cloudfront.net' });
    deps.podcasts.podcasts.set('test-pod', withoutBaseUrl() as PodcastConfigInput);

    const first = await runPrepare(deps, runInput('run-1'));
    const url = 'https://d123.cloudfront.net/podcasts/test-pod';
    expect((await deps.podcasts.get('test-pod'))?.publicBaseUrl).toBe(url);
    expect(deps.media.json<PodcastConfig>(first.configKey).publicBaseUrl).toBe(url);

    const moved = { ...deps, publicOrigin: 'https://d999.cloudfront.net' };
    const second = await runPrepare(moved, runInput('run-2'));
    expect(deps.media.json<PodcastConfig>(second.configKey).publicBaseUrl).toBe(url);
    expect(second.configHash).toBe(first.configHash);
  });

  it("a config's own publicBaseUrl wins over the origin", async () => {
    const deps = makeFakeDeps({ publicOrigin: ORIGIN });
    await deps.podcasts.put(podcastConfig());
    const manifest = await runPrepare(deps, runInput('run-1'));
    expect(deps.media.json<PodcastConfig>(manifest.configKey).publicBaseUrl).toBe(
      'https://podcasts.example.com/test-pod'
    );
  });

  it('an inline config without it and no origin: a ValidationError naming it; nothing but the rejected run stored', async () => {
    const deps = makeFakeDeps();

    const error = await failure(runPrepare(deps, runInput('run-1', withoutBaseUrl())));

    expect(error.field).toBe('input.podcast.publicBaseUrl');
    expect(error.message).toMatch(
      /^input\.podcast\.publicBaseUrl: not set.*set publicBaseUrl in the podcast config, run under `npm run serve`, or set PUBLIC_ORIGIN_URL/
    );
    expect(deps.podcasts.podcasts.size).toBe(0);
    expect(await deps.runs.get('run-1')).toMatchObject({
      status: 'failed',
      error: { stage: 'prepare', name: 'ValidationError', message: error.message },
    });
    expect(deps.media.objects.size).toBe(0);
    expect(await deps.events.list('run-1')).toEqual([]);
  });

  it('a stored config without it and no origin: a ValidationError naming it; the stored config untouched', async () => {
    const deps = makeFakeDeps();
    deps.podcasts.podcasts.set('test-pod', withoutBaseUrl() as PodcastConfigInput);

    const error = await failure(runPrepare(deps, runInput('run-1')));

    expect(error.field).toBe('podcast "test-pod".publicBaseUrl');
    expect((await deps.podcasts.get('test-pod'))?.publicBaseUrl).toBeUndefined();
    expect((await deps.runs.get('run-1'))?.status).toBe('failed');
    expect(deps.media.objects.size).toBe(0);
  });
});
