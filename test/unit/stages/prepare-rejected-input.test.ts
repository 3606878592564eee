/**
 * prepare is where Step Functions input arrives, so it applies the run input limits itself (64
 * KiB, no __proto__/constructor/prototype keys, the text rule), and a rejected input leaves one
 * run record that keeps the input's size and sha256, never the input. Accepted inputs are still
 * stored whole (`--resume` reads them).
 */
import { ValidationError } from '../../../stages/shared/errors';
import { sha256 } from '../../../stages/shared/hashing';
import type { ProviderSet } from '../../../stages/shared/providers';
import { runStageUnit } from '../../../stages/shared/stage-runner';
import { runnableStage } from '../../../stages/stage-modules';
import { makeFakeDeps } from '../../fakes/fake-deps';
import { podcastConfig } from '../../fixtures/podcast-config';

const prepare = runnableStage('prepare');
const stageInput = (raw: unknown, runId = 'run-1') => ({
  runId,
  podcastId: 'test-pod',
  input: raw,
  stages: {},
});
/** prepare asks the fetcher whether file: feeds are readable; these tests read none. */
const providers = { fetcher: { readsLocalFiles: false } } as unknown as ProviderSet;

async function rejected(raw: unknown) {
  const deps = makeFakeDeps({ providers });
  await deps.podcasts.put(podcastConfig());
  const error = await runStageUnit(prepare, stageInput(raw), deps).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return { error: error as ValidationError, deps, run: await deps.runs.get('run-1') };
}

