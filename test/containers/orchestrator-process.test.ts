/**
 * The orchestrator's entry point (containers/orchestrator/main.ts) as the container runs it: a
 * node process. Input from a file argument, PIPELINE_INPUT or stdin (in that order of precedence),
 * RUN_ID/PODCAST_ID filling in the input; exit codes 0 published, 1 run failed, 2 bad input; errors
 * as one `error:` line on stderr, never a stack trace; SIGTERM mid-stage records the run failed
 * (RunInterruptedError at the current stage) and exits 143 well within the handler's 20 s deadline
 * (the container's stop timeout is 60 s). Heavy providers are the test preload's quick ones.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLocalServers } from '../../containers/orchestrator/local/local-servers';
import { createAwsPersistence } from '../../stages/shared/adapters/aws/create-aws-persistence';
import type { PodcastConfig } from '../../stages/shared/config-schema';
import { faultEnv } from '../helpers/fault-injection';
import { smallPodcast, unitsOf } from '../helpers/fault-injection-harness';
import {
  type OrchestratorProcess,
  startOrchestrator,
  writeRunFiles,
} from '../helpers/fault-injection-process';

jest.setTimeout(60_000);

/**
 * main.ts exits anyway 20 s after SIGTERM (Fargate kills at 60 s). The handler (fail the run,
 * stop the servers) measured about 40 ms, so 5 s is far inside the deadline and still catches a
 * handler that hangs until it.
 */
const SIGTERM_BOUND_MS = 5_000;
const RUN_ID = 'tech-weekly-2026-11-23';
const DATE = '2026-11-23';

let work: string;
let dataDir: string;
let podcast: PodcastConfig;
let files: { podcastFile: string; inputFile: string };
const input = { runId: RUN_ID, podcastId: 'tech-weekly', episode: { date: DATE } };

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'orchestrator-process-'));
  dataDir = path.join(work, 'data');
  podcast = await smallPodcast();
  files = await writeRunFiles(work, podcast, input);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const common = () => ['--json', '--data-dir', dataDir, '--output-dir', path.join(work, 'out')];

async function finished(proc: OrchestratorProcess) {
  const exit = await proc.exited;
  return { code: exit.code, stdout: proc.stdout(), stderr: proc.stderr() };
}

function expectNoStackTrace(text: string) {
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

/** stderr: structured log lines (JSON) and exactly one `error:` line, the last. */
function errorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines.filter((l) => l.startsWith('error:'))).toHaveLength(1);
  expect(lines.at(-1)).toMatch(/^error: /);
  for (const line of lines.slice(0, -1)) expect(() => JSON.parse(line) as unknown).not.toThrow();
  expectNoStackTrace(stderr);
  return lines.at(-1) as string;
}

describe('where the run input comes from', () => {
  it('a file argument: published (exit 0), the file taking precedence over PIPELINE_INPUT and stdin', async () => {
    const proc = startOrchestrator(['--podcast', files.podcastFile, files.inputFile, ...common()], {
      env: { PIPELINE_INPUT: '{"broken": ' },
      stdin: 'not json either',
    });

    const { code, stderr } = await finished(proc);

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(proc.results).toEqual([
      expect.objectContaining({ type: 'result', runId: RUN_ID, status: 'succeeded', episodeId: DATE }),
    ]);
    expect(unitsOf(proc.events, 'stage.succeeded')).toHaveLength(19);
  });

  it('PIPELINE_INPUT, over stdin: the same run again, already published (exit 0, no stage started)', async () => {
    const proc = startOrchestrator(common(), {
      env: { PIPELINE_INPUT: JSON.stringify(input) },
      stdin: 'not json',
    });

    const { code, stderr } = await finished(proc);

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(proc.results).toEqual([expect.objectContaining({ runId: RUN_ID, status: 'succeeded' })]);
    expect(unitsOf(proc.events, 'stage.started')).toEqual([]);
  });

  it('stdin, with RUN_ID and PODCAST_ID filling in what it lacks (and the data dir from PODCAST_PLATFORM_DATA_DIR)', async () => {
    const proc = startOrchestrator(['--json', '--output-dir', path.join(work, 'out')], {
      env: { RUN_ID, PODCAST_ID: 'tech-weekly', PODCAST_PLATFORM_DATA_DIR: dataDir },
      stdin: JSON.stringify({ episode: { date: DATE } }),
    });

    const { code, stderr } = await finished(proc);

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(proc.results).toEqual([
      expect.objectContaining({ runId: RUN_ID, status: 'succeeded', episodeId: DATE }),
    ]);
    expect(unitsOf(proc.events, 'stage.started')).toEqual([]);
  });
});

