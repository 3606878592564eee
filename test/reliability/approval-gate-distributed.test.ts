/**
 * The script approval gate in distributed mode: the committed state machine run in process
 * (aws-local-stepfunctions) with the real stage and run-status handlers. After review,
 * CheckReviewApproval leads to AwaitReviewApproval (lambda:invoke.waitForTaskToken), whose token
 * run-status stores on the run record; the approval actions answer it through the task-token
 * notifier, as `runs approve/reject` do with SendTaskSuccess/SendTaskFailure. The deadline is the
 * state's TimeoutSecondsPath: States.Timeout leads to ExpireReviewApproval.
 */
import { TaskTokens } from '../../local-platform/stepfunctions/task-tokens';
import { displayStatus } from '../../stages/shared/approval/approval-record';
import { approveRun } from '../../stages/shared/approval/approve-run';
import { rejectRun } from '../../stages/shared/approval/reject-run';
import type { TaskTokenNotifier } from '../../stages/shared/approval/approval-record';
import type { Script } from '../../stages/shared/content-types';
import type { JsonValue } from '../../stepfunctions/asl-types';
import { tokenNotifier } from '../../stepfunctions/local/lambda-task-token';
import { runLocalStateMachine } from '../../stepfunctions/local/run-local-state-machine';
import type { FakeDeps } from '../fakes/fake-deps';
import { fakeDeps, gatedPipelineInput, ofType, RUN_ID } from '../helpers/fault-injection-harness';

type Decide = (deps: FakeDeps, notifier: TaskTokenNotifier) => Promise<void>;

