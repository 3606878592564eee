/**
 * Cancellation: a stage attempt that hangs past its plan timeout is aborted (ctx.signal), writes
 * nothing after the timeout (its late writes are refused), and the retry starts only once it has
 * stopped; the retry succeeds and the run publishes. Also the pieces: the fence, the race, the
 * attempt signal, and a SIGTERM-style stop reaching a core through the engine's signal.
 */
import { runPipeline } from '../../containers/orchestrator/engine/pipeline-engine';
import { StageTimeoutError } from '../../stages/shared/errors';
import type { RunnableStage, StageContext } from '../../stages/shared/stage';
import { fenceDeps } from '../../stages/shared/attempt-fence';
import { attemptSignal, untilAborted } from '../../stages/shared/unit-cancellation';
import { makeFakeDeps } from '../fakes/fake-deps';
import { stubRegistry } from '../helpers/stub-registry';

const ids = { runId: 'run-1', podcastId: 'pod' };
const noSleep = async () => undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `left` hangs on its first attempt (ignoring the signal), then tries to write; later attempts succeed. */
function hangingLeft(stages: RunnableStage[], timeline: string[]): RunnableStage[] {
  let attempts = 0;
  return stages.map((stage) => {
    if (stage.id !== 'left') return stage;
    return {
      ...stage,
      timeoutSeconds: 0.2,
      module: {
        ...stage.module,
        async run(_input: unknown, ctx: StageContext) {
          const attempt = ++attempts;
          timeline.push(`start ${attempt}`);
          if (attempt === 1) {
            ctx.signal.addEventListener('abort', () => timeline.push('aborted 1'));
            await sleep(500);
            try {
              await ctx.deps.media.put(
                'runs/run-1/left/late.txt',
                Buffer.from('written after the timeout'),
                'text/plain'
              );
              timeline.push('late write landed');
            } catch {
              timeline.push('late write refused');
            }
            try {
              await ctx.progress(0.9);
              timeline.push('late progress landed');
            } catch {
              timeline.push('late progress refused');
            }
            timeline.push('stopped 1');
            return { unit: 'left', attempt };
          }
          return { unit: 'left', attempt };
        },
      },
    };
  });
}

describe('a hung stage attempt', () => {
  it('times out, writes nothing after its timeout, and the retry starts after it stopped and succeeds', async () => {
    // Prepare
    const deps = makeFakeDeps();
    const timeline: string[] = [];
    const stages = hangingLeft(stubRegistry().stages, timeline);

    // Act
    const result = await runPipeline(ids, {}, { deps, stages, sleep: noSleep });

    // Assess
    expect(result.episode).toEqual({ episodeId: 'e1', guid: 'g1' });
    expect(timeline).toEqual([
      'start 1',
      'aborted 1',
      'late write refused',
      'late progress refused',
      'stopped 1',
      'start 2',
    ]);
    expect((await deps.media.list('')).filter((k) => k.includes('late'))).toEqual([]);
    const events = await deps.events.list('run-1');
    const left = events.filter((e) => e.unit === 'left').map((e) => `${e.type}#${e.attempt}`);
    expect(left).toEqual(expect.arrayContaining(['stage.failed#1', 'stage.retried#2', 'stage.succeeded#2']));
    expect(left).not.toContain('stage.progress#1');
    expect(events.find((e) => e.type === 'stage.failed' && e.unit === 'left')?.error).toMatchObject({
      name: 'States.Timeout',
      message: 'stage left timed out after 0.2 s',
    });
  });

  it('stops a core that honours the signal at once, and ends the run when the engine is stopped', async () => {
    const deps = makeFakeDeps();
    const stop = new AbortController();
    const seen: string[] = [];
    const stages = stubRegistry().stages.map((stage) =>
      stage.id === 'left'
        ? {
            ...stage,
            module: {
              ...stage.module,
              run: (_input: unknown, ctx: StageContext) =>
                new Promise((_resolve, reject) => {
                  ctx.signal.addEventListener('abort', () => {
                    seen.push(String((ctx.signal.reason as Error).name));
                    reject(ctx.signal.reason as Error);
                  });
                  setTimeout(() => stop.abort(new Error('stopped by SIGTERM')), 20);
                }),
            },
          }
        : stage
    );
    const started = Date.now();
    await expect(runPipeline(ids, {}, { deps, stages, sleep: noSleep, signal: stop.signal })).rejects.toThrow(
      /stopped by SIGTERM|interrupted/
    );
    expect(seen).toEqual(['Error']);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('the cancellation pieces', () => {
  it('fences every persistence port once aborted, and leaves the logger and providers alone', async () => {
    const deps = makeFakeDeps();
    const controller = new AbortController();
    const fenced = fenceDeps(deps, controller.signal);
    await fenced.media.put('a', Buffer.from('1'), 'text/plain');
    controller.abort(new StageTimeoutError('too slow'));
    expect(() => fenced.media.put('b', Buffer.from('2'), 'text/plain')).toThrow('too slow');
    expect(() => fenced.runs.touch('run-1', 'now')).toThrow('too slow');
    expect(() => fenced.events.append({ runId: 'r', eventKey: 'k', type: 'run.started', at: 'now' })).toThrow(
      'too slow'
    );
    expect(await deps.media.list('')).toEqual(['a']);
    expect(fenced.logger).toBe(deps.logger);
  });

  it('races work against the signal and waits a bounded grace for work that ignores it', async () => {
    const { signal, dispose } = attemptSignal(undefined, 30, () => new StageTimeoutError('late'));
    const started = Date.now();
    const hung = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
    await expect(untilAborted(hung, signal, 100)).rejects.toThrow('late');
    expect(Date.now() - started).toBeLessThan(1000);
    dispose();
    const quick = attemptSignal(undefined, 1000, () => new StageTimeoutError('late'));
    await expect(untilAborted(Promise.resolve(7), quick.signal)).resolves.toBe(7);
    quick.dispose();
  });

  it('passes a parent abort (a stop signal) on with its reason', () => {
    const parent = new AbortController();
    const { signal, dispose } = attemptSignal(parent.signal, undefined, () => new Error('unused'));
    parent.abort(new Error('SIGINT'));
    expect((signal.reason as Error).message).toBe('SIGINT');
    dispose();
  });
});
