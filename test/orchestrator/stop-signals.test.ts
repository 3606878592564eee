/**
 * How the orchestrator process stops (containers/orchestrator/cli/stop-signals.ts), in-process:
 * SIGINT and SIGTERM run the same stop and exit 130 and 143; the deadline exits even when the
 * stop hangs; later signals do not cut the stop short. What the stop does: unfinished-run.test.ts.
 */
import { EventEmitter } from 'node:events';
import { installStopSignals, type StopSignal } from '../../containers/orchestrator/cli/stop-signals';

function harness(stop: (signal: StopSignal) => Promise<void>, deadlineMs = 1_000) {
  const target = new EventEmitter();
  const exits: number[] = [];
  let exited!: () => void;
  const firstExit = new Promise<void>((resolve) => (exited = resolve));
  installStopSignals({
    stop,
    deadlineMs,
    exit: (code) => {
      exits.push(code);
      exited();
    },
    target: target as unknown as NodeJS.Process,
  });
  return { target, exits, firstExit };
}

describe('installStopSignals', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s runs the stop with that signal, then exits %i', async (signal, code) => {
    const stopped: StopSignal[] = [];
    const h = harness(async (s) => {
      stopped.push(s);
    });

    h.target.emit(signal);
    await h.firstExit;

    expect(stopped).toEqual([signal]);
    expect(h.exits).toEqual([code]);
  });

  it('exits at the deadline when the stop never finishes', async () => {
    const h = harness(() => new Promise<void>(() => undefined), 50);
    const started = Date.now();

    h.target.emit('SIGINT');
    await h.firstExit;

    expect(h.exits).toEqual([130]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a failing stop still exits; a second signal (a relayed Ctrl-C) changes nothing', async () => {
    let calls = 0;
    const h = harness(async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('could not record');
    });

    h.target.emit('SIGINT');
    h.target.emit('SIGINT');
    h.target.emit('SIGTERM');
    await h.firstExit;
    await new Promise((resolve) => setTimeout(resolve, 30));

    expect(calls).toBe(1);
    expect(h.exits).toEqual([130]);
  });
});