/** Resolves once the run waits with a task token on its record (or the execution ended). */
async function untilAwaiting(deps: FakeDeps, ended: () => boolean): Promise<boolean> {
  for (;;) {
    const run = await deps.runs.get(RUN_ID);
    if (run?.approval?.state === 'awaiting' && run.approval.taskToken) return true;
    if (ended()) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Runs the state machine; `decide` runs once the run waits for approval, as `runs approve` would. */
async function gatedExecution(deps: FakeDeps, decide: Decide | undefined, deadlineHours?: number) {
  const input = await gatedPipelineInput(deadlineHours);
  const tokens = new TaskTokens();
  let ended = false;
  const execution = runLocalStateMachine(JSON.parse(JSON.stringify(input)) as JsonValue, {
    deps,
    ecsMode: 'in-process',
    retryIntervalOverrides: 0,
    taskTokens: tokens,
  }).finally(() => (ended = true));
  const seen: string[] = [];
  if (await untilAwaiting(deps, () => ended)) {
    const run = await deps.runs.get(RUN_ID);
    if (run) seen.push(displayStatus(run));
    await decide?.(deps, tokenNotifier(tokens));
  }
  return { seen, result: await execution };
}

const stageStarts = async (deps: FakeDeps) =>
  ofType(await deps.events.list(RUN_ID), 'stage.started').map((e) => e.stage);

const reviewedScript = async (deps: FakeDeps): Promise<{ key: string; script: Script }> => {
  const key = String((await deps.runs.get(RUN_ID))?.approval?.review.key);
  const body = (await deps.media.get(key))?.body.toString('utf8');
  if (!body) throw new Error(`no reviewed script at ${key}`);
  return { key, script: JSON.parse(body) as Script };
};

const stateNamesEntered = (result: Awaited<ReturnType<typeof runLocalStateMachine>>) =>
  result.events.flatMap((e) => (e.type === 'StateEntered' ? [e.state.name] : []));

describe('script approval gate (distributed)', () => {
  it('waits in AwaitReviewApproval, then an approval as is publishes the reviewed script', async () => {
    const deps = fakeDeps();
    const { seen, result } = await gatedExecution(deps, async (d, notifier) => {
      expect(await stageStarts(d)).not.toContain('tts');
      await approveRun(RUN_ID, { notifier }, d);
    });
    expect(seen).toEqual(['awaiting-approval']);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    expect(stateNamesEntered(result)).toEqual(
      expect.arrayContaining(['CheckReviewApproval', 'AwaitReviewApproval', 'RecordSuccess'])
    );
    const run = await deps.runs.get(RUN_ID);
    expect(run).toMatchObject({ status: 'succeeded', approval: { state: 'approved', edited: false } });
    const events = await deps.events.list(RUN_ID);
    expect(ofType(events, 'approval.requested')).toHaveLength(1);
    expect(ofType(events, 'approval.granted').map((e) => e.detail?.edited)).toEqual([false]);
  });

  it('an edited script replaces the review manifest: it reaches the transcript', async () => {
    const deps = fakeDeps();
    const phrase = 'Quokkafest';
    let originalKey = '';
    const { result } = await gatedExecution(deps, async (d, notifier) => {
      const { key, script } = await reviewedScript(d);
      originalKey = key;
      const turns = script.turns.map((t, i) =>
        i === 0 ? { ...t, text: `Hello ${phrase} listeners. ${t.text}` } : t
      );
      expect((await approveRun(RUN_ID, { script: { ...script, turns }, notifier }, d)).edited).toBe(true);
    });
    expect(result.status).toBe('SUCCEEDED');
    const transcript = deps.media.objects.get(`runs/${RUN_ID}/notes/transcript.vtt`);
    expect(transcript?.body.toString('utf8')).toContain(phrase);
    expect(deps.media.objects.get(originalKey)?.body.toString('utf8')).not.toContain(phrase);
    expect((await deps.runs.get(RUN_ID))?.approval?.edited).toBe(true);
  });

  it('a rejection (SendTaskFailure RunRejectedError) fails the run with the reason, before any audio', async () => {
    const deps = fakeDeps();
    const { result } = await gatedExecution(deps, (d, notifier) =>
      rejectRun(RUN_ID, { reason: 'the second story is off topic', notifier }, d).then(() => undefined)
    );
    expect(result.status).toBe('FAILED');
    expect(result.error?.Cause).toBe(
      'review failed: RunRejectedError: the script was rejected: the second story is off topic'
    );
    const run = await deps.runs.get(RUN_ID);
    expect(run).toMatchObject({ status: 'failed', approval: { state: 'rejected' } });
    expect(run?.error).toMatchObject({ stage: 'review', name: 'RunRejectedError' });
    expect(ofType(await deps.events.list(RUN_ID), 'run.failed')).toHaveLength(1);
    expect(await stageStarts(deps)).not.toContain('tts');
  });

  it('a decision without Step Functions access is refused: the run keeps waiting', async () => {
    const deps = fakeDeps();
    const { result } = await gatedExecution(deps, async (d, notifier) => {
      await expect(approveRun(RUN_ID, {}, d)).rejects.toThrow(/waits in a state machine/);
      expect((await d.runs.get(RUN_ID))?.approval?.state).toBe('awaiting');
      await rejectRun(RUN_ID, { reason: 'ending the test', notifier }, d);
    });
    expect(result.status).toBe('FAILED');
  });

  it('a run nobody decides on fails at its deadline (States.Timeout -> ExpireReviewApproval)', async () => {
    const deps = fakeDeps();
    // One second: the smallest TimeoutSecondsPath.
    const { seen, result } = await gatedExecution(deps, undefined, 1 / 3600);
    expect(seen).toEqual(['awaiting-approval']);
    expect(result.status).toBe('FAILED');
    expect(stateNamesEntered(result)).toContain('ExpireReviewApproval');
    const run = await deps.runs.get(RUN_ID);
    expect(run).toMatchObject({ status: 'failed', approval: { state: 'expired' } });
    expect(run?.error).toMatchObject({ stage: 'review', name: 'ApprovalExpiredError' });
    expect(result.error?.Cause).toMatch(/^review failed: ApprovalExpiredError: nobody approved the script/);
    expect(ofType(await deps.events.list(RUN_ID), 'approval.expired')).toHaveLength(1);
    expect(await stageStarts(deps)).not.toContain('tts');
  });
});
