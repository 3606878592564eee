import { currentPodcast, episodeDate, podcastConfigHash } from '../../../stages/prepare/rerun-inputs';
import type { RunInput } from '../../../stages/shared/run-input-schema';
import { makeFakeDeps } from '../../fakes/fake-deps';
import { podcastConfig } from '../../fixtures/podcast-config';

const runInput = (fields: Partial<RunInput> = {}): RunInput =>
  ({ runId: 'run-1', podcastId: 'test-pod', episode: {}, flags: {}, ...fields }) as RunInput;
const NEW_RUN = {
  runId: 'run-1',
  podcastId: 'test-pod',
  mode: 'monolithic',
  inputHash: 'h',
  input: {},
} as const;

describe('prepare on a rerun', () => {
  it('takes the config the run would use now: an inline one, else the stored one, none when unknown', async () => {
    const deps = makeFakeDeps();
    const stored = podcastConfig();
    const inline = podcastConfig({ title: 'Inline title' });

    expect(await currentPodcast(runInput(), deps)).toBeUndefined();
    await deps.podcasts.put(stored);
    expect((await currentPodcast(runInput(), deps))?.podcast).toEqual(stored);
    expect((await currentPodcast(runInput({ podcast: inline }), deps))?.podcast).toEqual(inline);
    expect(podcastConfigHash(inline)).not.toBe(podcastConfigHash(stored));
  });

  it('takes the episode date from the input, else the day the run was first created', async () => {
    const deps = makeFakeDeps();
    const created = (await deps.runs.claim(NEW_RUN, '2026-11-23T23:59:59.000Z')).run.createdAt;

    expect(await episodeDate(runInput({ episode: { date: '2026-01-02' } }), Promise.resolve(created))).toBe(
      '2026-01-02'
    );
    expect(await episodeDate(runInput(), Promise.resolve(created))).toBe('2026-11-23');
    // A later claim of the same run (a resume, a second start) keeps the record's creation date.
    deps.clock.advance(3 * 24 * 60 * 60 * 1000);
    const again = await deps.runs.claim(NEW_RUN, deps.clock.now().toISOString());
    expect(await episodeDate(runInput(), Promise.resolve(again.run.createdAt))).toBe('2026-11-23');
  });
});
