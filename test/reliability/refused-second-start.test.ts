/**
 * A second start of a runId that prepare refuses (another input under the same runId, bad stage
 * flags, its podcast gone) while the run is running in another process leaves that run alone:
 * the refused start records only what its own claim created or resumed (isClaimRefusal).
 */
import { runPipeline } from '../../containers/orchestrator/engine/pipeline-engine';
import { ValidationError } from '../../stages/shared/errors';
import { hashJson } from '../../stages/shared/hashing';
import type { FakeDeps } from '../fakes/fake-deps';
import { DATE, fakeDeps, pipelineInput, RUN_ID, smallPodcast } from '../helpers/fault-injection-harness';

type Input = ReturnType<typeof pipelineInput>;
const engine = (deps: FakeDeps, input: Input) =>
  runPipeline({ runId: input.runId, podcastId: input.podcastId }, input, {
    deps,
    retryDelayScale: 0,
    sleep: async () => undefined,
  });

describe('a refused second start of a running run', () => {
  it.each([
    ['another input under the same runId', (input: Input) => ({ ...input, episode: { date: '2026-11-24' } })],
    ['an unknown stage flag', (input: Input) => ({ ...input, flags: { enable: { bogus: true } } })],
  ])('%s: exit as bad input, while the first run goes on and publishes', async (_name, second) => {
    // Prepare: run A is at review when B starts.
    const deps = fakeDeps();
    const podcast = await smallPodcast();
    const inputA = pipelineInput(RUN_ID, DATE, podcast);
    let refused: unknown;
    const completeUnit = deps.runs.completeUnit.bind(deps.runs);
    deps.runs.completeUnit = async (runId, unit, ...rest) => {
      if (unit === 'review' && refused === undefined)
        refused = await engine(deps, second(inputA) as Input).catch((e: unknown) => e);
      return completeUnit(runId, unit, ...rest);
    };

    // Act
    const result = await engine(deps, inputA);

    // Assess
    expect(refused).toBeInstanceOf(ValidationError);
    expect(result.episode?.episodeId).toBe(DATE);
    const run = await deps.runs.get(RUN_ID);
    expect(run).toMatchObject({ status: 'succeeded', runAttempt: 1 });
    expect(run?.error).toBeUndefined();
    const runEvents = (await deps.events.list(RUN_ID)).filter((e) => e.type.startsWith('run.'));
    expect(runEvents.map((e) => e.type)).toEqual(['run.started', 'run.succeeded']);
  });

  it('a resume whose podcast is gone fails the run it resumed (its own), not left running', async () => {
    // Prepare: a failed run of a stored podcast, then the podcast deleted.
    const deps = fakeDeps();
    const podcast = await smallPodcast();
    const input = { runId: RUN_ID, podcastId: podcast.podcastId, episode: { date: DATE } };
    await deps.runs.claim(
      { runId: RUN_ID, podcastId: podcast.podcastId, mode: 'monolithic', inputHash: hashJson(input), input },
      `${DATE}T00:00:00.000Z`
    );
    await deps.runs.markFailed(RUN_ID, { stage: 'script', name: 'X', message: 'x' }, `${DATE}T00:00:01.000Z`);

    // Act
    const failure = await engine(deps, input as Input).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(ValidationError);
    expect(await deps.runs.get(RUN_ID)).toMatchObject({
      status: 'failed',
      runAttempt: 2,
      error: { stage: 'prepare', name: 'ValidationError' },
    });
  });
});
