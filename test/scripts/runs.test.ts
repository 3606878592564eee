import { parseDuration, formatDuration } from '../../scripts/lib/cli-flags';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openRunStore, type RunStore, type StoreLocation } from '../../scripts/lib/run-store';
import { runsMain, selectStalled } from '../../scripts/lib/runs-commands';
import { unitTimings } from '../../scripts/lib/runs-format';
import { failStalledRuns } from '../../stages/run-watchdog/run-watchdog';
import type { PipelineEvent } from '../../stages/shared/ports';
import { STALLED_AFTER_MS } from '../../stages/shared/stalled-runs';
import { makeFakeDeps, type FakeDeps } from '../fakes/fake-deps';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const at = (minutesAgo: number, seconds = 0) =>
  new Date(NOW.getTime() - minutesAgo * 60_000 + seconds * 1000).toISOString();

/** Three runs: one succeeded an hour ago, one running and quiet for 40 minutes, one running now. */
async function seed(deps: FakeDeps): Promise<void> {
  const newRun = (runId: string, podcastId: string, mode: 'monolithic' | 'distributed') => ({
    runId,
    podcastId,
    mode,
    inputHash: runId,
    input: {},
  });
  await deps.runs.claim(newRun('tech-weekly-aaa', 'tech-weekly', 'monolithic'), at(70));
  await deps.runs.beginUnit('tech-weekly-aaa', 'feed', 'feed', at(61));
  await deps.runs.completeUnit('tech-weekly-aaa', 'feed', 95, 95, at(60));
  await deps.runs.markSucceeded('tech-weekly-aaa', { episodeId: '2026-11-23', guid: 'g-1' }, at(60));

  await deps.runs.claim(newRun('science-hour-bbb', 'science-hour', 'distributed'), at(55));
  await deps.runs.completeUnit('science-hour-bbb', 'prepare', 1, 95, at(54));
  await deps.runs.completeUnit('science-hour-bbb', 'discover', 3, 95, at(52));
  await deps.runs.beginUnit('science-hour-bbb', 'scrape', 'scrape', at(40));

  await deps.runs.claim(newRun('daily-ccc', 'daily', 'monolithic'), at(3));
  await deps.runs.beginUnit('daily-ccc', 'tts/2', 'tts', at(0, -20));
}

/** Fake deps whose clock reads NOW (what `runs fail` measures quiet time against). */
function depsAtNow(): FakeDeps {
  const deps = makeFakeDeps();
  deps.clock.advance(NOW.getTime() - deps.clock.now().getTime());
  return deps;
}

function harness(deps: FakeDeps = depsAtNow()) {
  const out: string[] = [];
  const err: string[] = [];
  const opened: unknown[] = [];
  const io = {
    out: (line: string) => out.push(line),
    err: (line: string) => err.push(line),
    cwd: '/work',
    env: {},
    now: () => NOW,
    openStore: async (location: unknown): Promise<RunStore> => {
      opened.push(location);
      return { persistence: deps, deps, where: 'memory', close: async () => undefined };
    },
  };
  return { io, out, err, deps, opened };
}

