/**
 * Two decisions with an edited script at once (`runs approve --script` twice while a run waits,
 * `runs edit --script` twice on a published run): the conditional write lets one win, and the
 * loser's stored edit files are removed again, so the edits folder holds only what a decision
 * names. An edit's files are named after the script and the decision, so removing a loser's
 * never touches an earlier decision's files, even for the same script.
 */
import { runPipeline } from '../../containers/orchestrator/engine/pipeline-engine';
import { approveRun } from '../../stages/shared/approval/approve-run';
import { editPublishedScript } from '../../stages/shared/approval/edit-published-script';
import { ApprovalStateError } from '../../stages/shared/approval/pending-approval';
import type { Script } from '../../stages/shared/content-types';
import type { FakeDeps } from '../fakes/fake-deps';
import { fakeDeps, gatedPipelineInput, RUN_ID } from '../helpers/fault-injection-harness';

const EDITS = `runs/${RUN_ID}/review/edits/`;
const editFiles = (deps: FakeDeps) =>
  [...deps.media.objects.keys()].filter((k) => k.startsWith(EDITS)).sort();
const filesOf = (scriptKey: string) => [scriptKey, scriptKey.replace(/\.json$/, '.txt')].sort();

const reviewed = (deps: FakeDeps): Script =>
  JSON.parse(deps.media.text(`runs/${RUN_ID}/review/script.json`)) as Script;
const opening = (script: Script, words: string): Script => ({
  ...script,
  turns: script.turns.map((t, i) => (i === 0 ? { ...t, text: `${words}. ${t.text}` } : t)),
});

/** A gated monolithic run; `whileWaiting` runs once while it waits for approval. */
async function gatedRun(deps: FakeDeps, whileWaiting: (deps: FakeDeps) => Promise<void>) {
  const input = await gatedPipelineInput();
  let done = false;
  const sleep = async () => {
    if (done || !(await deps.runs.get(RUN_ID))?.approval) return;
    done = true;
    await whileWaiting(deps);
  };
  await runPipeline({ runId: RUN_ID, podcastId: input.podcastId }, input, {
    deps,
    retryDelayScale: 0,
    sleep,
    approvalPollMs: 1,
  });
}

/** Both settled: exactly one won and the other lost with ApprovalStateError. */
function oneWinner<T>(results: PromiseSettledResult<T>[]): { won: T; lost: number } {
  const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const lost = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(1);
  const reason = (results[lost[0] as number] as PromiseRejectedResult).reason as unknown;
  expect(reason).toBeInstanceOf(ApprovalStateError);
  return { won: won[0] as T, lost: lost[0] as number };
}

describe('an edit that loses its race leaves no files behind', () => {
  it('two runs approve --script at once: only the winning edit is stored; the same script twice shares one', async () => {
    const deps = fakeDeps();
    let winner = '';
    await gatedRun(deps, async (d) => {
      const script = reviewed(d);
      const race = await Promise.allSettled([
        approveRun(RUN_ID, { script: opening(script, 'First take') }, d),
        approveRun(RUN_ID, { script: opening(script, 'Second take') }, d),
      ]);
      winner = oneWinner(race).won.scriptKey;
      expect(editFiles(d)).toEqual(filesOf(winner));
    });
    expect((await deps.runs.get(RUN_ID))?.approval?.review.key).toBe(winner);
    expect(editFiles(deps)).toEqual(filesOf(winner));

    // The same script twice: both write one pair of files, and the loser keeps the winner's.
    const again = fakeDeps();
    await gatedRun(again, async (d) => {
      const script = opening(reviewed(d), 'Same take');
      const race = await Promise.allSettled([
        approveRun(RUN_ID, { script }, d),
        approveRun(RUN_ID, { script }, d),
      ]);
      const { won } = oneWinner(race);
      expect(editFiles(d)).toEqual(filesOf(won.scriptKey));
    });
    const kept = String((await again.runs.get(RUN_ID))?.approval?.review.key);
    expect(await again.media.exists(kept)).toBe(true);
  });

  it('two runs edit --script at once on a published run: the loser’s files go, earlier decisions’ stay', async () => {
    const deps = fakeDeps();
    const approved = { key: '', script: undefined as Script | undefined };
    await gatedRun(deps, async (d) => {
      approved.script = opening(reviewed(d), 'Approved take');
      approved.key = (await approveRun(RUN_ID, { script: approved.script }, d)).scriptKey;
    });
    expect((await deps.runs.get(RUN_ID))?.status).toBe('succeeded');
    const script = approved.script as Script;

    // The second offers the script approved at the gate again: its files must not be the gate's.
    const race = await Promise.allSettled([
      editPublishedScript(RUN_ID, opening(script, 'Edited take'), deps),
      editPublishedScript(RUN_ID, script, deps),
    ]);

    const { won } = oneWinner(race);
    expect((await deps.runs.get(RUN_ID))?.approval?.review.key).toBe(won.scriptKey);
    expect(editFiles(deps)).toEqual([...filesOf(approved.key), ...filesOf(won.scriptKey)].sort());
  });
});
