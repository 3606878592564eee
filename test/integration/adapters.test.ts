/**
 * The AWS adapters against the real local servers (dynalite, s3rver), checked with the same
 * behavioural contract as the in-memory fakes: each check runs on both, so the fakes the unit
 * tests rely on and the adapters the platform runs on cannot drift apart.
 */
import { createCipheriv } from 'node:crypto';
import { ConflictError, ValidationError } from '../../stages/shared/errors';
import type {
  ArtifactStore,
  EpisodeRecord,
  NewRun,
  PipelineEvent,
  RunApproval,
} from '../../stages/shared/ports';
import { InMemoryArtifactStore } from '../fakes/in-memory-artifact-store';
import {
  InMemoryEpisodeRepository,
  InMemoryEventLog,
  InMemoryPodcastRepository,
  InMemoryRunRepository,
} from '../fakes/in-memory-repositories';
import { podcastConfig } from '../fixtures/podcast-config';
import { startTestServers, type TestServers } from '../helpers/local-servers';
import type { AwsPersistence } from '../../stages/shared/adapters/aws/create-aws-persistence';
import { S3ArtifactStore } from '../../stages/shared/adapters/aws/s3-artifact-store';

let local: TestServers;

beforeAll(async () => {
  local = await startTestServers();
});

afterAll(async () => {
  await local?.stop();
});

type Persistence = Omit<AwsPersistence, 'feeds'>;
const IMPLEMENTATIONS: [string, () => Persistence][] = [
  [
    'in-memory fakes',
    () => ({
      podcasts: new InMemoryPodcastRepository(),
      runs: new InMemoryRunRepository(),
      events: new InMemoryEventLog(),
      episodes: new InMemoryEpisodeRepository(),
      media: new InMemoryArtifactStore(),
    }),
  ],
  [
    'AWS adapters on local servers',
    // Pages of 100 keys: the same continuation-token paging as S3's 1000-key pages (which s3rver
    // also does, checked by hand with 1005 keys), without writing 1000+ objects through s3rver
    // in every test run (2-8 s on a busy machine).
    () => ({
      ...local.persistence,
      media: new S3ArtifactStore(local.clients.s3, local.servers.bucketNames.media, { listPageSize: 100 }),
    }),
  ],
];
/** Three pages of 100, the last one partial. */
const LISTED_KEYS = 250;

const T0 = '2025-03-01T10:00:00.000Z';
const T1 = '2025-03-01T10:05:00.000Z';
let sequence = 0;
/** A run id no earlier test used, so tests share the local tables without seeing each other. */
function newRun(inputHash = 'hash-a'): NewRun {
  sequence += 1;
  return {
    runId: `run-${sequence}`,
    podcastId: 'test-pod',
    mode: 'monolithic',
    inputHash,
    input: { podcastId: 'test-pod', n: sequence },
  };
}

