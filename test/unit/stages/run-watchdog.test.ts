import { createRunWatchdogHandler, type WatchdogRuntime } from '../../../stages/run-watchdog/handler';
import { failStalledRuns } from '../../../stages/run-watchdog/run-watchdog';
import { WATCHDOG_METRIC, watchdogMetricDocument } from '../../../stages/run-watchdog/watchdog-metric';
import { formatDuration } from '../../../stages/shared/durations';
import { STALLED_AFTER_MS, STALLED_ERROR_NAME } from '../../../stages/shared/stalled-runs';
import { makeFakeDeps, type FakeDeps } from '../../fakes/fake-deps';

const MINUTE = 60_000;

/** The fake clock's now, minus `ms`, as the ISO time a write then would record. */
const ago = (deps: FakeDeps, ms: number) => new Date(deps.clock.now().getTime() - ms).toISOString();

const newRun = (runId: string) => ({
  runId,
  podcastId: 'tech-weekly',
  mode: 'distributed' as const,
  inputHash: runId,
  input: {},
});

/** A run claimed long ago whose last write was `quietMs` ago, in `stage` if given. */
async function seedRun(deps: FakeDeps, runId: string, quietMs: number, stage?: string): Promise<void> {
  await deps.runs.claim(newRun(runId), ago(deps, quietMs + 10 * MINUTE));
  if (stage) await deps.runs.beginUnit(runId, stage, stage, ago(deps, quietMs));
  else await deps.runs.touch(runId, ago(deps, quietMs));
}

describe('failStalledRuns', () => {
  it('fails each run silent past the plan deadline through the run lifecycle, naming silence and stage', async () => {
    // Prepare: one stalled in scrape, one stalled before any stage, one slow but within the deadline, one finished.
    const deps = makeFakeDeps();
    await seedRun(deps, 'lost-task', STALLED_AFTER_MS + 30 * MINUTE, 'scrape');
    await seedRun(deps, 'lost-early', STALLED_AFTER_MS + MINUTE);
    await seedRun(deps, 'slow', STALLED_AFTER_MS - MINUTE, 'mix');
    await seedRun(deps, 'done', STALLED_AFTER_MS * 2, 'feed');
    await deps.runs.markSucceeded('done', { episodeId: 'e', guid: 'g' }, ago(deps, STALLED_AFTER_MS * 2));

    // Act
    const report = await failStalledRuns(deps);

    // Assess: the two stalled runs are failed, longest quiet first; the others are untouched.
    expect(report).toEqual({
      running: 3,
      failed: [
        { runId: 'lost-task', stage: 'scrape', quietMs: STALLED_AFTER_MS + 30 * MINUTE },
        { runId: 'lost-early', stage: 'run', quietMs: STALLED_AFTER_MS + MINUTE },
      ],
      errors: [],
    });
    const lost = await deps.runs.get('lost-task');
    expect(lost?.status).toBe('failed');
    const quiet = STALLED_AFTER_MS + 30 * MINUTE;
    expect(lost?.error).toEqual({
      stage: 'scrape',
      name: STALLED_ERROR_NAME,
      message: `no update for ${formatDuration(quiet)} (since ${ago(deps, quiet)}, at stage scrape), past the ${formatDuration(STALLED_AFTER_MS)} deadline (the plan's longest unit with all its retries, plus a margin): its process or task was lost; failed by the run watchdog`,
    });
    expect((await deps.events.list('lost-task')).map((e) => [e.type, e.stage, e.error?.name])).toEqual([
      ['run.failed', 'scrape', STALLED_ERROR_NAME],
    ]);
    expect((await deps.runs.get('slow'))?.status).toBe('running');
    expect((await deps.runs.get('done'))?.status).toBe('succeeded');
    expect(await deps.events.list('slow')).toEqual([]);
  });

  it('leaves a run that wrote again after the listing (the index lags the table)', async () => {
    // Prepare: the listing still shows the old record, the table has a fresh write.
    const deps = makeFakeDeps();
    await seedRun(deps, 'revived', STALLED_AFTER_MS + 10 * MINUTE, 'tts');
    const stale = await deps.runs.list({ status: 'running' });
    await deps.runs.touch('revived', ago(deps, MINUTE));
    jest.spyOn(deps.runs, 'list').mockResolvedValueOnce(stale);

    // Act
    const report = await failStalledRuns(deps);

    // Assess
    expect(report.failed).toEqual([]);
    expect((await deps.runs.get('revived'))?.status).toBe('running');
  });

  it('leaves a skipped run as it is, even when the listing still shows it running', async () => {
    // Prepare: skipped long ago (nothing new to publish); the index still lists it as running.
    const deps = makeFakeDeps();
    await seedRun(deps, 'nothing-new', STALLED_AFTER_MS + 10 * MINUTE, 'discover');
    const stale = await deps.runs.list({ status: 'running' });
    const skip = { stage: 'discover', reason: 'no new stories: all 4 candidates were covered' };
    await deps.runs.markSkipped('nothing-new', skip, ago(deps, STALLED_AFTER_MS + 9 * MINUTE));
    jest.spyOn(deps.runs, 'list').mockResolvedValueOnce(stale);

    // Act
    const report = await failStalledRuns(deps);

    // Assess
    expect(report).toEqual({ running: 1, failed: [], errors: [] });
    expect(await deps.runs.get('nothing-new')).toMatchObject({ status: 'skipped', skipped: skip });
    expect(await deps.events.list('nothing-new')).toEqual([]);
  });

  it('does not count a run that ended while it was being failed', async () => {
    const deps = makeFakeDeps();
    await seedRun(deps, 'just-finished', STALLED_AFTER_MS + 10 * MINUTE, 'feed');
    // The run succeeds between the watchdog's re-read and its conditional update.
    const markFailed = deps.runs.markFailed.bind(deps.runs);
    jest.spyOn(deps.runs, 'markFailed').mockImplementationOnce(async (runId, error, now) => {
      await deps.runs.markSucceeded(runId, { episodeId: 'e', guid: 'g' }, now);
      return markFailed(runId, error, now);
    });

    const report = await failStalledRuns(deps);

    expect(report.failed).toEqual([]);
    expect((await deps.runs.get('just-finished'))?.status).toBe('succeeded');
  });

  it('goes on with the other runs when one cannot be failed, and reports it', async () => {
    const deps = makeFakeDeps();
    await seedRun(deps, 'throttled', STALLED_AFTER_MS + 20 * MINUTE, 'scrape');
    await seedRun(deps, 'lost', STALLED_AFTER_MS + 10 * MINUTE, 'mix');
    const markFailed = deps.runs.markFailed.bind(deps.runs);
    jest.spyOn(deps.runs, 'markFailed').mockImplementation(async (runId, error, now) => {
      if (runId === 'throttled')
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return markFailed(runId, error, now);
    });

    const report = await failStalledRuns(deps);

    expect(report.failed.map((f) => f.runId)).toEqual(['lost']);
    expect(report.errors).toEqual([
      { runId: 'throttled', error: { name: 'ThrottlingException', message: 'Rate exceeded' } },
    ]);
    expect((await deps.runs.get('throttled'))?.status).toBe('running');
  });
});

