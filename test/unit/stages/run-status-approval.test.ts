import { recordRunStatus } from '../../../stages/run-status/run-status';
import { approvalPlan, type TaskTokenNotifier } from '../../../stages/shared/approval/approval-record';
import type { RunApproval } from '../../../stages/shared/ports';
import { makeFakeDeps, type FakeDeps } from '../../fakes/fake-deps';

const RUN_ID = 'tech-weekly-2026-11-30';
const plan = approvalPlan('script', { deadlineHours: 2 });
const stages = {
  prepare: { configKey: 'runs/x/prepare/podcast.json', approval: plan },
  // As the Map leaves it: one manifest per shard (run-status merges them).
  summarize: [{ summaries: [{ storyId: 's1' }] }, { summaries: [{ storyId: 's2' }] }],
  outline: { targetWords: 450 },
  review: { key: 'runs/x/review/script.json' },
};

async function runningRun(): Promise<FakeDeps> {
  const deps = makeFakeDeps();
  await deps.runs.claim(
    { runId: RUN_ID, podcastId: 'tech-weekly', mode: 'distributed', inputHash: 'h', input: {} },
    deps.clock.now().toISOString()
  );
  return deps;
}

function recordingNotifier() {
  const calls: unknown[][] = [];
  const notifier: TaskTokenNotifier = {
    succeed: async (...args) => void calls.push(['succeed', ...args]),
    fail: async (...args) => void calls.push(['fail', ...args]),
  };
  return { calls, notifier };
}

describe('run-status requestApproval (the waitForTaskToken state)', () => {
  it('gives the plan its deadline in whole seconds, for TimeoutSecondsPath', () => {
    expect(plan).toEqual({ script: true, deadlineHours: 2, deadlineSeconds: 7200 });
    expect(approvalPlan('script', { deadlineHours: 0.0001 })?.deadlineSeconds).toBe(1);
  });

  it('stores the task token and the review rules, and a new token replaces it without a second request', async () => {
    const deps = await runningRun();
    const { calls, notifier } = recordingNotifier();

    const result = await recordRunStatus(
      { action: 'requestApproval', runId: RUN_ID, taskToken: 't1', stages },
      deps,
      notifier
    );
    await recordRunStatus(
      { action: 'requestApproval', runId: RUN_ID, taskToken: 't2', stages },
      deps,
      notifier
    );

    expect(result).toEqual({ runId: RUN_ID, status: 'running' });
    const approval = (await deps.runs.get(RUN_ID))?.approval;
    expect(approval).toMatchObject({
      state: 'awaiting',
      taskToken: 't2',
      review: stages.review,
      rules: { configKey: stages.prepare.configKey, knownStoryIds: ['s1', 's2'], targetWords: 450 },
    });
    expect((await deps.events.list(RUN_ID)).map((e) => e.type)).toEqual(['approval.requested']);
    expect(calls).toEqual([]);
  });

  it('answers the token at once for a run whose script was already approved (a rerun)', async () => {
    const deps = await runningRun();
    const now = deps.clock.now().toISOString();
    const approved: RunApproval = {
      what: 'script',
      state: 'approved',
      requestedAt: now,
      deadline: now,
      review: { key: 'runs/x/review/edits/abc.json' },
      rules: { configKey: 'c', knownStoryIds: [], targetWords: 1 },
      edited: true,
    };
    await deps.runs.putApproval(RUN_ID, approved, undefined, now);
    const { calls, notifier } = recordingNotifier();

    await recordRunStatus(
      { action: 'requestApproval', runId: RUN_ID, taskToken: 't3', stages },
      deps,
      notifier
    );

    expect(calls).toEqual([['succeed', 't3', { key: 'runs/x/review/edits/abc.json' }]]);
    await expect(
      recordRunStatus({ action: 'requestApproval', runId: RUN_ID, taskToken: 't4', stages }, deps)
    ).rejects.toThrow(/nothing can answer its task token/);
  });
});

describe('run-status expireApproval (after States.Timeout)', () => {
  it('expires a waiting approval: ApprovalExpiredError at review', async () => {
    const deps = await runningRun();
    await recordRunStatus({ action: 'requestApproval', runId: RUN_ID, taskToken: 't1', stages }, deps);

    const result = await recordRunStatus({ action: 'expireApproval', runId: RUN_ID, stage: 'review' }, deps);

    expect(result).toMatchObject({
      status: 'failed',
      cause: expect.stringMatching(/^review failed: ApprovalExpiredError: /),
    });
    expect(await deps.runs.get(RUN_ID)).toMatchObject({
      status: 'failed',
      approval: { state: 'expired' },
      error: { stage: 'review', name: 'ApprovalExpiredError' },
    });
  });

  it('fails the run with the timeout when the approval was decided in the last moment', async () => {
    const deps = await runningRun();
    await recordRunStatus({ action: 'requestApproval', runId: RUN_ID, taskToken: 't1', stages }, deps);
    const approval = (await deps.runs.get(RUN_ID))?.approval as RunApproval;
    await deps.runs.putApproval(RUN_ID, { ...approval, state: 'approved' }, 'awaiting', approval.requestedAt);

    const result = await recordRunStatus(
      {
        action: 'expireApproval',
        runId: RUN_ID,
        stage: 'review',
        failure: { Error: 'States.Timeout', Cause: 'the state timed out' },
      },
      deps
    );

    expect(result.cause).toBe('review failed: States.Timeout: the state timed out');
    expect(await deps.runs.get(RUN_ID)).toMatchObject({
      status: 'failed',
      approval: { state: 'approved' },
      error: { stage: 'review', name: 'States.Timeout' },
    });
  });
});