describe.each(IMPLEMENTATIONS)('RunRepository contract: %s', (_name, make) => {
  it("begins the first unit's attempt with the claim that creates the run, and counts on from there", async () => {
    const { runs } = make();
    const run = { ...newRun(), firstUnit: { unit: 'prepare', stage: 'prepare' } };

    const created = await runs.claim(run, T0);
    const next = await runs.beginUnitUnlessDone(run.runId, 'prepare', 'prepare', T1);

    expect(created.run).toMatchObject({ stageAttempts: { prepare: 1 }, currentStage: 'prepare' });
    expect(created.run).not.toHaveProperty('firstUnit');
    expect(next).toBe(2);
    expect((await runs.get(run.runId))?.stageAttempts).toEqual({ prepare: 2 });
  });

  it('begins several units with one write, unless one of them is done', async () => {
    const { runs } = make();
    const run = newRun();
    await runs.claim(run, T0);

    const first = await runs.beginUnits(run.runId, ['tts/0', 'tts/1'], 'tts', T1);
    await runs.completeUnit(run.runId, 'tts/0', 1, 10, T1);
    const refused = await runs.beginUnits(run.runId, ['tts/0', 'tts/1'], 'tts', T1);
    const again = await runs.beginUnits(run.runId, ['tts/1', 'tts/2'], 'tts', T1);
    const missing = await runs.beginUnits(`${run.runId}-none`, ['tts/0'], 'tts', T1);

    expect(first).toEqual([1, 1]);
    expect(refused).toBeUndefined();
    expect(again).toEqual([2, 1]);
    expect(missing).toBeUndefined();
    expect(await runs.get(run.runId)).toMatchObject({
      currentStage: 'tts',
      stageAttempts: { 'tts/0': 1, 'tts/1': 2, 'tts/2': 1 },
    });
  });

  it('claims, reports a running or succeeded run, resumes a failed one and rejects a different input', async () => {
    const { runs } = make();
    const run = newRun();

    const created = await runs.claim(run, T0);
    const again = await runs.claim(run, T1);
    await runs.markFailed(run.runId, { stage: 'mix', name: 'FatalStageError', message: 'no clips' }, T1);
    const failed = await runs.get(run.runId);
    const resumed = await runs.claim(run, T1);
    await runs.markSucceeded(run.runId, { episodeId: '2025-03-01', guid: 'g-1' }, T1);
    const finished = await runs.claim(run, T1);
    const conflict = await runs.claim({ ...run, inputHash: 'hash-b' }, T1).catch((e: unknown) => e);

    expect(created).toMatchObject({
      outcome: 'created',
      run: { status: 'running', runAttempt: 1, input: run.input },
    });
    expect(again.outcome).toBe('already-running');
    expect(failed).toMatchObject({ status: 'failed', error: { stage: 'mix', message: 'no clips' } });
    expect(resumed).toMatchObject({ outcome: 'resumed', run: { status: 'running', runAttempt: 2 } });
    expect(resumed.run.error).toBeUndefined();
    expect(finished).toMatchObject({
      outcome: 'already-succeeded',
      run: { episodeId: '2025-03-01', guid: 'g-1', progressPercent: 100 },
    });
    expect(conflict).toBeInstanceOf(ValidationError);
    expect((conflict as ValidationError).field).toBe('runId');
  });

  it('records a rejected run once and never over an existing one', async () => {
    const { runs } = make();
    const run = newRun();

    await runs.recordRejected(run, { name: 'ValidationError', message: 'input.podcastId: required' }, T0);
    await runs.recordRejected(run, { name: 'ValidationError', message: 'second' }, T1);

    expect(await runs.get(run.runId)).toMatchObject({
      status: 'failed',
      updatedAt: T0,
      error: { message: 'input.podcastId: required' },
    });
  });

  it("replaces its own claim's record with the rejected run, and nothing that has moved on", async () => {
    const { runs } = make();
    const own = newRun();
    const moved = newRun();
    const error = { name: 'ValidationError', message: 'podcastId: unknown podcast' };
    await runs.claim(own, T0);
    await runs.claim(moved, T0);
    await runs.beginUnit(moved.runId, 'discover', 'discover', T1);

    await runs.recordRejected(own, error, T0, true);
    await runs.recordRejected(moved, error, T0, true);

    const rejected = await runs.get(own.runId);
    expect(rejected).toMatchObject({ status: 'failed', error, stageAttempts: {} });
    expect(rejected?.rejectedInput).toEqual(expect.objectContaining({ bytes: expect.any(Number) }));
    expect(rejected?.input ?? null).toBeNull();
    expect(await runs.get(moved.runId)).toMatchObject({ status: 'running', stageAttempts: { discover: 1 } });
  });

  it('resumes a rejected run with its input stored, so a later resume can read it', async () => {
    const { runs } = make();
    const run = newRun();
    await runs.recordRejected(run, { name: 'ValidationError', message: 'podcastId: unknown podcast' }, T0);

    const resumed = await runs.claim(run, T1);

    expect(resumed.outcome).toBe('resumed');
    const stored = await runs.get(run.runId);
    expect(stored).toMatchObject({ status: 'running', runAttempt: 2, input: run.input });
    expect(stored?.rejectedInput).toBeUndefined();
  });

  it('begins a unit unless the run already counts it done (then writes nothing), and refuses a missing run', async () => {
    const { runs } = make();
    const run = newRun();
    await runs.claim(run, T0);

    const first = await runs.beginUnitUnlessDone(run.runId, 'mix', 'mix', T0);
    await runs.completeUnit(run.runId, 'mix', 1, 3, T1);
    const before = await runs.get(run.runId);
    const again = await runs.beginUnitUnlessDone(run.runId, 'mix', 'mix', '2026-11-23T13:00:00.000Z');
    const after = await runs.get(run.runId);

    expect([first, again]).toEqual([1, 'done']);
    expect(after?.updatedAt).toBe(before?.updatedAt);
    expect(after?.stageAttempts).toEqual({ mix: 1 });
    await expect(runs.beginUnitUnlessDone('run-never', 'mix', 'mix', T0)).rejects.toBeInstanceOf(
      ConflictError
    );
  });

  it('counts attempts per unit and each finished unit once, even when completed concurrently', async () => {
    const { runs } = make();
    const run = newRun();
    await runs.claim(run, T0);

    const attempts = [
      await runs.beginUnit(run.runId, 'tts/0', 'tts', T0),
      await runs.beginUnit(run.runId, 'tts/0', 'tts', T1),
      await runs.beginUnit(run.runId, 'tts/1', 'tts', T1),
    ];
    const first = await runs.completeUnit(run.runId, 'tts/0', 1, 3, T1);
    const racing = await Promise.all([1, 2, 3, 4].map(() => runs.completeUnit(run.runId, 'tts/1', 1, 3, T1)));
    const repeat = await runs.completeUnit(run.runId, 'tts/0', 1, 3, T1);
    const stored = await runs.get(run.runId);

    expect(attempts).toEqual([1, 2, 1]);
    expect(first).toBe(33.3);
    expect(racing.every((p) => p === 66.7)).toBe(true);
    expect(repeat).toBe(66.7);
    expect(stored).toMatchObject({
      currentStage: 'tts',
      stageAttempts: { 'tts/0': 2, 'tts/1': 1 },
      progressPoints: 2,
      progressPercent: 66.7,
    });
    expect([...(stored?.doneUnits ?? [])].sort()).toEqual(['tts/0', 'tts/1']);
  });

  it('moves to a final state once: no way back, no error for a repeated final write', async () => {
    const { runs } = make();
    const succeeded = newRun();
    const failed = newRun();
    await runs.claim(succeeded, T0);
    await runs.claim(failed, T0);

    await runs.markSucceeded(succeeded.runId, { episodeId: 'e', guid: 'g' }, T1);
    await runs.markSucceeded(succeeded.runId, { episodeId: 'e', guid: 'g' }, T1);
    await runs.markFailed(succeeded.runId, { name: 'Late', message: 'too late' }, T1);
    await runs.markFailed(failed.runId, { name: 'E', message: 'first' }, T1);
    await runs.markFailed(failed.runId, { name: 'E', message: 'second' }, T1);

    expect(await runs.get(succeeded.runId)).toMatchObject({ status: 'succeeded', episodeId: 'e' });
    expect((await runs.get(succeeded.runId))?.error).toBeUndefined();
    expect(await runs.get(failed.runId)).toMatchObject({ status: 'failed', error: { message: 'first' } });
    await expect(runs.markSucceeded(failed.runId, { episodeId: 'e', guid: 'g' }, T1)).rejects.toBeInstanceOf(
      ConflictError
    );
  });

  it('ends a run skipped once, with its reason; a skipped run is final and claimed as it is', async () => {
    const { runs } = make();
    const skipped = newRun();
    const failed = newRun();
    await runs.claim(skipped, T0);
    await runs.claim(failed, T0);
    const skip = { stage: 'discover', reason: 'no new stories: all 4 candidates were covered' };

    await runs.markSkipped(skipped.runId, skip, T1);
    await runs.markSkipped(skipped.runId, skip, T1);
    await runs.markFailed(skipped.runId, { name: 'Late', message: 'too late' }, T1);
    await runs.markFailed(failed.runId, { name: 'E', message: 'first' }, T1);
    const again = await runs.claim(skipped, T1);

    expect(await runs.get(skipped.runId)).toMatchObject({
      status: 'skipped',
      skipped: skip,
      progressPercent: 100,
    });
    expect((await runs.get(skipped.runId))?.error).toBeUndefined();
    expect(again).toMatchObject({ outcome: 'already-skipped', run: { status: 'skipped', runAttempt: 1 } });
    expect((await runs.list({ status: 'skipped', limit: 100 })).map((r) => r.runId)).toContain(skipped.runId);
    await expect(runs.markSkipped(failed.runId, skip, T1)).rejects.toBeInstanceOf(ConflictError);
  });

  it('reopens a succeeded run for an edit once: the next attempt, running, with the approval', async () => {
    const { runs } = make();
    const run = newRun();
    await runs.claim(run, T0);
    await runs.markFailed(run.runId, { stage: 'mix', name: 'E', message: 'broken' }, T0);
    await runs.claim(run, T0); // resumed: attempt 2
    await runs.markSucceeded(run.runId, { episodeId: 'e', guid: 'g' }, T0);
    const approval: RunApproval = {
      what: 'script',
      state: 'approved',
      requestedAt: T1,
      deadline: T1,
      review: { scriptKey: 'runs/r/review/edits/abc.json' },
      rules: { configKey: 'runs/r/prepare/podcast.json', knownStoryIds: ['a'], targetWords: 400 },
      decidedAt: T1,
      edited: true,
    };

    const stale = await runs.reopenForEdit(run.runId, 1, approval, T1);
    const reopened = await runs.reopenForEdit(run.runId, 2, approval, T1);
    const again = await runs.reopenForEdit(run.runId, 2, approval, T1);
    const missing = await runs.reopenForEdit(`${run.runId}-none`, 1, approval, T1);

    expect(stale).toBeUndefined();
    expect(reopened).toMatchObject({ status: 'running', runAttempt: 3, approval, episodeId: 'e' });
    expect(reopened?.error).toBeUndefined();
    expect(again).toBeUndefined();
    expect(missing).toBeUndefined();
    expect(await runs.get(run.runId)).toMatchObject({ status: 'running', runAttempt: 3 });
  });

  it('treats a missing run as a conflict and reads it as undefined', async () => {
    const { runs } = make();

    await expect(runs.get('run-never')).resolves.toBeUndefined();
    await expect(runs.beginUnit('run-never', 'prepare', 'prepare', T0)).rejects.toBeInstanceOf(ConflictError);
    await expect(runs.completeUnit('run-never', 'prepare', 1, 2, T0)).rejects.toBeInstanceOf(ConflictError);
    await expect(runs.touch('run-never', T0)).rejects.toBeInstanceOf(ConflictError);
    await expect(runs.markFailed('run-never', { name: 'E', message: 'm' }, T0)).rejects.toBeInstanceOf(
      ConflictError
    );
  });

  it('merges usage per stage, bumps updatedAt and lists runs by status', async () => {
    const { runs } = make();
    const run = newRun();
    await runs.claim(run, T0);

    await runs.recordUsage(run.runId, 'script', { inputTokens: 10, costUsd: 0.01 }, T0);
    await runs.recordUsage(run.runId, 'tts', { characters: 900 }, T0);
    await runs.touch(run.runId, T1);
    const running = await runs.list({ status: 'running', limit: 100 });

    expect(await runs.get(run.runId)).toMatchObject({
      updatedAt: T1,
      usage: { script: { inputTokens: 10, costUsd: 0.01 }, tts: { characters: 900 } },
    });
    expect(running.some((r) => r.runId === run.runId)).toBe(true);
    expect(running.every((r) => r.status === 'running')).toBe(true);
  });
});

