/**
 * Run hygiene, in both modes: what a rerun finds in the run's own records is checked before it is
 * trusted. A corrupt checkpoint is discarded (`checkpoint.discarded`) and its unit redone, never
 * reported as bad input; a rerun after the operator fixed the podcast config uses the fixed config
 * (prepare and everything after it redone) and keeps the episode's date and GUID; a rerun whose
 * episode record vanished from the table writes it again, once, instead of succeeding without it.
 */
import { artifactKeys } from '../../stages/shared/artifact-keys';
import type { Checkpoint } from '../../stages/shared/checkpoint';
import { sha256 } from '../../stages/shared/hashing';
import type { PodcastConfig } from '../../stages/shared/config-schema';
import type { PrepareManifest } from '../../stages/prepare/schema';
import type { FakeDeps } from '../fakes/fake-deps';
import {
  allUnits,
  DATE,
  exactlyOnceProblems,
  fakeDeps,
  faultScenario,
  feedGuids,
  feedXml,
  MODES,
  ofType,
  PODCAST_ID,
  pipelineInput,
  RUN_ID,
  runInMode,
  type StoredPodcastInput,
  unitsOf,
} from '../helpers/fault-injection-harness';

const scenario = faultScenario();
const DAY_MS = 24 * 60 * 60 * 1000;

const newEventsOf = async (deps: FakeDeps, before: Set<string>) =>
  (await deps.events.list(RUN_ID)).filter((e) => !before.has(`${RUN_ID}|${e.eventKey}`));

function overwrite(deps: FakeDeps, key: string, body: string): void {
  deps.media.objects.set(key, { body: Buffer.from(body), contentType: 'application/json' });
}

/** The episode's public files: key -> sha256 of the bytes. */
function episodeFiles(deps: FakeDeps): Record<string, string> {
  const prefix = `${artifactKeys.episodeDir(PODCAST_ID, DATE)}/`;
  return Object.fromEntries(
    [...deps.media.objects]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, object]) => [key, sha256(object.body)])
  );
}

