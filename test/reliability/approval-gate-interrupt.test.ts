/**
 * A stop signal (SIGTERM/SIGINT) while a monolithic run waits for approval of its script ends the
 * wait at once and the run is recorded as the engine records any interrupted run: failed at review
 * with RunInterruptedError, the stop's message kept, nothing after review started.
 */
import { PipelineFailedError, runPipeline } from '../../containers/orchestrator/engine/pipeline-engine';
import { RunInterruptedError } from '../../stages/shared/errors';
import { fakeDeps, gatedPipelineInput, ofType, RUN_ID } from '../helpers/fault-injection-harness';

describe('script approval gate (monolithic): a stop signal while it waits', () => {
  it('records the run interrupted (RunInterruptedError at review), not a generic error', async () => {
    // Prepare
    const deps = fakeDeps();
    const input = await gatedPipelineInput();
    const stop = new AbortController();
    let polls = 0;
    // The engine's poll sleep: the first one while the run waits is when the signal arrives (as
    // the CLI's stop handler aborts it); a wait that ignored it would poll on forever.
    const sleep = async () => {
      const run = await deps.runs.get(RUN_ID);
      if (!run?.approval) return;
      polls++;
      if (polls > 50) throw new Error('the wait did not end on the stop signal');
      if (!stop.signal.aborted)
        stop.abort(new RunInterruptedError('the orchestrator was stopped (SIGINT) before the run finished'));
      else await new Promise<void>(() => undefined); // a long poll: only the signal can end it
    };

    // Act
    const error = await runPipeline({ runId: RUN_ID, podcastId: input.podcastId }, input, {
      deps,
      retryDelayScale: 0,
      sleep,
      approvalPollMs: 1,
      signal: stop.signal,
    }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(PipelineFailedError);
    const expected = {
      stage: 'review',
      name: 'RunInterruptedError',
      message:
        'the orchestrator was stopped (SIGINT) before the run finished, while it awaited approval of its script',
    };
    expect((error as PipelineFailedError).runError).toMatchObject(expected);
    const run = await deps.runs.get(RUN_ID);
    expect(run).toMatchObject({ status: 'failed', error: expected, approval: { state: 'awaiting' } });
    expect(ofType(await deps.events.list(RUN_ID), 'stage.started').map((e) => e.stage)).not.toContain('tts');
  });
});