describe.each(IMPLEMENTATIONS)(
  'EventLog, EpisodeRepository, PodcastRepository contract: %s',
  (_name, make) => {
    it('appends an event once per key and lists a run in time order', async () => {
      const { events } = make();
      const runId = newRun().runId;
      const event = (eventKey: string, at: string): PipelineEvent => ({
        runId,
        eventKey,
        type: 'stage.started',
        at,
        stage: 'tts',
      });

      const results = [
        await events.append(event('tts/0#002#stage.started', T1)),
        await events.append(event('tts/0#001#stage.started', T0)),
        await events.append(event('tts/0#001#stage.started', T1)),
        await events.append({ ...event('x', T0), runId: `${runId}-other` }),
      ];

      expect(results).toEqual([true, true, false, true]);
      expect(await events.list(runId)).toEqual([
        event('tts/0#001#stage.started', T0),
        event('tts/0#002#stage.started', T1),
      ]);
    });

    it('puts an episode once and lists a podcast newest first', async () => {
      const { episodes } = make();
      const podcastId = `pod-${newRun().runId}`;
      const episode = (episodeId: string, title: string): EpisodeRecord => ({
        podcastId,
        episodeId,
        guid: `guid-${episodeId}`,
        runId: 'run',
        title,
        description: 'd',
        publishedAt: `${episodeId}T10:00:00.000Z`,
        durationSeconds: 95,
        media: {
          url: 'https://x/e.mp3',
          key: `podcasts/${podcastId}/${episodeId}.mp3`,
          bytes: 100,
          type: 'audio/mpeg',
        },
        imageUrl: 'https://x/cover.png',
        transcriptUrl: 'https://x/t.vtt',
        notesHtml: '<p>notes</p>',
      });

      const outcomes = [
        await episodes.putOnce(episode('2025-03-01', 'first')),
        await episodes.putOnce(episode('2025-03-01', 'overwrite attempt')),
        await episodes.putOnce(episode('2025-03-08', 'second')),
      ];

      expect(outcomes).toEqual(['created', 'exists', 'created']);
      expect(await episodes.get(podcastId, '2025-03-01')).toEqual(episode('2025-03-01', 'first'));
      expect(await episodes.get(podcastId, '2025-01-01')).toBeUndefined();
      expect((await episodes.listByPodcast(podcastId)).map((e) => e.episodeId)).toEqual([
        '2025-03-08',
        '2025-03-01',
      ]);
    });

    it("replaces an episode's version only for its own run and only over the version it read", async () => {
      const { episodes } = make();
      const podcastId = `pod-${newRun().runId}`;
      const record = (key: string, runId = 'run-a'): EpisodeRecord => ({
        podcastId,
        episodeId: '2025-03-01',
        guid: 'guid-1',
        runId,
        title: 't',
        description: 'd',
        publishedAt: '2025-03-01T00:00:00.000Z',
        durationSeconds: 95,
        media: { url: `https://x/${key}`, key, bytes: 100, type: 'audio/mpeg' },
        imageUrl: 'https://x/cover.png',
        notesHtml: '<p>notes</p>',
      });
      await episodes.putOnce(record('v1/e.mp3'));

      const outcomes = [
        await episodes.replaceVersion(record('v2/e.mp3', 'run-b'), 'v1/e.mp3'),
        await episodes.replaceVersion(record('v2/e.mp3'), 'v0/e.mp3'),
        await episodes.replaceVersion(record('v2/e.mp3'), 'v1/e.mp3'),
        await episodes.replaceVersion(record('v3/e.mp3'), 'v1/e.mp3'),
      ];

      expect(outcomes).toEqual([false, false, true, false]);
      expect((await episodes.get(podcastId, '2025-03-01'))?.media.key).toBe('v2/e.mp3');
      expect(
        await episodes.replaceVersion({ ...record('v2/e.mp3'), episodeId: '2025-04-01' }, 'v1/e.mp3')
      ).toBe(false);
    });

    it('lists the stories of the episodes before a date, oldest first, older records covering none', async () => {
      const { episodes } = make();
      const podcastId = `pod-${newRun().runId}`;
      const episode = (episodeId: string, stories?: EpisodeRecord['stories']): EpisodeRecord => ({
        podcastId,
        episodeId,
        guid: `guid-${episodeId}`,
        runId: 'run',
        title: episodeId,
        description: 'd',
        publishedAt: `${episodeId}T00:00:00.000Z`,
        durationSeconds: 95,
        media: { url: 'https://x/e.mp3', key: `k/${episodeId}.mp3`, bytes: 100, type: 'audio/mpeg' },
        imageUrl: 'https://x/cover.png',
        notesHtml: '<p>notes</p>',
        ...(stories ? { stories } : {}),
      });
      const a = [{ url: 'https://news.example/a', title: 'story a' }];
      const b = [{ url: 'https://news.example/b', title: 'story b' }];
      for (const record of [
        episode('2025-03-15', b),
        episode('2025-03-01', a),
        episode('2025-03-08'),
        episode('2025-03-22', a),
        { ...episode('2025-03-01', b), podcastId: `${podcastId}-other` },
      ])
        await episodes.putOnce(record);

      const coverage = await episodes.listCoverage(podcastId, '2025-03-22');

      expect(coverage).toEqual([
        { episodeId: '2025-03-01', publishedAt: '2025-03-01T00:00:00.000Z', stories: a },
        { episodeId: '2025-03-08', publishedAt: '2025-03-08T00:00:00.000Z', stories: [] },
        { episodeId: '2025-03-15', publishedAt: '2025-03-15T00:00:00.000Z', stories: b },
      ]);
      expect(await episodes.get(podcastId, '2025-03-22')).toMatchObject({ stories: a });
    });

    it('stores and returns a podcast config unchanged', async () => {
      const { podcasts } = make();
      const config = podcastConfig({ podcastId: 'contract-pod', topics: ['ai', 'chips'] });

      await podcasts.put(config);

      expect(await podcasts.get('contract-pod')).toEqual(config);
      expect(await podcasts.get('unknown-pod')).toBeUndefined();
    });
  }
);

