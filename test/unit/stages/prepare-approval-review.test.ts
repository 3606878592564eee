/**
 * The approval gate holds review's script, so a run input that switches review off while the gate
 * is asked for (its own flags.approval "script", or the podcast's approval.script default) is bad
 * input naming both settings, rather than a run whose gate is silently dropped. flags.approval
 * "none" runs it without the gate on purpose.
 */
import { ValidationError } from '../../../stages/shared/errors';
import type { ProviderSet } from '../../../stages/shared/providers';
import { runStageUnit } from '../../../stages/shared/stage-runner';
import { runnableStage } from '../../../stages/stage-modules';
import { makeFakeDeps } from '../../fakes/fake-deps';
import { podcastConfig } from '../../fixtures/podcast-config';

const prepare = runnableStage('prepare');
/** prepare asks the fetcher whether file: feeds are readable; these tests read none. */
const providers = { fetcher: { readsLocalFiles: false } } as unknown as ProviderSet;
const reviewOff = { review: false };

async function prepareRun(raw: Record<string, unknown>, stored = podcastConfig()) {
  const deps = makeFakeDeps({ providers });
  await deps.podcasts.put(stored);
  const input = { runId: 'run-1', podcastId: 'test-pod', ...raw };
  const stageInput = { runId: 'run-1', podcastId: 'test-pod', input, stages: {} };
  const output = await runStageUnit(prepare, stageInput, deps).catch((e: unknown) => e);
  return { output, run: await deps.runs.get('run-1') };
}

describe('prepare: the approval gate with review switched off', () => {
  it('refuses flags.approval "script" with flags.enable.review false, naming both and the fix', async () => {
    const { output, run } = await prepareRun({ flags: { approval: 'script', enable: reviewOff } });

    expect(output).toBeInstanceOf(ValidationError);
    const error = output as ValidationError;
    expect(error.field).toBe('input.flags.approval');
    expect(error.message).toMatch(
      /^input\.flags\.approval: "script" asks for the approval gate, but flags\.enable\.review is false: .*set flags\.approval to "none"/
    );
    expect(run).toMatchObject({ status: 'failed', error: { stage: 'prepare', name: 'ValidationError' } });
  });

  it('refuses review switched off when the stored podcast waits for approval by default', async () => {
    const stored = podcastConfig({ approval: { script: true } });

    const { output, run } = await prepareRun({ flags: { enable: reviewOff } }, stored);

    expect(output).toBeInstanceOf(ValidationError);
    const error = output as ValidationError;
    expect(error.field).toBe('flags.enable.review');
    expect(error.message).toMatch(
      /^flags\.enable\.review: review is switched off, but the approval\.script of podcast "test-pod" is true .*set flags\.approval to "none" to run this one without the gate/
    );
    expect(run?.status).toBe('failed');
  });

  it('refuses it for an inline podcast whose approval.script is true, naming the inline field', async () => {
    const inline = { ...podcastConfig(), approval: { script: true } };

    const { output } = await prepareRun({ podcast: inline, flags: { enable: reviewOff } });

    expect(output).toBeInstanceOf(ValidationError);
    expect((output as ValidationError).message).toMatch(
      /^input\.flags\.enable\.review: review is switched off, but podcast\.approval\.script is true/
    );
  });

  it('runs without the gate when the run input says flags.approval "none"', async () => {
    const stored = podcastConfig({ approval: { script: true } });

    const { output } = await prepareRun({ flags: { approval: 'none', enable: reviewOff } }, stored);

    expect(output).toMatchObject({ enabled: { review: false } });
    expect(output).not.toHaveProperty('approval');
  });

  it('keeps the gate when review runs', async () => {
    const { output } = await prepareRun({ flags: { approval: 'script' } });

    expect(output).toMatchObject({ enabled: { review: true }, approval: { script: true } });
  });
});
