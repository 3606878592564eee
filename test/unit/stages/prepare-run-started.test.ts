/**
 * run.started, once per run attempt, whichever way prepare's unit ends: written before a failed
 * unit returns, written by the retry when the first try could not write it, and before run.failed
 * when prepare fails a run it created.
 */
import { prepareStage } from '../../../stages/prepare/prepare';
import { artifactKeys } from '../../../stages/shared/artifact-keys';
import type { PipelineEvent } from '../../../stages/shared/ports';
import { runStageUnit } from '../../../stages/shared/stage-runner';
import { runnableStage } from '../../../stages/stage-modules';
import { makeFakeDeps } from '../../fakes/fake-deps';
import { podcastConfig } from '../../fixtures/podcast-config';

const RUN_ID = 'run-1';
const def = { ...runnableStage('prepare'), module: prepareStage };
const stageInput = (raw: Record<string, unknown> = {}) => ({
  runId: RUN_ID,
  podcastId: 'pod',
  input: { runId: RUN_ID, podcastId: 'pod', ...raw },
  stages: {},
});

async function deps() {
  const d = makeFakeDeps();
  await d.podcasts.put(podcastConfig({ podcastId: 'pod', publicBaseUrl: 'https://cdn.example.org/pod' }));
  return d;
}

/** The event types in the order written. */
function recorder(d: Awaited<ReturnType<typeof deps>>) {
  const written: PipelineEvent[] = [];
  const append = d.events.append.bind(d.events);
  d.events.append = async (event) => {
    const fresh = await append(event);
    if (fresh) written.push(event);
    return fresh;
  };
  return written;
}

describe.each([true, false])('prepare (speculate %s)', (speculate) => {
  it('has written run.started when its unit fails, however slow that write is', async () => {
    // Prepare: a slow run.started, and a core whose config snapshot cannot be stored.
    const d = await deps();
    const written = recorder(d);
    const append = d.events.append.bind(d.events);
    d.events.append = async (event) => {
      if (event.type === 'run.started') await new Promise((resolve) => setTimeout(resolve, 30));
      return append(event);
    };
    const put = d.media.put.bind(d.media);
    d.media.put = async (key, ...rest) => {
      if (key === artifactKeys.stageFile(RUN_ID, 'prepare', 'podcast.json')) throw new Error('S3 is down');
      return put(key, ...rest);
    };

    // Act
    await expect(runStageUnit(def, stageInput(), d, { speculate })).rejects.toThrow('S3 is down');

    // Assess
    expect(written.map((e) => e.type)).toContain('run.started');
  });

  it('writes run.started on the retry when the first try could not', async () => {
    // Prepare: the first run.started write fails.
    const d = await deps();
    let failures = 0;
    const append = d.events.append.bind(d.events);
    d.events.append = async (event) => {
      if (event.type === 'run.started' && failures++ === 0) throw new Error('throttled');
      return append(event);
    };

    // Act: the unit fails, then runs again (a Lambda retry: the run is running, taken over).
    await expect(runStageUnit(def, stageInput(), d, { speculate })).rejects.toThrow('throttled');
    await runStageUnit(def, stageInput(), d, { speculate });

    // Assess: one run.started, for the run's first attempt.
    const started = (await d.events.list(RUN_ID)).filter((e) => e.type === 'run.started');
    expect(started).toEqual([
      expect.objectContaining({ attempt: 1, detail: { mode: 'monolithic', resumed: false } }),
    ]);
  });

  it('writes run.started before run.failed when storing the config fails the run it created', async () => {
    // Prepare: an inline config (stored once the run is claimed), and a podcasts table that fails.
    const d = await deps();
    const written = recorder(d);
    d.podcasts.put = async () => {
      throw new Error('DynamoDB is down');
    };
    const inline = podcastConfig({ podcastId: 'pod', publicBaseUrl: 'https://cdn.example.org/pod' });

    // Act
    await expect(runStageUnit(def, stageInput({ podcast: inline }), d, { speculate })).rejects.toThrow(
      'DynamoDB is down'
    );

    // Assess
    expect(written.map((e) => e.type)).toEqual(['run.started', 'run.failed']);
    expect(await d.runs.get(RUN_ID)).toMatchObject({ status: 'failed' });
  });
});