describe.each(IMPLEMENTATIONS)('ArtifactStore contract: %s', (_name, make) => {
  const prefix = () => `runs/${newRun().runId}/`;

  it('puts, reads, checks, copies and lists objects', async () => {
    const media: ArtifactStore = make().media;
    const p = prefix();

    await media.put(`${p}script/script.txt`, 'Ava: héllo', 'text/plain; charset=utf-8');
    await media.put(`${p}mix/episode.mp3`, Buffer.from([0xff, 0xfb, 0x90, 0x00]), 'audio/mpeg');
    await media.copy(`${p}mix/episode.mp3`, `${p}publish/episode.mp3`);
    await media.copy(`${p}script/script.txt`, `${p}publish/script.vtt`, 'text/vtt');

    expect((await media.get(`${p}script/script.txt`))?.body.toString('utf8')).toBe('Ava: héllo');
    expect(await media.get(`${p}publish/episode.mp3`)).toEqual({
      body: Buffer.from([0xff, 0xfb, 0x90, 0x00]),
      contentType: 'audio/mpeg',
    });
    expect((await media.get(`${p}publish/script.vtt`))?.contentType).toBe('text/vtt');
    expect(await media.get(`${p}missing.json`)).toBeUndefined();
    expect([await media.exists(`${p}mix/episode.mp3`), await media.exists(`${p}mix/nope.mp3`)]).toEqual([
      true,
      false,
    ]);
    expect(await media.list(`${p}publish/`)).toEqual([`${p}publish/episode.mp3`, `${p}publish/script.vtt`]);
    await expect(media.copy(`${p}missing.mp3`, `${p}x.mp3`)).rejects.toThrow(`no object at ${p}missing.mp3`);
  });

  it('lists every key across several ListObjectsV2 pages', async () => {
    const media = make().media;
    const p = prefix();
    const keys = Array.from({ length: LISTED_KEYS }, (_, i) => `${p}many/${String(i).padStart(4, '0')}.json`);

    await Promise.all(keys.map((key) => media.put(key, '{}', 'application/json')));

    expect(await media.list(`${p}many/`)).toEqual(keys);
  });
});