describe('bad input: exit 2, one error line naming the problem, nothing on stdout', () => {
  test.each([
    ['an unknown option', ['--frobnicate'], {}, undefined, /^error: unknown option --frobnicate/],
    ['broken JSON on stdin', [], {}, '{"runId": "r1",', /^error: stdin is not valid JSON/],
    [
      'RUN_ID disagreeing with the input',
      [],
      { RUN_ID: 'another-run', PIPELINE_INPUT: JSON.stringify(input) },
      undefined,
      /^error: RUN_ID \(another-run\) does not match input\.runId/,
    ],
  ] as const)('%s', async (_what, args, env, stdin, message) => {
    const proc = startOrchestrator([...args, ...common()], {
      env: { ...env },
      ...(stdin === undefined ? {} : { stdin }),
    });

    const { code, stdout, stderr } = await finished(proc);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
  });
});

describe('a failed run and a stopped run', () => {
  it('a permanent stage failure: exit 1, the error line names the run, the stage and the cause', async () => {
    const failing = {
      runId: 'tech-weekly-2026-11-24',
      podcastId: 'tech-weekly',
      episode: { date: '2026-11-24' },
    };
    const proc = startOrchestrator(['--podcast', files.podcastFile, ...common()], {
      env: { PIPELINE_INPUT: JSON.stringify(failing), ...faultEnv([{ stage: 'discover', kind: 'fatal' }]) },
    });

    const { code, stdout, stderr } = await finished(proc);

    expect(code).toBe(1);
    expect(errorLine(stderr)).toBe(
      'error: run tech-weekly-2026-11-24 failed at stage discover: FatalStageError: injected fatal fault in discover (attempt 1)'
    );
    expectNoStackTrace(stdout);
    expect(proc.events.at(-1)).toMatchObject({
      type: 'run.failed',
      stage: 'discover',
      error: { name: 'FatalStageError' },
    });
    expect(proc.results).toEqual([]);
  });

  it('SIGTERM mid-stage: the run is recorded failed at that stage, its events written, exit 143 within the deadline', async () => {
    // Prepare: mix never finishes on its own. A date before the episode published above, so story
    // memory (which reads only earlier episodes) lets this run pick the same stories as that one.
    const stopped = {
      runId: 'tech-weekly-2026-11-22',
      podcastId: 'tech-weekly',
      episode: { date: '2026-11-22' },
    };
    const proc = startOrchestrator(['--podcast', files.podcastFile, ...common()], {
      env: { PIPELINE_INPUT: JSON.stringify(stopped), ...faultEnv([{ stage: 'mix', kind: 'hang' }]) },
    });
    await proc.waitForEvent((e) => e.type === 'stage.started' && e.stage === 'mix', 'mix to start');

    // Act
    const signalled = performance.now();
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    const stopMs = performance.now() - signalled;

    // Assess
    expect(exit).toEqual({ code: 143, signal: null });
    expect(stopMs).toBeLessThan(SIGTERM_BOUND_MS);
    expectNoStackTrace(proc.stdout());
    const interrupted = {
      stage: 'mix',
      name: 'RunInterruptedError',
      message: expect.stringContaining('SIGTERM'),
    };
    expect(proc.events.at(-1)).toMatchObject({ type: 'run.failed', stage: 'mix', error: interrupted });
    const servers = await startLocalServers({ dataDir, quiet: true });
    try {
      const db = createAwsPersistence(servers.env);
      expect(await db.runs.get(stopped.runId)).toMatchObject({
        status: 'failed',
        currentStage: 'mix',
        error: interrupted,
      });
      const types = (await db.events.list(stopped.runId)).map((e) => `${e.unit ?? 'run'}:${e.type}`);
      expect(types).toEqual(
        expect.arrayContaining([
          'run:run.started',
          'tts/3:stage.succeeded',
          'mix:stage.started',
          'run:run.failed',
        ])
      );
      expect(await db.episodes.get('tech-weekly', '2026-11-22')).toBeUndefined();
    } finally {
      await servers.stop();
    }
  });
});