describe('the run watchdog handler', () => {
  function runtime(deps: FakeDeps) {
    const lines: string[] = [];
    const built: WatchdogRuntime = {
      deps,
      stackName: 'PodcastPlatform',
      writeLine: (line) => lines.push(line),
    };
    return { built, lines };
  }

  it('writes one EMF line with how many runs it failed, every check (0 included)', async () => {
    // Prepare
    const deps = makeFakeDeps();
    await seedRun(deps, 'lost', STALLED_AFTER_MS + MINUTE, 'scrape');
    const { built, lines } = runtime(deps);
    const buildRuntime = jest.fn(() => built);
    const handler = createRunWatchdogHandler(buildRuntime);

    // Act
    await handler();
    await handler();

    // Assess
    expect(buildRuntime).toHaveBeenCalledTimes(1);
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      watchdogMetricDocument(1, 'PodcastPlatform', deps.clock.now()),
      watchdogMetricDocument(0, 'PodcastPlatform', deps.clock.now()),
    ]);
    expect(JSON.parse(lines[0] ?? '{}')).toEqual({
      _aws: {
        Timestamp: Date.parse('2026-11-23T12:00:00.000Z'),
        CloudWatchMetrics: [
          {
            Namespace: WATCHDOG_METRIC.namespace,
            Dimensions: [['StackName']],
            Metrics: [{ Name: 'StalledRunsFailed', Unit: 'Count' }],
          },
        ],
      },
      StackName: 'PodcastPlatform',
      StalledRunsFailed: 1,
    });
  });

  it('fails the invocation, after writing the metric, when a stalled run could not be failed', async () => {
    const deps = makeFakeDeps();
    await seedRun(deps, 'stuck', STALLED_AFTER_MS + MINUTE, 'scrape');
    jest.spyOn(deps.runs, 'markFailed').mockRejectedValue(new Error('network down'));
    const { built, lines } = runtime(deps);

    await expect(createRunWatchdogHandler(() => built)()).rejects.toMatchObject({
      name: 'StalledRunsNotFailedError',
      message: 'could not fail 1 stalled run(s): stuck (Error: network down)',
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ StalledRunsFailed: 0 });
  });
});
