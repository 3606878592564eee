/**
 * The script approval gate in the monolithic engine, with the real stages and the approval actions
 * the CLI and API call: a run with flags.approval "script" waits after review (status
 * awaiting-approval) until it is approved (as is, or with an edit that then reaches the
 * transcript and changes the audio's inputs), rejected (failed with the reason) or its deadline
 * passes (failed, ApprovalExpiredError); a bad edit is refused and changes nothing. The same cases
 * in distributed mode: approval-gate-distributed.test.ts.
 */
import { MONOLITHIC_TASK_APPROVAL_REFUSAL } from '../../containers/orchestrator/engine/approval-gate';
import { runPipeline, PipelineFailedError } from '../../containers/orchestrator/engine/pipeline-engine';
import { displayStatus } from '../../stages/shared/approval/approval-record';
import { approveRun } from '../../stages/shared/approval/approve-run';
import { rejectRun } from '../../stages/shared/approval/reject-run';
import { ValidationError } from '../../stages/shared/errors';
import { isStalled, STALLED_AFTER_MS } from '../../stages/shared/stalled-runs';
import type { Script } from '../../stages/shared/content-types';
import type { FakeDeps } from '../fakes/fake-deps';
import { fakeDeps, gatedPipelineInput, ofType, RUN_ID } from '../helpers/fault-injection-harness';

type Decide = (deps: FakeDeps) => Promise<void>;

/** Runs the pipeline; `decide` runs once while the run waits for approval (as another process would). */
async function gatedRun(deps: FakeDeps, decide: Decide, deadlineHours?: number) {
  const input = await gatedPipelineInput(deadlineHours);
  const seen: string[] = [];
  let decided = false;
  const sleep = async () => {
    const run = await deps.runs.get(RUN_ID);
    if (!run?.approval || decided) return;
    seen.push(displayStatus(run));
    decided = true;
    await decide(deps);
  };
  try {
    const result = await runPipeline({ runId: RUN_ID, podcastId: input.podcastId }, input, {
      deps,
      retryDelayScale: 0,
      sleep,
      approvalPollMs: 1,
    });
    return { seen, result, error: undefined };
  } catch (error) {
    if (!(error instanceof PipelineFailedError)) throw error;
    return { seen, result: undefined, error: error.runError };
  }
}

const reviewedScript = async (deps: FakeDeps): Promise<{ key: string; script: Script }> => {
  const key = String((await deps.runs.get(RUN_ID))?.approval?.review.key);
  const body = (await deps.media.get(key))?.body.toString('utf8');
  if (!body) throw new Error(`no reviewed script at ${key}`);
  return { key, script: JSON.parse(body) as Script };
};

const mediaText = (deps: FakeDeps, keyPart: string) =>
  [...deps.media.objects]
    .filter(([key]) => key.includes(keyPart))
    .map(([, object]) => object.body.toString('utf8'))
    .join('\n');