describe('runs list', () => {
  it('shows the most recent runs as a table', async () => {
    // Prepare
    const h = harness();
    await seed(h.deps);

    // Act
    const code = await runsMain(['list'], h.io);

    // Assess
    expect(code).toBe(0);
    expect(h.out).toEqual([
      'RUN ID            PODCAST       STATUS     MODE         PROGRESS  STAGE   UPDATED               AGE',
      'daily-ccc         daily         running    monolithic   0%        tts     2026-11-23 11:59:40Z  3m00s',
      'science-hour-bbb  science-hour  running    distributed  4%        scrape  2026-11-23 11:20:00Z  55m00s',
      'tech-weekly-aaa   tech-weekly   succeeded  monolithic   100%      feed    2026-11-23 11:00:00Z  1h10m',
    ]);
    expect(h.opened).toEqual([{ local: false, cwd: '/work', env: {} }]);
  });

  it('filters by status and limits the rows', async () => {
    const h = harness();
    await seed(h.deps);

    await runsMain(
      ['list', '--status', 'running', '--limit', '1', '--local', '--data-dir', 'tmp/data'],
      h.io
    );

    expect(h.out.map((l) => l.split(' ')[0])).toEqual(['RUN', 'daily-ccc']);
    expect(h.opened).toEqual([{ local: true, dataDir: 'tmp/data', cwd: '/work', env: {} }]);
  });

  it('--stalled lists running runs quiet past the plan deadline by default, or past --older-than', async () => {
    const h = harness();
    await seed(h.deps);

    await runsMain(['list', '--stalled'], h.io);
    const byDefault = h.out.splice(0);
    await runsMain(['list', '--stalled', '--older-than', '30m'], h.io);
    const thirtyMinutes = h.out.splice(0);
    await runsMain(['list', '--stalled', '--older-than', '45m'], h.io);

    // science-hour-bbb has been quiet for 40 minutes: within the plan's deadline (about an hour).
    expect(byDefault).toEqual([
      `no stalled runs (running and not updated for ${formatDuration(STALLED_AFTER_MS)})`,
    ]);
    expect(thirtyMinutes.map((l) => l.split(' ')[0])).toEqual(['RUN', 'science-hour-bbb']);
    expect(h.out).toEqual(['no stalled runs (running and not updated for 45m00s)']);
  });

  it('lists by default exactly the runs the run watchdog fails (one rule)', async () => {
    // Prepare: runs quiet just past and just within the deadline, plus the seed's.
    const h = harness();
    await seed(h.deps);
    const quietFor = async (runId: string, ms: number) => {
      await h.deps.runs.claim(
        { runId, podcastId: 'p', mode: 'distributed', inputHash: runId, input: {} },
        at(600)
      );
      await h.deps.runs.beginUnit(runId, 'scrape', 'scrape', new Date(NOW.getTime() - ms).toISOString());
    };
    await quietFor('past-deadline', STALLED_AFTER_MS + 1000);
    await quietFor('within-deadline', STALLED_AFTER_MS - 1000);

    // Act
    await runsMain(['list', '--stalled'], h.io);
    const report = await failStalledRuns(h.deps);

    // Assess
    expect(h.out.slice(1).map((l) => l.split(' ')[0])).toEqual(['past-deadline']);
    expect(report.failed.map((f) => f.runId)).toEqual(['past-deadline']);
  });

  it('selects stalled runs strictly older than the threshold, oldest first', () => {
    const base = {
      podcastId: 'p',
      mode: 'monolithic' as const,
      inputHash: 'h',
      input: {},
      runAttempt: 1,
      createdAt: at(90),
      stageAttempts: {},
      doneUnits: [],
      progressPoints: 0,
      progressPercent: 0,
    };
    const runs = [
      { ...base, runId: 'edge', status: 'running' as const, updatedAt: at(15) },
      { ...base, runId: 'old', status: 'running' as const, updatedAt: at(50) },
      { ...base, runId: 'older', status: 'running' as const, updatedAt: at(80) },
      { ...base, runId: 'failed-old', status: 'failed' as const, updatedAt: at(80) },
    ];

    expect(selectStalled(runs, NOW, 15 * 60_000).map((r) => r.runId)).toEqual(['older', 'old']);
  });

  it('rejects bad arguments with exit code 2', async () => {
    const h = harness();

    const codes = [
      await runsMain(['list', '--older-than', '5m'], h.io),
      await runsMain(['list', '--status', 'paused'], h.io),
      await runsMain(['list', '--stalled', '--older-than', 'soon'], h.io),
      await runsMain(['show'], h.io),
      await runsMain(['purge'], h.io),
    ];

    expect(codes).toEqual([2, 2, 2, 2, 2]);
    expect(h.err).toEqual([
      'error: --older-than goes with list --stalled or fail',
      'error: --status must be one of running, succeeded, failed, skipped, not "paused"',
      'error: --older-than must be a duration such as 90s, 15m, 2h or 1d, not "soon"',
      'error: runs show needs a runId',
      'error: unknown command "purge" (list, show, fail, approve, reject or edit)',
    ]);
    expect(h.opened).toEqual([]);
  });
});

function stageEvents(runId: string): PipelineEvent[] {
  const e = (
    unit: string,
    attempt: number,
    type: PipelineEvent['type'],
    time: string,
    extra: Partial<PipelineEvent> = {}
  ): PipelineEvent => ({
    runId,
    eventKey: `${unit}#00${attempt}#${type}`,
    type,
    at: time,
    stage: unit.split('/')[0] as string,
    unit,
    attempt,
    ...extra,
  });
  return [
    e('prepare', 1, 'stage.started', '2026-11-23T11:05:00.000Z'),
    e('prepare', 1, 'stage.succeeded', '2026-11-23T11:05:01.200Z', { durationMs: 1200 }),
    e('tts/0', 1, 'stage.started', '2026-11-23T11:06:00.000Z'),
    e('tts/0', 1, 'stage.failed', '2026-11-23T11:06:05.000Z', { durationMs: 5000 }),
    e('tts/0', 2, 'stage.retried', '2026-11-23T11:06:09.000Z'),
    e('tts/0', 2, 'stage.started', '2026-11-23T11:06:09.000Z'),
    e('tts/0', 2, 'stage.succeeded', '2026-11-23T11:07:39.000Z', { durationMs: 90_000 }),
    e('mix', 1, 'stage.started', '2026-11-23T11:08:00.000Z'),
    e('mix', 1, 'stage.failed', '2026-11-23T11:09:30.500Z', {
      durationMs: 90_500,
      error: { stage: 'mix', name: 'FatalStageError', message: 'ffmpeg exited 1' },
    }),
    e('artwork', 1, 'stage.started', '2026-11-23T11:08:00.000Z'),
  ];
}