describe('local servers', () => {
  it('give this process single DES for s3rver continuation tokens (known answer from native DES)', () => {
    // Expected bytes: the same call under `node --openssl-legacy-provider` (OpenSSL's own DES-CBC).
    const cipher = createCipheriv('des', Buffer.alloc(8, 'S3RVER'), Buffer.from('d4a1b2c3d4e5f601', 'hex'));
    const token = Buffer.concat([cipher.update('us-east-1/b/key/1', 'utf8'), cipher.final()]).toString('hex');

    expect(token).toBe('8fb0bdfa7dc90bb81182a881f0785405d6ef837c4347d06f');
  });

  it('round-trips a multipart upload', async () => {
    const big = Buffer.alloc(9 * 1024 * 1024 + 5);
    for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;

    await local.persistence.media.put('runs/multipart/mix/episode.mp3', big, 'audio/mpeg');
    const read = await local.persistence.media.get('runs/multipart/mix/episode.mp3');

    expect(read?.contentType).toBe('audio/mpeg');
    expect(read?.body.equals(big)).toBe(true);
  });

  it('keeps tables, items and objects across a restart on the same data directory', async () => {
    const run = newRun();
    await local.persistence.runs.claim(run, T0);
    await local.persistence.feeds.put('podcasts/test-pod/feed.xml', '<rss/>', 'application/rss+xml');

    await expect(startTestServersOn(local.dataDir)).rejects.toThrow('already running in this process');
    local = await local.restart();

    expect(local.servers.createdTables).toEqual([]);
    expect(await local.persistence.runs.get(run.runId)).toMatchObject({
      status: 'running',
      inputHash: 'hash-a',
    });
    expect((await local.persistence.feeds.get('podcasts/test-pod/feed.xml'))?.body.toString()).toBe('<rss/>');
    expect(local.servers.startupMs).toBeLessThan(5_000);
  });
});

async function startTestServersOn(dataDir: string): Promise<unknown> {
  const { startLocalServers } = await import('../../containers/orchestrator/local/local-servers');
  return startLocalServers({ dataDir });
}