describe('script approval gate (monolithic)', () => {
  it('waits after review, then an approval as is publishes the reviewed script', async () => {
    const deps = fakeDeps();
    const { seen, result } = await gatedRun(deps, async (d) => {
      expect(ofType(await d.events.list(RUN_ID), 'stage.started').map((e) => e.stage)).not.toContain('tts');
      // Quiet by design while it waits: not stalled a day later, stalled long past its deadline.
      const waiting = await d.runs.get(RUN_ID);
      if (!waiting?.approval) throw new Error('the run did not ask for approval');
      const dayLater = new Date(d.clock.now().getTime() + 24 * 3_600_000);
      expect(isStalled(waiting, dayLater)).toBe(false);
      expect(isStalled({ ...waiting, approval: undefined }, dayLater)).toBe(true);
      const pastDeadline = new Date(Date.parse(waiting.approval.deadline) + STALLED_AFTER_MS + 1);
      expect(isStalled(waiting, pastDeadline)).toBe(true);
      await approveRun(RUN_ID, {}, d);
    });
    expect(seen).toEqual(['awaiting-approval']);
    expect(result?.episode).toBeDefined();
    const run = await deps.runs.get(RUN_ID);
    expect(run?.status).toBe('succeeded');
    expect(run?.approval).toMatchObject({ state: 'approved', edited: false });
    const events = await deps.events.list(RUN_ID);
    expect(ofType(events, 'approval.requested')).toHaveLength(1);
    expect(ofType(events, 'approval.granted').map((e) => e.detail?.edited)).toEqual([false]);
  });

  it('an edited script is the one spoken: it reaches the transcript and the notes', async () => {
    const deps = fakeDeps();
    const phrase = 'Quokkafest';
    let originalKey = '';
    await gatedRun(deps, async (d) => {
      const { key, script } = await reviewedScript(d);
      originalKey = key;
      const turns = script.turns.map((t, i) =>
        i === 0 ? { ...t, text: `Hello ${phrase} listeners. ${t.text}` } : t
      );
      const granted = await approveRun(RUN_ID, { script: { ...script, turns } }, d);
      expect(granted.edited).toBe(true);
      expect(granted.scriptKey).not.toBe(key);
    });
    const run = await deps.runs.get(RUN_ID);
    expect(run?.status).toBe('succeeded');
    expect(run?.approval?.edited).toBe(true);
    expect(mediaText(deps, `runs/${RUN_ID}/notes/transcript.vtt`)).toContain(phrase);
    // The original reviewed script is kept; the edit is stored beside it.
    expect(mediaText(deps, originalKey)).not.toContain(phrase);
    const granted = ofType(await deps.events.list(RUN_ID), 'approval.granted');
    expect(granted.map((e) => e.detail?.edited)).toEqual([true]);
  });

  it('refuses a bad edit with the reason and changes nothing', async () => {
    const deps = fakeDeps();
    await gatedRun(deps, async (d) => {
      const { script } = await reviewedScript(d);
      const before = JSON.stringify(await d.runs.get(RUN_ID));
      const objects = d.media.objects.size;
      await expect(approveRun(RUN_ID, { script: { ...script, turns: [] } }, d)).rejects.toThrow(
        new ValidationError('script.turns: the script has no turns')
      );
      const stranger = script.turns.map((t, i) => (i === 1 ? { ...t, speaker: 'stranger' } : t));
      await expect(approveRun(RUN_ID, { script: { ...script, turns: stranger } }, d)).rejects.toThrow(
        /the edited script fails review: speakers: turn \d+: speaker "stranger" is not a host/
      );
      expect(JSON.stringify(await d.runs.get(RUN_ID))).toBe(before);
      expect(d.media.objects.size).toBe(objects);
      await rejectRun(RUN_ID, { reason: 'ending the test' }, d);
    });
  });

  it('a rejection fails the run with the reason, before any audio', async () => {
    const deps = fakeDeps();
    const { error } = await gatedRun(deps, (d) =>
      rejectRun(RUN_ID, { reason: 'the second story is off topic' }, d).then(() => undefined)
    );
    expect(error).toMatchObject({ stage: 'review', name: 'RunRejectedError' });
    const run = await deps.runs.get(RUN_ID);
    expect(run?.status).toBe('failed');
    expect(run?.error?.message).toBe('the script was rejected: the second story is off topic');
    const events = await deps.events.list(RUN_ID);
    expect(ofType(events, 'approval.rejected').map((e) => e.detail?.reason)).toEqual([
      'the second story is off topic',
    ]);
    expect(ofType(events, 'stage.started').map((e) => e.stage)).not.toContain('tts');
    await expect(approveRun(RUN_ID, {}, deps)).rejects.toThrow(/is failed \(its script was rejected\)/);
  });

  it('a run nobody decides on fails at its deadline', async () => {
    const deps = fakeDeps();
    const { error } = await gatedRun(
      deps,
      async (d) => {
        const run = await d.runs.get(RUN_ID);
        expect(run?.approval?.deadline).toBe(
          new Date(Date.parse(run?.approval?.requestedAt ?? '') + 2 * 3_600_000).toISOString()
        );
        d.clock.advance(2 * 3_600_000 + 1);
      },
      2
    );
    expect(error).toMatchObject({ stage: 'review', name: 'ApprovalExpiredError' });
    const run = await deps.runs.get(RUN_ID);
    expect(run).toMatchObject({ status: 'failed', approval: { state: 'expired' } });
    expect(ofType(await deps.events.list(RUN_ID), 'approval.expired')).toHaveLength(1);
  });
});

describe('script approval gate under the state machine (monolithic task)', () => {
  it('refuses a run that asks for approval right after prepare, as bad input naming the way out', async () => {
    const deps = fakeDeps();
    const input = await gatedPipelineInput();

    const error = await runPipeline({ runId: RUN_ID, podcastId: input.podcastId }, input, {
      deps,
      retryDelayScale: 0,
      approvalRefusal: MONOLITHIC_TASK_APPROVAL_REFUSAL,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(
      /^flags\.approval: .*start the run in distributed mode/
    );
    const run = await deps.runs.get(RUN_ID);
    expect(run).toMatchObject({ status: 'failed', error: { stage: 'prepare', name: 'ValidationError' } });
    const started = ofType(await deps.events.list(RUN_ID), 'stage.started').map((e) => e.stage);
    expect(started).toEqual(['prepare']);
  });
});
