/**
 * Exactly once: after retries, after reruns of a finished run, and with two starts of the same run
 * at the same time, there is one episode record, one feed entry per episode, one run.started per
 * run attempt, one run.succeeded, and no event that says the same thing twice. Two concurrent
 * starts may both do a unit's work (as attempts 1 and 2 of it); what they write is the same.
 * In-process on the in-memory fakes, and once on one local DynamoDB + S3 instance (dynalite and
 * s3rver), where the conditional writes are the real adapters'. Two orchestrator processes on one
 * local data dir cannot both run: the second is refused by the directory's lock.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runPipeline } from '../../containers/orchestrator/engine/pipeline-engine';
import { startLocalServers } from '../../containers/orchestrator/local/local-servers';
import { createAwsPersistence } from '../../stages/shared/adapters/aws/create-aws-persistence';
import { artifactKeys } from '../../stages/shared/artifact-keys';
import type { PipelineEvent } from '../../stages/shared/ports';
import type { StageDeps } from '../../stages/shared/stage';
import { type FakeDeps, makeFakeDeps } from '../fakes/fake-deps';
import { faultEnv } from '../helpers/fault-injection';
import {
  allUnits,
  DATE,
  duplicateEvents,
  exactlyOnceProblems,
  fakeDeps,
  faultScenario,
  feedGuids,
  feedXml,
  MODES,
  ofType,
  pipelineInput,
  publishedState,
  RUN_ID,
  runInMode,
  unitsOf,
} from '../helpers/fault-injection-harness';
import { startOrchestrator, writeRunFiles } from '../helpers/fault-injection-process';
import { quickProviders } from '../helpers/fault-injection-providers';
import { startTestServers } from '../helpers/local-servers';

const scenario = faultScenario();

describe.each(MODES)('%s mode', (mode) => {
  it('retries of several units, some failing twice, leave one of everything', async () => {
    const deps = fakeDeps();
    const faults = scenario.inject([
      { stage: 'discover', kind: 'retryable', attempts: 2 },
      { stage: 'tts', kind: 'retryable', units: ['tts/1', 'tts/3'] },
      { stage: 'publish', kind: 'retryable', attempts: 2 },
      { stage: 'feed', kind: 'retryable' },
    ]);

    const outcome = await runInMode(mode, deps, pipelineInput(RUN_ID, DATE, scenario.podcast()));

    expect(outcome).toEqual({ status: 'succeeded' });
    expect(faults.injected.map((f) => `${f.unit}#${f.attempt}`).sort()).toEqual([
      'discover#1',
      'discover#2',
      'feed#1',
      'publish#1',
      'publish#2',
      'tts/1#1',
      'tts/3#1',
    ]);
    expect(await exactlyOnceProblems(deps, RUN_ID, DATE)).toEqual([]);
    expect((await deps.runs.get(RUN_ID))?.stageAttempts).toMatchObject({
      discover: 3,
      publish: 3,
      feed: 2,
      'tts/1': 2,
      'tts/0': 1,
    });
  });

  it('a rerun of a finished run does no work and writes nothing new', async () => {
    // Prepare
    const deps = fakeDeps();
    const input = pipelineInput(RUN_ID, DATE, scenario.podcast());
    expect(await runInMode(mode, deps, input)).toEqual({ status: 'succeeded' });
    const events = new Map(deps.events.events);
    const feed = feedXml(deps);
    const media = [...deps.media.objects.keys()].sort();

    // Act
    const again = await runInMode(mode, deps, input);

    // Assess
    expect(again).toEqual({ status: 'succeeded' });
    expect(new Map(deps.events.events)).toEqual(events);
    expect(feedXml(deps)).toBe(feed);
    expect([...deps.media.objects.keys()].sort()).toEqual(media);
    expect(await exactlyOnceProblems(deps, RUN_ID, DATE)).toEqual([]);
  });

  it('a failed run resumed with the same input publishes once, with run.started per run attempt', async () => {
    const deps = fakeDeps();
    const input = pipelineInput(RUN_ID, DATE, scenario.podcast());
    const faults = scenario.inject([{ stage: 'notes', kind: 'fatal' }]);
    expect((await runInMode(mode, deps, input)).status).toBe('failed');
    faults.restore();

    const resumed = await runInMode(mode, deps, input);

    expect(resumed).toEqual({ status: 'succeeded' });
    const events = await deps.events.list(RUN_ID);
    expect(ofType(events, 'run.started').map((e) => e.attempt)).toEqual([1, 2]);
    expect(ofType(events, 'run.failed').map((e) => [e.attempt, e.stage])).toEqual([[1, 'notes']]);
    expect(await deps.runs.get(RUN_ID)).toMatchObject({ status: 'succeeded', runAttempt: 2 });
    expect(await exactlyOnceProblems(deps, RUN_ID, DATE)).toEqual([]);
  });
});

/** What a concurrent start must not break: the records and events, checked against one sequential run. */
async function expectConcurrentStartsClean(deps: StageDeps, reference: FakeDeps): Promise<void> {
  const events = await deps.events.list(RUN_ID);
  expect(duplicateEvents(events)).toEqual([]);
  expect(ofType(events, 'run.started')).toHaveLength(1);
  expect(ofType(events, 'run.succeeded')).toHaveLength(1);
  expect(ofType(events, 'run.failed')).toEqual([]);
  expect([...new Set(unitsOf(events, 'stage.succeeded'))].sort()).toEqual(allUnits().sort());
  const attemptsOf = (list: PipelineEvent[]) => list.map((e) => `${e.unit}#${e.attempt}`).sort();
  // every success and retry belongs to an attempt that started; a retry is never attempt 1
  expect(
    attemptsOf(ofType(events, 'stage.succeeded')).every((a) =>
      attemptsOf(ofType(events, 'stage.started')).includes(a)
    )
  ).toBe(true);
  expect(ofType(events, 'stage.retried').every((e) => (e.attempt ?? 0) > 1)).toBe(true);

  expect(await deps.runs.get(RUN_ID)).toMatchObject({
    status: 'succeeded',
    runAttempt: 1,
    episodeId: DATE,
    progressPercent: 100,
  });
  const episodes = await deps.episodes.listByPodcast(scenario.podcast().podcastId);
  expect(episodes.map((e) => [e.episodeId, e.runId])).toEqual([[DATE, RUN_ID]]);
  const feed = (await deps.feeds.get(artifactKeys.feed(scenario.podcast().podcastId)))?.body.toString('utf8');
  expect(feedGuids(feed)).toEqual([episodes[0]?.guid]);
  // The same feed, but for the version folder: a female eSpeak voice adds random breath noise, so
  // the two runs' MP3 bytes (and the version hashed from them) can differ.
  const unversioned = (xml: string | undefined) =>
    xml?.replace(/\/episodes\/([^/]+)\/[0-9a-f]{16}\//g, '/episodes/$1/<version>/');
  expect(unversioned(feed)).toBe(unversioned(feedXml(reference)));
  // The work both starts did is the same work: every checkpoint equals the sequential run's, except
  // publish's `created` (true for the start that wrote the record, false for the other), which
  // feed's input hash covers, and the record of the success (which attempt, how long it took).
  for (const key of (await reference.media.list(`runs/${RUN_ID}/`)).filter(
    (k) => k.endsWith('output.json') || k.includes('/shards/')
  )) {
    const stored = JSON.parse((await deps.media.get(key))?.body.toString('utf8') ?? 'null') as Checkpoint;
    const expected = reference.media.json<Checkpoint>(key);
    if (/\/(publish|feed)\//.test(key))
      expect(unversioned(JSON.stringify(withoutCreated(stored.output)))).toEqual(
        unversioned(JSON.stringify(withoutCreated(expected.output)))
      );
    else expect({ ...stored, succeeded: undefined }).toEqual({ ...expected, succeeded: undefined });
  }
}

interface Checkpoint {
  inputHash: string;
  output: Record<string, unknown>;
}

const withoutCreated = ({ created: _created, ...rest }: Record<string, unknown>) => rest;

describe('two starts of the same run at the same time', () => {
  let reference: FakeDeps;

  beforeAll(async () => {
    reference = fakeDeps();
    expect(await runInMode('monolithic', reference, pipelineInput(RUN_ID, DATE, scenario.podcast()))).toEqual(
      { status: 'succeeded' }
    );
  });

  it('on the in-memory fakes: both finish with the same episode, recorded once', async () => {
    const deps = fakeDeps();
    const input = pipelineInput(RUN_ID, DATE, scenario.podcast());

    const results = await Promise.all(
      [1, 2].map(() =>
        runPipeline({ runId: RUN_ID, podcastId: scenario.podcast().podcastId }, input, {
          deps,
          retryDelayScale: 0,
        })
      )
    );

    expect(results.map((r) => r.episode)).toEqual([results[0]?.episode, results[0]?.episode]);
    await expectConcurrentStartsClean(deps, reference);
    expect((await publishedState(deps)).episodes).toHaveLength(1);
  });

  it('on one local DynamoDB and S3 instance: the real conditional writes keep one of everything', async () => {
    const servers = await startTestServers();
    try {
      const deps: StageDeps = { ...makeFakeDeps(), ...servers.persistence, providers: quickProviders() };
      const input = pipelineInput(RUN_ID, DATE, scenario.podcast());

      const results = await Promise.all(
        [1, 2].map(() =>
          runPipeline({ runId: RUN_ID, podcastId: scenario.podcast().podcastId }, input, {
            deps,
            retryDelayScale: 0,
          })
        )
      );

      expect(results[1]?.episode).toEqual(results[0]?.episode);
      await expectConcurrentStartsClean(deps, reference);
    } finally {
      await servers.stop();
    }
  }, 60_000);
});

describe('two orchestrator processes on one local data dir', () => {
  it('the second is refused while the first holds the directory, and writes nothing', async () => {
    // Prepare: the first process is busy in summarize
    const dir = await mkdtemp(path.join(os.tmpdir(), 'two-processes-'));
    try {
      const { podcastFile, inputFile } = await writeRunFiles(dir, scenario.podcast(), {
        runId: RUN_ID,
        podcastId: scenario.podcast().podcastId,
        episode: { date: DATE },
      });
      const args = [
        '--podcast',
        podcastFile,
        inputFile,
        '--json',
        '--data-dir',
        path.join(dir, 'data'),
        '--output-dir',
        path.join(dir, 'out'),
      ];
      const first = startOrchestrator(args, { env: faultEnv([{ stage: 'summarize', kind: 'hang' }]) });
      await first.waitForEvent(
        (e) => e.type === 'stage.started' && e.stage === 'summarize',
        'summarize to start'
      );

      // Act
      const second = startOrchestrator(args);
      const refused = await second.exited;

      // Assess
      expect(refused.code).toBe(1);
      expect(second.stdout()).toBe('');
      expect(second.stderr().trim().split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(`^error: local servers for .* are already running in process ${first.child.pid}`)
        ),
      ]);
      first.child.kill('SIGTERM');
      expect((await first.exited).code).toBe(143);
      const servers = await startLocalServers({ dataDir: path.join(dir, 'data'), quiet: true });
      try {
        const events = await createAwsPersistence(servers.env).events.list(RUN_ID);
        expect(duplicateEvents(events)).toEqual([]);
        expect(ofType(events, 'run.started')).toHaveLength(1);
        expect(unitsOf(events, 'stage.started').filter((u) => u === 'prepare')).toEqual(['prepare']);
      } finally {
        await servers.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
