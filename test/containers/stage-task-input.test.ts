import { stageInputFromCheckpoints } from '../../containers/stage-task/stage-input-from-checkpoints';
import { heartbeatIntervalMs, readStageTaskEnv } from '../../containers/stage-task/task-env';
import { STAGES } from '../../stages/pipeline-plan';
import { artifactKeys, putJson } from '../../stages/shared/artifact-keys';
import { InMemoryArtifactStore } from '../fakes/in-memory-artifact-store';

const ids = { runId: 'r1', podcastId: 'tech-weekly' };
const plan = (enabled: Record<string, boolean>) => ({
  runId: 'r1',
  podcastId: 'tech-weekly',
  enabled,
  shards: { summarize: [0, 1, 2, 3], tts: [0, 1, 2, 3] },
});

async function store(entries: [string, unknown][]): Promise<InMemoryArtifactStore> {
  const media = new InMemoryArtifactStore('media');
  for (const [key, output] of entries) await putJson(media, key, { inputHash: 'h', output });
  return media;
}

describe('stageInputFromCheckpoints (registry stages)', () => {
  it('gives mix the prepare manifest and the tts shards in index order, and nothing it does not depend on', async () => {
    // Prepare
    const media = await store([
      [artifactKeys.checkpoint('r1', 'prepare'), plan({ review: true })],
      [artifactKeys.checkpoint('r1', 'script'), { key: 'script.json' }],
      ...[3, 1, 0, 2].map((index): [string, unknown] => [
        artifactKeys.checkpoint('r1', 'tts', { index, count: 4 }),
        { clips: [{ turnIndex: index }] },
      ]),
    ]);

    // Act
    const input = await stageInputFromCheckpoints('mix', ids, media, STAGES);

    // Assess
    expect(input).toEqual({
      runId: 'r1',
      podcastId: 'tech-weekly',
      stages: {
        prepare: plan({ review: true }),
        tts: [0, 1, 2, 3].map((turnIndex) => ({ clips: [{ turnIndex }] })),
      },
    });
  });

  it("gives a dependency the run's plan switched off as skipped, never a stale checkpoint of it", async () => {
    // Prepare: a plan where a stage task depends on the optional review, switched off.
    const registry = [
      { id: 'prepare', dependsOn: [], optional: false },
      { id: 'review', dependsOn: ['prepare'], optional: true },
      { id: 'mix', dependsOn: ['review'], optional: false },
    ];
    const media = await store([
      [artifactKeys.checkpoint('r1', 'prepare'), plan({ review: false })],
      // a review checkpoint from an earlier run with review on must not leak in
      [artifactKeys.checkpoint('r1', 'review'), { key: 'stale.json' }],
    ]);

    // Act
    const input = await stageInputFromCheckpoints('mix', ids, media, registry);

    // Assess
    expect(input.stages.review).toEqual({ skipped: true });
  });

  it("reads every checkpoint in one wave, and again where the run's plan lays the shards out otherwise", async () => {
    // Prepare: this run's plan says tts had 2 shards (the registry says 4); count the reads.
    const twoShards = { ...plan({ review: false }), shards: { summarize: [0, 1, 2, 3], tts: [0, 1] } };
    const media = await store([
      [artifactKeys.checkpoint('r1', 'prepare'), twoShards],
      ...[0, 1].map((index): [string, unknown] => [
        artifactKeys.checkpoint('r1', 'tts', { index, count: 2 }),
        { clips: [{ turnIndex: index }] },
      ]),
    ]);
    const reads: string[] = [];
    const get = media.get.bind(media);
    media.get = async (key) => {
      reads.push(key);
      return get(key);
    };

    // Act
    const input = await stageInputFromCheckpoints('mix', ids, media, STAGES);

    // Assess
    expect(input.stages.tts).toEqual([0, 1].map((turnIndex) => ({ clips: [{ turnIndex }] })));
    // plan + the registry's 4 tts shards at once, then the plan's 2 tts shards.
    expect(reads).toHaveLength(1 + 4 + 2);
    expect(reads.slice(-2)).toEqual(
      [0, 1].map((index) => artifactKeys.checkpoint('r1', 'tts', { index, count: 2 }))
    );
  });

  it('reads an enabled optional dependency from its checkpoint', async () => {
    const media = await store([
      [artifactKeys.checkpoint('r1', 'prepare'), plan({ review: true })],
      [artifactKeys.checkpoint('r1', 'discover'), { storiesKey: 'k', storyIds: ['a'], candidates: 3 }],
    ]);

    const input = await stageInputFromCheckpoints('scrape', ids, media, STAGES);

    expect(Object.keys(input.stages)).toEqual(['prepare', 'discover']);
    expect(input.stages.discover).toEqual({ storiesKey: 'k', storyIds: ['a'], candidates: 3 });
  });

  it.each([
    [
      'prepare has not run',
      [],
      'mix',
      'checkpoint s3://media/runs/r1/prepare/output.json (stage prepare) is missing: it must finish before mix runs',
    ],
    [
      'a dependency has not run',
      [[artifactKeys.checkpoint('r1', 'prepare'), plan({})]],
      'scrape',
      'runs/r1/discover/output.json (stage discover) is missing',
    ],
    [
      'the first stage is asked for',
      [],
      'prepare',
      'stage "prepare" needs the run input and cannot run as a stage task',
    ],
    ['the stage is unknown', [], 'nope', 'unknown stage "nope"'],
  ] as [string, [string, unknown][], string, string][])(
    'fails with a FatalStageError when %s',
    async (_what, entries, stageId, message) => {
      const media = await store(entries);

      const attempt = stageInputFromCheckpoints(stageId, ids, media, STAGES);

      await expect(attempt).rejects.toMatchObject({ name: 'FatalStageError' });
      await expect(attempt).rejects.toThrow(message);
    }
  );
});

describe('readStageTaskEnv', () => {
  it('reads the ids, the optional token and the heartbeat', () => {
    const env = readStageTaskEnv({
      STAGE_ID: 'mix',
      RUN_ID: 'r1',
      PODCAST_ID: 'p',
      TASK_TOKEN: 't',
      HEARTBEAT_SECONDS: '45',
    });

    expect(env).toEqual({
      stageId: 'mix',
      runId: 'r1',
      podcastId: 'p',
      taskToken: 't',
      heartbeatSeconds: 45,
    });
    expect(heartbeatIntervalMs(env)).toBe(15_000);
    expect(heartbeatIntervalMs({ heartbeatSeconds: 300 })).toBe(20_000);
    expect(heartbeatIntervalMs({ heartbeatSeconds: 1 })).toBe(1_000);
    expect(readStageTaskEnv({ STAGE_ID: 'mix', RUN_ID: 'r1', PODCAST_ID: 'p' })).toEqual({
      stageId: 'mix',
      runId: 'r1',
      podcastId: 'p',
      heartbeatSeconds: 300,
    });
  });

  it.each([
    [{ RUN_ID: 'r1', PODCAST_ID: 'p' }, 'STAGE_ID: environment variable STAGE_ID is required but not set'],
    [
      { STAGE_ID: 'mix', RUN_ID: 'r1', PODCAST_ID: 'p', HEARTBEAT_SECONDS: 'soon' },
      'HEARTBEAT_SECONDS: must be a positive number of seconds, got "soon"',
    ],
  ])('names the bad variable', (env, message) => {
    expect(() => readStageTaskEnv(env)).toThrow(message);
  });
});