describe('runs output', () => {
  it('never lets a stored value drive the terminal (escape sequences are printed escaped)', async () => {
    const deps = depsAtNow();
    const podcastId = 'pod\u001b[2J\u001b]0;pwned\u0007';
    await deps.runs.claim(
      { runId: 'esc-run', podcastId, mode: 'monolithic', inputHash: 'h', input: {} },
      at(1)
    );
    const { io, out } = harness(deps);
    expect(await runsMain(['list', '--local'], io)).toBe(0);
    const text = out.join('\n');
    expect([...out.join('')].filter((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)).toEqual([]);
    expect(text).toContain('pod\\u001b[2J\\u001b]0;pwned\\u0007');
  });
});

describe('runs show', () => {
  it('shows the status, the error with its stage and a timing table per unit', async () => {
    const h = harness();
    await h.deps.runs.claim(
      { runId: 'r1', podcastId: 'tech-weekly', mode: 'distributed', inputHash: 'h', input: {} },
      '2026-11-23T11:05:00.000Z'
    );
    await h.deps.runs.markFailed(
      'r1',
      { stage: 'mix', name: 'FatalStageError', message: 'ffmpeg exited 1' },
      '2026-11-23T11:09:31.000Z'
    );
    for (const event of stageEvents('r1')) await h.deps.events.append(event);

    const code = await runsMain(['show', 'r1'], h.io);

    expect(code).toBe(0);
    expect(h.out).toEqual([
      'run       r1',
      'podcast   tech-weekly',
      'status    failed',
      'mode      distributed',
      'progress  0%',
      'created   2026-11-23 11:05:00Z (55m00s ago)',
      'updated   2026-11-23 11:09:31Z (50m29s ago)',
      'error     stage mix: FatalStageError: ffmpeg exited 1',
      '',
      'UNIT     STARTED   FINISHED  DURATION  ATTEMPTS  RESULT',
      'prepare  11:05:00  11:05:01  1.2s      1         succeeded',
      'tts/0    11:06:00  11:07:39  1m30s     2         succeeded',
      'artwork  11:08:00  -         -         1         unfinished',
      'mix      11:08:00  11:09:30  1m31s     1         failed',
    ]);
  });

  it('marks a unit being retried, and says when there are no events yet', () => {
    const events = stageEvents('r1').slice(2, 5);

    expect(unitTimings(events)).toEqual([
      {
        unit: 'tts/0',
        stage: 'tts',
        startedAt: '2026-11-23T11:06:00.000Z',
        finishedAt: '2026-11-23T11:06:05.000Z',
        durationMs: 5000,
        attempts: 2,
        result: 'retrying',
      },
    ]);
    expect(unitTimings([])).toEqual([]);
  });

  it('shows a skipped run with the stage and the reason, complete', async () => {
    const h = harness();
    await h.deps.runs.claim(
      { runId: 'r2', podcastId: 'tech-weekly', mode: 'monolithic', inputHash: 'h', input: {} },
      '2026-11-23T11:05:00.000Z'
    );
    const reason = 'no new stories: all 4 candidates were covered in episodes 2026-11-16, 2026-11-23';
    await h.deps.runs.markSkipped('r2', { stage: 'discover', reason }, '2026-11-23T11:05:02.000Z');

    await runsMain(['show', 'r2'], h.io);
    const listed = harness(h.deps);
    await runsMain(['list', '--status', 'skipped'], listed.io);

    expect(h.out.slice(0, 8)).toEqual([
      'run       r2',
      'podcast   tech-weekly',
      'status    skipped',
      'mode      monolithic',
      'progress  100%',
      'created   2026-11-23 11:05:00Z (55m00s ago)',
      'updated   2026-11-23 11:05:02Z (54m58s ago)',
      `skipped   stage discover: ${reason} (nothing published)`,
    ]);
    expect(listed.out).toHaveLength(2);
    expect(listed.out[1]).toMatch(/^r2 +tech-weekly +skipped +monolithic +100% /);
  });

  it('exits 1 for an unknown run', async () => {
    const h = harness();

    expect(await runsMain(['show', 'nope'], h.io)).toBe(1);
    expect(h.err).toEqual(['error: no run "nope"']);
  });
});

describe('runs fail', () => {
  it('fails a stalled run through the run lifecycle, naming the stage and the reason', async () => {
    // Prepare
    const deps = depsAtNow();
    const h = harness(deps);
    await seed(deps);

    // Act
    const code = await runsMain(
      ['fail', 'science-hour-bbb', '--reason', 'orchestrator task was OOM-killed', '--older-than', '30m'],
      h.io
    );

    // Assess
    expect(code).toBe(0);
    const run = await deps.runs.get('science-hour-bbb');
    expect(run?.status).toBe('failed');
    expect(run?.error).toEqual({
      stage: 'scrape',
      name: 'RunStalledError',
      message: 'orchestrator task was OOM-killed (no update for 40m00s; failed by an operator)',
    });
    const events = await deps.events.list('science-hour-bbb');
    expect(events.map((e) => [e.type, e.stage])).toEqual([['run.failed', 'scrape']]);
    expect(h.out).toEqual([
      'run science-hour-bbb marked failed at stage scrape: orchestrator task was OOM-killed (no update for 40m00s; failed by an operator)',
    ]);
  });

  it('refuses a run updated recently unless --force, and a run that is not running', async () => {
    const deps = depsAtNow();
    const h = harness(deps);
    await seed(deps);

    const recent = await runsMain(['fail', 'daily-ccc', '--reason', 'stuck'], h.io);
    const withinDeadline = await runsMain(['fail', 'science-hour-bbb', '--reason', 'stuck'], h.io);
    const finished = await runsMain(['fail', 'tech-weekly-aaa', '--reason', 'stuck'], h.io);
    const noReason = await runsMain(['fail', 'daily-ccc'], h.io);
    const forced = await runsMain(['fail', 'daily-ccc', '--reason', 'stuck', '--force'], h.io);

    expect([recent, withinDeadline, finished, noReason, forced]).toEqual([2, 2, 1, 2, 0]);
    const deadline = formatDuration(STALLED_AFTER_MS);
    expect(h.err).toEqual([
      `error: run "daily-ccc" was updated 20s ago (2026-11-23 11:59:40Z), within --older-than ${deadline}: it may still be working; pass --force to fail it anyway`,
      `error: run "science-hour-bbb" was updated 40m00s ago (2026-11-23 11:20:00Z), within --older-than ${deadline}: it may still be working; pass --force to fail it anyway`,
      'error: run "tech-weekly-aaa" is succeeded, not running: nothing to fail',
      'error: runs fail needs --reason "<why the run is being failed>"',
    ]);
    expect((await deps.runs.get('daily-ccc'))?.status).toBe('failed');
  });
});

describe('durations', () => {
  it('parses and prints the units operators type', () => {
    expect(['90s', '15m', '2h', '1d', '1h30m', '10'].map((d) => parseDuration(d, '--x'))).toEqual([
      90_000, 900_000, 7_200_000, 86_400_000, 5_400_000, 600_000,
    ]);
    expect([0, 59_400, 65_000, 3_700_000, 90_000_000].map(formatDuration)).toEqual([
      '0s',
      '59s',
      '1m05s',
      '1h01m',
      '1d01h',
    ]);
  });
});

describe('--data-dir (the real local store)', () => {
  const io = (cwd: string, err: string[]) => ({
    out: () => undefined,
    err: (line: string) => void err.push(line),
    cwd,
    env: {},
    openStore: (location: StoreLocation) => openRunStore(location, { existingDataDir: true }),
  });

  it('a folder that does not exist: exit 2 naming --data-dir, and the folder is not created', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'runs-data-dir-'));
    const err: string[] = [];
    try {
      const code = await runsMain(['list', '--data-dir', 'no-such-data'], io(cwd, err));

      expect(code).toBe(2);
      expect(err).toEqual([
        `error: --data-dir ${path.join(cwd, 'no-such-data')} does not exist: pass the folder the orchestrator keeps its local data in (default .data)`,
      ]);
      expect(existsSync(path.join(cwd, 'no-such-data'))).toBe(false);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('a file: exit 2 naming --data-dir', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'runs-data-dir-'));
    writeFileSync(path.join(cwd, 'a-file'), 'x');
    const err: string[] = [];
    try {
      expect(await runsMain(['show', 'r1', '--local', '--data-dir', 'a-file'], io(cwd, err))).toBe(2);
      expect(err).toEqual([`error: --data-dir ${path.join(cwd, 'a-file')} is not a folder`]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('implies --local (it is never silently ignored)', async () => {
    const h = harness();

    await runsMain(['list', '--data-dir', 'tmp/data'], h.io);

    expect(h.opened).toEqual([{ local: true, dataDir: 'tmp/data', cwd: '/work', env: {} }]);
  });
});
