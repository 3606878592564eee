/**
 * Crash and resume of the monolithic orchestrator as a real process: killed with SIGKILL right
 * after a stage's stage.succeeded line (for a fan-out stage, after its last shard), the run is
 * left `running`; starting the same input again takes it over, finishes the same episode (same
 * script text, same GUID) and never starts a unit the killed process had finished. Stage
 * executions are counted from the stage.started lines both processes printed (`--json`).
 *
 * The default suite kills at a few representative boundaries; RELIABILITY_FULL=1 kills after
 * each of the 13 stages. Heavy providers are quick stand-ins (the test preload): the point here
 * is the orchestration; the real ones run end to end in test/integration.
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLocalServers } from '../../containers/orchestrator/local/local-servers';
import { STAGES, unitKey } from '../../stages/pipeline-plan';
import { artifactKeys } from '../../stages/shared/artifact-keys';
import { createAwsPersistence } from '../../stages/shared/adapters/aws/create-aws-persistence';
import type { PipelineEvent } from '../../stages/shared/ports';
import { loadPodcastConfigFile } from '../../containers/orchestrator/local/podcast-config-file';
import { createProviders } from '../../stages/shared/adapters/create-providers';
import { DEFAULT_FETCH_POLICY } from '../../stages/shared/adapters/fetch/fetch-policy';
import { makeFakeDeps } from '../fakes/fake-deps';
import {
  allUnits,
  duplicateEvents,
  pipelineInput,
  runMonolithic,
  smallPodcast,
  unitsOf,
} from '../helpers/fault-injection-harness';
import { quickProviders } from '../helpers/fault-injection-providers';
import { stageFinished, startOrchestrator, writeRunFiles } from '../helpers/fault-injection-process';
import type { PodcastConfig } from '../../stages/shared/config-schema';
import { resolvePublicBaseUrl } from '../../stages/shared/public-urls';

jest.setTimeout(90_000);

const FULL = process.env.RELIABILITY_FULL === '1';
const BOUNDARIES = FULL ? STAGES.map((s) => s.id) : ['scrape', 'tts', 'mix'];
const RUN_ID = 'tech-weekly-2026-11-23';
const DATE = '2026-11-23';
const UNITS = allUnits();

let podcast: PodcastConfig;
let reference: { scriptText: string; guid: string };
let work: string;
let files: { podcastFile: string; inputFile: string };

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'process-crash-'));
  // One podcast folder for every case: story ids (and so the writer's phrasing) follow the story
  // URLs, which for file: feeds are paths in that folder.
  files = await writeRunFiles(work, await smallPodcast(), {
    runId: RUN_ID,
    podcastId: 'tech-weekly',
    episode: { date: DATE },
  });
  podcast = resolvePublicBaseUrl(await loadPodcastConfigFile(files.podcastFile), undefined, 'podcast');
  // The same run without a crash (in-process, same providers): the episode a resumed run must equal.
  const deps = makeFakeDeps({
    providers: quickProviders(
      createProviders({ fetchPolicy: { ...DEFAULT_FETCH_POLICY, fileRoots: [await realpath(work)] } })
    ),
  });
  expect(await runMonolithic(deps, pipelineInput(RUN_ID, DATE, podcast))).toEqual({ status: 'succeeded' });
  const run = await deps.runs.get(RUN_ID);
  reference = { scriptText: deps.media.text(`runs/${RUN_ID}/review/script.txt`), guid: run?.guid ?? '' };
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const count = (units: readonly string[], unit: string) => units.filter((u) => u === unit).length;

/**
 * The units whose checkpoint the data dir holds: what the killed process finished, including a
 * unit whose checkpoint landed after its last printed event (the engine writes behind).
 */
async function checkpointedUnits(dataDir: string): Promise<Set<string>> {
  const servers = await startLocalServers({ dataDir, quiet: true });
  try {
    const { media } = createAwsPersistence(servers.env);
    const done = new Set<string>();
    for (const def of STAGES) {
      const count = def.fanOut?.shards;
      const shards =
        count === undefined ? [undefined] : Array.from({ length: count }, (_, index) => ({ index, count }));
      for (const shard of shards)
        if (await media.exists(artifactKeys.checkpoint(RUN_ID, def.id, shard)))
          done.add(unitKey(def.id, shard?.index));
    }
    return done;
  } finally {
    await servers.stop();
  }
}

describe('the monolithic orchestrator killed with SIGKILL', () => {
  test.each(BOUNDARIES)(
    'right after %s succeeded: a rerun takes over, finishes the same episode and redoes no finished unit',
    async (stage) => {
      // Prepare
      const dir = await mkdtemp(path.join(work, `${stage}-`));
      const dataDir = path.join(dir, 'data');
      const args = [
        '--podcast',
        files.podcastFile,
        files.inputFile,
        '--json',
        '--data-dir',
        dataDir,
        '--output-dir',
        path.join(dir, 'out'),
      ];
      const first = startOrchestrator(args);
      await first.waitForEvent(
        (e, seen) => e.type === 'stage.succeeded' && e.stage === stage && stageFinished(stage, UNITS, seen),
        `${stage} to succeed`
      );
      first.child.kill('SIGKILL');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
      const finishedFirst = await checkpointedUnits(dataDir);

      // Act
      const second = startOrchestrator(args);
      const exit = await second.exited;

      // Assess
      expect({ exit, stderr: second.stderr() }).toEqual({ exit: { code: 0, signal: null }, stderr: '' });
      expect(second.results).toEqual([
        expect.objectContaining({
          type: 'result',
          runId: RUN_ID,
          status: 'succeeded',
          episodeId: DATE,
          guid: reference.guid,
        }),
      ]);
      // Every unit the first process said it finished has its checkpoint (maybe more, written behind).
      expect(unitsOf(first.events, 'stage.succeeded').filter((unit) => !finishedFirst.has(unit))).toEqual([]);
      expect(stageFinished(stage, UNITS, first.events)).toBe(true);
      const startedSecond = unitsOf(second.events, 'stage.started');
      expect(startedSecond.filter((unit) => finishedFirst.has(unit))).toEqual([]);
      const startedBoth = [...unitsOf(first.events, 'stage.started'), ...startedSecond];
      for (const unit of UNITS) {
        // a unit the first process finished ran once; every other unit ran at least once (at most twice: killed mid-work)
        if (finishedFirst.has(unit)) expect([unit, count(startedBoth, unit)]).toEqual([unit, 1]);
        else expect([unit, count(startedSecond, unit)]).toEqual([unit, 1]);
      }
      expect(unitsOf(second.events, 'run.started')).toEqual([]); // a takeover, not a new run attempt

      const servers = await startLocalServers({ dataDir, quiet: true });
      try {
        const db = createAwsPersistence(servers.env);
        expect((await db.media.get(`runs/${RUN_ID}/review/script.txt`))?.body.toString('utf8')).toBe(
          reference.scriptText
        );
        expect(await db.runs.get(RUN_ID)).toMatchObject({
          status: 'succeeded',
          runAttempt: 1,
          guid: reference.guid,
          progressPercent: 100,
        });
        expect(
          (await db.episodes.listByPodcast(podcast.podcastId)).map((e) => [e.episodeId, e.guid])
        ).toEqual([[DATE, reference.guid]]);
        const events: PipelineEvent[] = await db.events.list(RUN_ID);
        expect(duplicateEvents(events)).toEqual([]);
        expect(events.filter((e) => e.type === 'run.succeeded')).toHaveLength(1);
        expect(events.filter((e) => e.type === 'run.failed')).toEqual([]);
      } finally {
        await servers.stop();
      }
    }
  );
});
