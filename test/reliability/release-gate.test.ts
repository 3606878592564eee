/**
 * The release gate in the pipeline, both modes: an episode that breaks a rule fails the run at
 * publish with ReleaseGateError naming the rule, and nothing is published (no episode record, no
 * feed, no public media of the episode). A bad category never gets that far: prepare refuses it.
 */
import { artifactKeys } from '../../stages/shared/artifact-keys';
import type { PodcastConfig } from '../../stages/shared/config-schema';
import type { AudioMixer } from '../../stages/shared/providers';
import { showCoverKey } from '../../stages/shared/public-urls';
import { type FakeDeps, makeFakeDeps } from '../fakes/fake-deps';
import {
  DATE,
  faultScenario,
  MODES,
  pipelineInput,
  RUN_ID,
  runInMode,
} from '../helpers/fault-injection-harness';
import { headerOnlyPng, quickMixer, quickProviders } from '../helpers/fault-injection-providers';

const scenario = faultScenario();

/** A mixer whose MP3 measures 8 LU too quiet. */
const quietMixer: AudioMixer = {
  async mix(clips, options) {
    const mixed = await quickMixer.mix(clips, options);
    return { ...mixed, loudness: { integratedLufs: -24, truePeakDbtp: -9 } };
  },
};

async function nothingPublished(deps: FakeDeps, podcast: PodcastConfig): Promise<void> {
  expect(await deps.episodes.listByPodcast(podcast.podcastId)).toEqual([]);
  expect(await deps.feeds.get(artifactKeys.feed(podcast.podcastId))).toBeUndefined();
  expect(await deps.media.list(`podcasts/${podcast.podcastId}/episodes/`)).toEqual([]);
}

describe.each(MODES)('the release gate, %s', (mode) => {
  it('fails the run at publish when the podcast has no owner email', async () => {
    const deps = makeFakeDeps({ providers: quickProviders() });
    const { ownerEmail: _dropped, ...podcast } = scenario.podcast();

    const outcome = await runInMode(mode, deps, pipelineInput(RUN_ID, DATE, podcast as PodcastConfig));

    expect(outcome.status).toBe('failed');
    expect(await deps.runs.get(RUN_ID)).toMatchObject({
      status: 'failed',
      error: { stage: 'publish', name: 'ReleaseGateError', message: expect.stringMatching(/owner-email: /) },
    });
    await nothingPublished(deps, podcast as PodcastConfig);
  });

  it('fails the run at publish when the mix is too quiet', async () => {
    const deps = makeFakeDeps({ providers: { ...quickProviders(), mixer: quietMixer } });

    await runInMode(mode, deps, pipelineInput(RUN_ID, DATE, scenario.podcast()));

    const run = await deps.runs.get(RUN_ID);
    expect(run?.error).toMatchObject({ stage: 'publish', name: 'ReleaseGateError' });
    expect(run?.error?.message).toMatch(/loudness: the MP3 measures -24 LUFS, 8\.0 LU from -16/);
    await nothingPublished(deps, scenario.podcast());
  });

  it('fails the run at publish when the show cover left by an earlier run is 1000 px', async () => {
    const deps = makeFakeDeps({ providers: quickProviders() });
    await deps.media.put(showCoverKey(scenario.podcast()), headerOnlyPng(1000, 1000, 2), 'image/png');

    await runInMode(mode, deps, pipelineInput(RUN_ID, DATE, scenario.podcast()));

    expect((await deps.runs.get(RUN_ID))?.error).toMatchObject({
      stage: 'publish',
      name: 'ReleaseGateError',
      message: expect.stringMatching(/show-artwork: the show cover is 1000x1000 pixels/),
    });
    await nothingPublished(deps, scenario.podcast());
  });

  it('refuses a category outside Apple’s list at prepare, naming the field', async () => {
    const deps = makeFakeDeps({ providers: quickProviders() });
    const podcast = { ...scenario.podcast(), category: 'Gadgets' };

    const outcome = await runInMode(mode, deps, pipelineInput(RUN_ID, DATE, podcast));

    expect(outcome.status).toBe('failed');
    expect((await deps.runs.get(RUN_ID))?.error).toMatchObject({
      stage: 'prepare',
      name: 'ValidationError',
      message: expect.stringMatching(/category: "Gadgets" is not an Apple Podcasts category/),
    });
    await nothingPublished(deps, podcast);
  });
});