describe('prepare: inputs it refuses', () => {
  it('an input over 64 KiB (a 10 MB title inline): names the size and the cap; the record keeps only size and hash', async () => {
    const raw = { runId: 'run-1', podcastId: 'test-pod', episode: { title: 't'.repeat(10 * 1024 * 1024) } };
    const json = JSON.stringify(raw);

    const { error, deps, run } = await rejected(raw);

    expect(error.message).toBe(
      `input: the run input is 10.0 MiB (${Buffer.byteLength(json)} bytes), over the 64 KiB cap`
    );
    expect(error.field).toBe('input');
    expect(run).toMatchObject({
      status: 'failed',
      input: null,
      rejectedInput: { bytes: Buffer.byteLength(json), sha256: sha256(json) },
      error: { stage: 'prepare', name: 'ValidationError', message: error.message },
    });
    expect(JSON.stringify(run).length).toBeLessThan(2_000);
    expect(await deps.events.list('run-1')).toEqual([]);
    expect([...deps.media.objects.keys()]).toEqual([]);
  });

  it.each([
    [
      '__proto__ in episode',
      '{"runId":"run-1","podcastId":"test-pod","episode":{"__proto__":{"admin":true}}}',
      'input.episode.__proto__',
    ],
    [
      'constructor at the top',
      '{"runId":"run-1","podcastId":"test-pod","constructor":{"prototype":{}}}',
      'input.constructor',
    ],
    [
      'prototype in an inline podcast host',
      `{"runId":"run-1","podcastId":"test-pod","podcast":${JSON.stringify({
        ...podcastConfig(),
        hosts: [
          { id: 'ava', name: 'Ava', prototype: 1 },
          { id: 'ben', name: 'Ben' },
        ],
      })}}`,
      'input.podcast.hosts.0.prototype',
    ],
    [
      '__proto__ as a stage switch (zod records drop it silently)',
      '{"runId":"run-1","podcastId":"test-pod","flags":{"enable":{"__proto__":false}}}',
      'input.flags.enable.__proto__',
    ],
  ])('%s: names the path', async (_what, json, path) => {
    const { error, run } = await rejected(JSON.parse(json) as unknown);

    expect(error.message).toBe(`${path}: the key "${path.split('.').pop()}" is not allowed`);
    expect(error.field).toBe(path);
    expect(run).toMatchObject({
      status: 'failed',
      input: null,
      rejectedInput: { bytes: Buffer.byteLength(json), sha256: sha256(json) },
    });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('a control character in episode.title: names the field, and the record does not hold the text', async () => {
    const { error, run } = await rejected({
      runId: 'run-1',
      podcastId: 'test-pod',
      episode: { title: 'Episode \u001b]0;pwned\u0007' },
    });

    expect(error.message).toMatch(/^input\.episode\.title: character U\+001B at position 9 is not allowed/);
    expect(JSON.stringify(run)).not.toContain('pwned');
  });
});

describe('prepare: an unknown podcast (read while the run is claimed)', () => {
  it('leaves the rejected run in place of the record its claim created: no input, no attempt, no run.started', async () => {
    const deps = makeFakeDeps({ providers });
    const raw = { runId: 'run-1', podcastId: 'no-such-pod', episode: { title: 'Secret plans' } };

    const error = await runStageUnit(prepare, stageInput(raw), deps).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/^podcastId: unknown podcast "no-such-pod"/);
    const run = await deps.runs.get('run-1');
    expect(run).toMatchObject({ status: 'failed', stageAttempts: {}, error: { stage: 'prepare' } });
    expect(run?.rejectedInput?.bytes).toBe(Buffer.byteLength(JSON.stringify(raw)));
    expect(JSON.stringify(run)).not.toContain('Secret plans');
    expect(await deps.events.list('run-1')).toEqual([]);
  });

  it('leaves a run that existed before as it was (a resume fails through the run, not here)', async () => {
    const deps = makeFakeDeps({ providers });
    const raw = { runId: 'run-1', podcastId: 'no-such-pod' };
    await deps.runs.claim(
      { runId: 'run-1', podcastId: 'no-such-pod', mode: 'monolithic', inputHash: sha256('x'), input: raw },
      '2026-11-01T00:00:00.000Z'
    );

    await runStageUnit(prepare, stageInput(raw), deps).catch((e: unknown) => e);

    expect(await deps.runs.get('run-1')).toMatchObject({ status: 'running', input: raw });
  });
});

describe('prepare: a runId that cannot key a record', () => {
  it.each([['a'.repeat(3000)], ['x\u001b[31mred\u001b]0;pwned\u0007'], ['../../etc']])(
    'refuses %j and writes nothing',
    async (runId) => {
      const deps = makeFakeDeps({ providers });
      await deps.podcasts.put(podcastConfig());
      const raw = { runId, podcastId: 'test-pod' };
      const error = await runStageUnit(prepare, stageInput(raw, runId), deps).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(/^input\.runId: /);
      expect(await deps.runs.get(runId)).toBeUndefined();
      expect(deps.runs.writes).toBe(0);
    }
  );
});

describe('prepare: an accepted input', () => {
  it('is stored whole, with no rejectedInput', async () => {
    const deps = makeFakeDeps({ providers });
    await deps.podcasts.put(podcastConfig());
    const raw = {
      runId: 'run-1',
      podcastId: 'test-pod',
      episode: { date: '2026-11-20', title: 'Tabs\tare fine' },
    };

    await runStageUnit(prepare, stageInput(raw), deps);

    const run = await deps.runs.get('run-1');
    expect(run).toMatchObject({ status: 'running', input: raw });
    expect(run?.rejectedInput).toBeUndefined();
  });
});

describe('prepare: a start its claim refuses', () => {
  it('leaves the stored podcast config as it was, even with an inline config of its own', async () => {
    // Prepare: run-1 is running with its own input.
    const deps = makeFakeDeps({ providers });
    const stored = podcastConfig({ publicBaseUrl: 'https://cdn.example.org/podcasts/test-pod' });
    await deps.podcasts.put(stored);
    await runStageUnit(
      prepare,
      stageInput({ runId: 'run-1', podcastId: 'test-pod', episode: { date: '2026-11-20' } }),
      deps
    );

    // Act: a second start of run-1 with another input, carrying a config of its own.
    const hijack = { ...stored, title: 'HIJACKED' };
    const raw = { runId: 'run-1', podcastId: 'test-pod', episode: { date: '2026-11-21' }, podcast: hijack };
    const error = await runStageUnit(prepare, stageInput(raw), deps, { speculate: true }).catch(
      (e: unknown) => e
    );

    // Assess: refused for its input, and the podcast's config untouched.
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/already used with a different input/);
    expect((await deps.podcasts.get('test-pod'))?.title).toBe(stored.title);
  });
});
