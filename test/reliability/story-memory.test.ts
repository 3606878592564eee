/**
 * Story memory, end to end in both modes (the monolithic engine, and the committed state machine
 * with the real handlers): a second run of unchanged sources a week later finds every story
 * covered by the first episode and ends `skipped` (the run record says why, one run.skipped, no
 * episode record, the feed byte-for-byte unchanged with its one item); a source that marks a
 * covered story updated gets it chosen again, and that episode's record keeps it.
 */
import { createProviders } from '../../stages/shared/adapters/create-providers';
import type { PodcastConfig } from '../../stages/shared/config-schema';
import type { Fetcher } from '../../stages/shared/providers';
import { makeFakeDeps, type FakeDeps } from '../fakes/fake-deps';
import { EXAMPLE_FETCH_POLICY } from '../fixtures/example-fetch-policy';
import { quickProviders } from '../helpers/fault-injection-providers';
import {
  cloneFakeDeps,
  feedGuids,
  feedXml,
  MODES,
  ofType,
  PODCAST_ID,
  pipelineInput,
  runInMode,
  smallPodcast,
} from '../helpers/fault-injection-harness';

/** The day every item of The Silicon Ledger is out (its newest is dated 2026-11-25). */
const FIRST = '2026-11-25';
const WEEK_LATER = '2026-12-02';
const runId = (date: string) => `${PODCAST_ID}-${date}`;

/** The example cut to one feed whose four stories one episode covers. */
async function oneFeedPodcast(): Promise<PodcastConfig> {
  const small = await smallPodcast();
  return {
    ...small,
    sources: small.sources.filter((s) => s.id === 'silicon-ledger'),
    maxStories: 4,
    targetMinutes: 3,
  };
}

/** The example's fetcher, with texts of The Silicon Ledger's feed replaced (the source marking updates). */
function updatingFetcher(replacements: readonly [from: string, to: string][]): Fetcher {
  const { fetcher } = createProviders({ fetchPolicy: EXAMPLE_FETCH_POLICY });
  return {
    readsLocalFiles: fetcher.readsLocalFiles,
    async fetch(url, request) {
      const fetched = await fetcher.fetch(url, request);
      if (!url.endsWith('silicon-ledger.xml')) return fetched;
      let feed = fetched.body.toString('utf8');
      for (const [from, to] of replacements) {
        if (!feed.includes(from)) throw new Error(`the feed no longer holds ${from}`);
        feed = feed.replace(from, to);
      }
      return { ...fetched, body: Buffer.from(feed) };
    },
  };
}

let podcast: PodcastConfig;
/** Per mode: the state after the first episode was published (each case starts from a copy). */
const published: Partial<Record<(typeof MODES)[number], FakeDeps>> = {};

beforeAll(async () => {
  podcast = await oneFeedPodcast();
});

describe.each(MODES)('%s mode', (mode) => {
  const afterFirstEpisode = async (): Promise<FakeDeps> => {
    if (!published[mode]) {
      const deps = makeFakeDeps({ providers: quickProviders() });
      expect(await runInMode(mode, deps, pipelineInput(runId(FIRST), FIRST, podcast))).toEqual({
        status: 'succeeded',
      });
      published[mode] = deps;
    }
    return cloneFakeDeps(published[mode]);
  };

  it('ends a second run of unchanged sources a week later skipped, publishing nothing: the feed keeps one item', async () => {
    // Prepare: the first episode covered all four stories of the feed
    const deps = await afterFirstEpisode();
    const first = await deps.episodes.get(PODCAST_ID, FIRST);
    expect(first?.stories).toHaveLength(4);
    const feedBefore = feedXml(deps);
    expect(feedGuids(feedBefore)).toEqual([first?.guid]);

    // Act
    const outcome = await runInMode(mode, deps, pipelineInput(runId(WEEK_LATER), WEEK_LATER, podcast));

    // Assess
    expect(outcome).toEqual({ status: 'skipped' });
    const reason = `no new stories: all 4 candidates were covered in episode ${FIRST}`;
    expect(await deps.runs.get(runId(WEEK_LATER))).toMatchObject({
      status: 'skipped',
      skipped: { stage: 'discover', reason },
      progressPercent: 100,
    });
    const events = await deps.events.list(runId(WEEK_LATER));
    expect(ofType(events, 'run.skipped').map((e) => [e.stage, e.detail])).toEqual([['discover', { reason }]]);
    expect(ofType(events, 'run.succeeded')).toEqual([]);
    expect(ofType(events, 'run.failed')).toEqual([]);
    // Nothing after discover ran; nothing was published.
    expect(ofType(events, 'stage.started').map((e) => e.unit)).toEqual(['prepare', 'discover']);
    expect((await deps.episodes.listByPodcast(PODCAST_ID)).map((e) => e.episodeId)).toEqual([FIRST]);
    expect(feedXml(deps)).toBe(feedBefore);
  });

  it('chooses covered stories again when their source marks them updated after the episode that covered them', async () => {
    // Prepare: the same feed, except that two entries now say they were updated after 2026-11-25:
    // Tern (<published> 11-21, <updated> 11-21 -> 11-28) and the data center (<updated> only: 11-17 -> 11-29)
    const deps = await afterFirstEpisode();
    const updating = makeFakeDeps({
      ...deps,
      providers: quickProviders({
        ...createProviders({ fetchPolicy: EXAMPLE_FETCH_POLICY }),
        fetcher: updatingFetcher([
          ['<updated>2026-11-21T14:05:00Z</updated>', '<updated>2026-11-28T09:00:00Z</updated>'],
          ['<updated>2026-11-17T09:45:00Z</updated>', '<updated>2026-11-29T09:00:00Z</updated>'],
        ]),
      }),
    });

    // Act
    const outcome = await runInMode(mode, updating, pipelineInput(runId(WEEK_LATER), WEEK_LATER, podcast));

    // Assess: the two updated stories (and no other) in a second episode
    expect(outcome).toEqual({ status: 'succeeded' });
    const second = await deps.episodes.get(PODCAST_ID, WEEK_LATER);
    expect(second?.stories?.map((s) => s.url).sort()).toEqual([
      'https://siliconledger.example.com/2026/11/17/nordhavn-seawater-cooling',
      'https://siliconledger.example.com/2026/11/21/halvorsen-tern-risc-v',
    ]);
    expect(second?.stories).toContainEqual({
      url: 'https://siliconledger.example.com/2026/11/21/halvorsen-tern-risc-v',
      title: 'halvorsen unveils tern a 128 core risc v server processor',
    });
    expect(feedGuids(feedXml(deps))).toHaveLength(2);
  });
});