describe.each(MODES)('%s mode', (mode) => {
  it('discards corrupt checkpoints (not JSON, not a checkpoint, failing the output schema), redoes those units and publishes', async () => {
    // Prepare: a run that failed at mix, then three of its finished units' checkpoints corrupted
    const deps = fakeDeps();
    const input = pipelineInput(RUN_ID, DATE, scenario.podcast());
    const faults = scenario.inject([{ stage: 'mix', kind: 'fatal' }]);
    expect((await runInMode(mode, deps, input)).status).toBe('failed');
    faults.restore();
    const finished = new Set((await deps.runs.get(RUN_ID))?.doneUnits);
    const shardKey = artifactKeys.checkpoint(RUN_ID, 'summarize', { index: 1, count: 4 });
    const shard = deps.media.json<Checkpoint>(shardKey);
    overwrite(deps, artifactKeys.checkpoint(RUN_ID, 'outline'), '{"inputHash": "3f1c", "output": {"ke');
    overwrite(deps, artifactKeys.checkpoint(RUN_ID, 'scrape'), '[]');
    overwrite(
      deps,
      shardKey,
      JSON.stringify({ inputHash: shard.inputHash, output: { stories: 'not a list' } })
    );
    const corrupt = ['outline', 'scrape', 'summarize/1'];
    expect(corrupt.every((unit) => finished.has(unit))).toBe(true);
    const before = new Set(deps.events.events.keys());

    // Act
    const rerun = await runInMode(mode, deps, input);

    // Assess: published; each corrupt unit was discarded with its reason and redone (never a ValidationError)
    expect(rerun).toEqual({ status: 'succeeded' });
    const events = await newEventsOf(deps, before);
    const discarded = ofType(events, 'checkpoint.discarded').sort((a, b) =>
      (a.unit ?? '').localeCompare(b.unit ?? '')
    );
    expect(discarded.map((e) => [e.unit, e.attempt, e.detail?.checkpointKey])).toEqual(
      corrupt.map((unit) => [
        unit,
        2,
        unit === 'summarize/1' ? shardKey : artifactKeys.checkpoint(RUN_ID, unit),
      ])
    );
    expect(discarded.map((e) => e.detail?.reason)).toEqual([
      expect.stringMatching(/^not valid JSON: /),
      'not a checkpoint object',
      expect.stringMatching(/^the stored manifest fails the summarize output schema: summarize output\./),
    ]);
    expect(ofType(events, 'stage.failed')).toEqual([]);
    // only the corrupt units and the ones that never finished ran again: the redone manifests are the same
    const rerunUnits = allUnits().filter((unit) => corrupt.includes(unit) || !finished.has(unit));
    expect(unitsOf(events, 'stage.started').sort()).toEqual(rerunUnits.sort());
    for (const unit of corrupt)
      expect(
        typeof deps.media.json<Checkpoint>(
          unit === 'summarize/1' ? shardKey : artifactKeys.checkpoint(RUN_ID, unit)
        ).inputHash
      ).toBe('string');
    expect(await deps.runs.get(RUN_ID)).toMatchObject({
      status: 'succeeded',
      runAttempt: 2,
      episodeId: DATE,
    });
    // each corrupt unit succeeded twice (attempt 1 wrote the checkpoint, attempt 2 redid it); nothing else is repeated
    expect((await exactlyOnceProblems(deps, RUN_ID, DATE)).sort()).toEqual(
      corrupt.map((unit) => `${unit} succeeded 2 times`)
    );
  });

  it('a rerun after the podcast config was fixed uses the fixed config, with the episode date and GUID of the first run', async () => {
    // Prepare: the stored config points at feeds that are not there; the input names no date
    const deps = fakeDeps();
    const good = scenario.podcast();
    const broken: PodcastConfig = {
      ...good,
      sources: good.sources.map((s) => ({ ...s, feedUrl: s.feedUrl.replace(/\.xml$/, '-moved.xml') })),
    };
    await deps.podcasts.put(broken);
    const input: StoredPodcastInput = { runId: RUN_ID, podcastId: PODCAST_ID };
    expect((await runInMode(mode, deps, input)).status).toBe('failed');
    expect(await deps.runs.get(RUN_ID)).toMatchObject({ status: 'failed', error: { stage: 'discover' } });
    const prepareKey = artifactKeys.checkpoint(RUN_ID, 'prepare');
    const firstPlan = deps.media.json<Checkpoint>(prepareKey).output as PrepareManifest;
    expect(firstPlan.episode.date).toBe(DATE);

    // ...a resume with the config unchanged (a day later) redoes nothing before the failure
    deps.clock.advance(DAY_MS);
    const unchangedFrom = new Set(deps.events.events.keys());
    expect((await runInMode(mode, deps, input)).status).toBe('failed');
    expect(unitsOf(await newEventsOf(deps, unchangedFrom), 'stage.started')).toEqual(['discover']);

    // Act: the operator fixes the config (another day later) and resumes
    deps.clock.advance(DAY_MS);
    await deps.podcasts.put(good);
    const fixedFrom = new Set(deps.events.events.keys());
    const fixed = await runInMode(mode, deps, input);

    // Assess: prepare redone with the fixed config, the episode as the first run fixed it
    expect(fixed).toEqual({ status: 'succeeded' });
    const plan = deps.media.json<Checkpoint>(prepareKey).output as PrepareManifest;
    expect(plan.episode).toEqual(firstPlan.episode);
    expect(plan.configHash).not.toBe(firstPlan.configHash);
    const snapshot = deps.media.json<PodcastConfig>(plan.configKey);
    expect(snapshot.sources.map((s) => s.feedUrl)).toEqual(good.sources.map((s) => s.feedUrl));
    const events = await newEventsOf(deps, fixedFrom);
    expect(
      ofType(events, 'stage.started')
        .filter((e) => e.unit === 'prepare')
        .map((e) => e.attempt)
    ).toEqual([2]);
    const episode = await deps.episodes.get(PODCAST_ID, DATE);
    expect(episode).toMatchObject({ episodeId: DATE, guid: firstPlan.episode.guid, runId: RUN_ID });
    expect(feedGuids(feedXml(deps))).toEqual([firstPlan.episode.guid]);
    expect(await deps.runs.get(RUN_ID)).toMatchObject({
      status: 'succeeded',
      runAttempt: 3,
      episodeId: DATE,
      guid: firstPlan.episode.guid,
    });
  });

  it('a resume whose episode record vanished writes it again, once, with the same GUID', async () => {
    // Prepare: the run published, then failed at feed; the episode record is then lost
    const deps = fakeDeps();
    const input = pipelineInput(RUN_ID, DATE, scenario.podcast());
    const faults = scenario.inject([{ stage: 'feed', kind: 'fatal' }]);
    expect((await runInMode(mode, deps, input)).status).toBe('failed');
    faults.restore();
    const record = await deps.episodes.get(PODCAST_ID, DATE);
    expect(record).toBeDefined();
    deps.episodes.episodes.clear();
    const putOnce = jest.spyOn(deps.episodes, 'putOnce');
    const before = new Set(deps.events.events.keys());

    // Act
    const rerun = await runInMode(mode, deps, input);

    // Assess: publish's checkpoint was not trusted; the record is back as it was, written by one conditional put
    expect(rerun).toEqual({ status: 'succeeded' });
    expect(await deps.episodes.get(PODCAST_ID, DATE)).toEqual(record);
    expect(putOnce).toHaveBeenCalledTimes(1);
    await expect(putOnce.mock.results[0]?.value).resolves.toBe('created');
    const discarded = ofType(await newEventsOf(deps, before), 'checkpoint.discarded');
    expect(discarded).toEqual([
      expect.objectContaining({
        unit: 'publish',
        attempt: 2,
        detail: {
          checkpointKey: artifactKeys.checkpoint(RUN_ID, 'publish'),
          reason: `episode record ${DATE} of podcast "${PODCAST_ID}" is missing from the episodes table`,
        },
      }),
    ]);
    expect(feedGuids(feedXml(deps))).toEqual([record?.guid]);
    expect(await exactlyOnceProblems(deps, RUN_ID, DATE)).toEqual(['publish succeeded 2 times']);
  });

  it('running a finished run again after its episode record vanished writes the record again', async () => {
    // Prepare
    const deps = fakeDeps();
    const input = pipelineInput(RUN_ID, DATE, scenario.podcast());
    expect(await runInMode(mode, deps, input)).toEqual({ status: 'succeeded' });
    const record = await deps.episodes.get(PODCAST_ID, DATE);
    const feed = feedXml(deps);
    const files = episodeFiles(deps);
    deps.episodes.episodes.clear();

    // Act
    const again = await runInMode(mode, deps, input);

    // Assess: the record is back, nothing else redone, the feed (built while the record existed) unchanged
    expect(again).toEqual({ status: 'succeeded' });
    expect(await deps.episodes.get(PODCAST_ID, DATE)).toEqual(record);
    // Publish was redone: the same keys (its version folder) with the same bytes, nothing beside them.
    expect(episodeFiles(deps)).toEqual(files);
    expect(Object.keys(files)).toContain(record?.media.key);
    expect(feedXml(deps)).toBe(feed);
    const events = await deps.events.list(RUN_ID);
    expect(unitsOf(events, 'stage.started').filter((u) => u === 'publish')).toHaveLength(2);
    expect(ofType(events, 'run.succeeded')).toHaveLength(1);
    expect(await exactlyOnceProblems(deps, RUN_ID, DATE)).toEqual(['publish succeeded 2 times']);
  });
});
