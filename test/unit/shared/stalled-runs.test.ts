import type { RetryPolicy } from '../../../stages/pipeline-plan';
import { STAGES } from '../../../stages/pipeline-plan';
import type { RunRecord } from '../../../stages/shared/ports';
import {
  isStalled,
  longestUnitSeconds,
  retryWaitSeconds,
  selectStalled,
  STALL_MARGIN_SECONDS,
  STALLED_AFTER_MS,
  STALLED_ERROR_NAME,
  stallDeadlineMs,
  watchdogStallError,
} from '../../../stages/shared/stalled-runs';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

const retry = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  maxAttempts: 3,
  intervalSeconds: 2,
  backoffRate: 2,
  maxDelaySeconds: 30,
  jitter: 'FULL',
  ...overrides,
});

function run(
  runId: string,
  status: RunRecord['status'],
  updatedAt: string,
  currentStage?: string
): RunRecord {
  return {
    runId,
    podcastId: 'p',
    status,
    mode: 'distributed',
    inputHash: 'h',
    input: {},
    runAttempt: 1,
    createdAt: minutesAgo(600),
    updatedAt,
    ...(currentStage ? { currentStage } : {}),
    stageAttempts: {},
    doneUnits: [],
    progressPoints: 0,
    progressPercent: 0,
  };
}

describe('the stall deadline', () => {
  it('adds up the waits Step Functions makes between attempts, capped by maxDelaySeconds', () => {
    expect(retryWaitSeconds(retry())).toBe(2 + 4);
    expect(retryWaitSeconds(retry({ maxAttempts: 6, intervalSeconds: 5, maxDelaySeconds: 30 }))).toBe(
      5 + 10 + 20 + 30 + 30
    );
    expect(retryWaitSeconds(retry({ maxAttempts: 1 }))).toBe(0);
  });

  it('is the longest unit of the plan, every attempt timing out, plus the margin', () => {
    // Prepare: a short stage retried a lot and a long one retried less.
    const plan = [
      { timeoutSeconds: 60, retry: retry({ maxAttempts: 5 }) },
      { timeoutSeconds: 900, retry: retry({ maxAttempts: 2, intervalSeconds: 10 }) },
    ];
    // Act / Assess: 60 x 5 + 2+4+8+16 = 330 s against 900 x 2 + 10 = 1810 s.
    expect(plan.map(longestUnitSeconds)).toEqual([330, 1810]);
    expect(stallDeadlineMs(plan)).toBe((1810 + STALL_MARGIN_SECONDS) * 1000);
    expect(() => stallDeadlineMs([])).toThrow('the plan has no stages');
  });

  it("comes from this plan: no stage's unit can stay silent that long, however it retries", () => {
    expect(STALLED_AFTER_MS).toBe(stallDeadlineMs(STAGES));
    for (const stage of STAGES) {
      expect([stage.id, longestUnitSeconds(stage) * 1000 < STALLED_AFTER_MS]).toEqual([stage.id, true]);
    }
    const longest = Math.max(...STAGES.map(longestUnitSeconds));
    expect(STALLED_AFTER_MS).toBe((longest + STALL_MARGIN_SECONDS) * 1000);
  });
});

describe('which runs are stalled', () => {
  const deadlineMinutes = STALLED_AFTER_MS / 60_000;

  it('is a running run quiet for strictly longer than the deadline', () => {
    expect(isStalled(run('a', 'running', minutesAgo(deadlineMinutes + 1)), NOW)).toBe(true);
    expect(isStalled(run('b', 'running', minutesAgo(deadlineMinutes)), NOW)).toBe(false);
    expect(isStalled(run('c', 'running', minutesAgo(5)), NOW)).toBe(false);
    expect(isStalled(run('d', 'failed', minutesAgo(deadlineMinutes * 3)), NOW)).toBe(false);
    expect(isStalled(run('e', 'succeeded', minutesAgo(deadlineMinutes * 3)), NOW)).toBe(false);
    // Nothing new to publish is an end too: a skipped run is never stalled.
    expect(isStalled(run('g', 'skipped', minutesAgo(deadlineMinutes * 3)), NOW)).toBe(false);
    // An unreadable timestamp is not evidence of a stall.
    expect(isStalled(run('f', 'running', 'not a date'), NOW)).toBe(false);
  });

  it('takes another threshold when asked (runs --older-than), and lists the longest quiet first', () => {
    const runs = [
      run('edge', 'running', minutesAgo(15)),
      run('old', 'running', minutesAgo(50)),
      run('older', 'running', minutesAgo(80)),
      run('failed-old', 'failed', minutesAgo(80)),
    ];
    expect(selectStalled(runs, NOW, 15 * 60_000).map((r) => r.runId)).toEqual(['older', 'old']);
    // The plan's deadline (a little over an hour): only the run quiet for 80 minutes.
    expect(deadlineMinutes).toBeGreaterThan(50);
    expect(deadlineMinutes).toBeLessThan(80);
    expect(selectStalled(runs, NOW).map((r) => r.runId)).toEqual(['older']);
  });
});

describe('the failure the watchdog records', () => {
  it('names how long the run was silent, since when, its last stage and the deadline', () => {
    const stalled = run('r', 'running', minutesAgo(150), 'scrape');
    expect(watchdogStallError(stalled, NOW, 65 * 60_000)).toEqual({
      stage: 'scrape',
      name: STALLED_ERROR_NAME,
      message:
        "no update for 2h30m (since 2026-11-23T09:30:00.000Z, at stage scrape), past the 1h05m deadline (the plan's longest unit with all its retries, plus a margin): its process or task was lost; failed by the run watchdog",
    });
  });

  it('fails a run that never started a stage at "run"', () => {
    const error = watchdogStallError(run('r', 'running', minutesAgo(150)), NOW);
    expect(error.stage).toBe('run');
    expect(error.message).toContain('(since 2026-11-23T09:30:00.000Z, before any stage started)');
  });
});
