/**
 * The process's live child processes (ffmpeg, local stage-task processes, the local orchestrator
 * child), so that a stop signal can end them all: the orchestrator's SIGINT/SIGTERM handler calls
 * stopChildProcesses() before it exits, so no child outlives it. Adapters register what they
 * spawn; stage cores never see this.
 */
import type { ChildProcess } from 'node:child_process';

interface TrackedChild {
  child: ChildProcess;
  /** What the child is, for logs. */
  name: string;
  /** Sent instead of the stopping signal (e.g. a child that handles only SIGTERM). */
  stopSignal?: NodeJS.Signals;
}

const live = new Set<TrackedChild>();

/** Keeps `child` in the registry until it exits; returns it for chaining. */
export function trackChildProcess<C extends ChildProcess>(
  child: C,
  name: string,
  options: { stopSignal?: NodeJS.Signals } = {}
): C {
  if (exited(child)) return child;
  const entry: TrackedChild = {
    child,
    name,
    ...(options.stopSignal ? { stopSignal: options.stopSignal } : {}),
  };
  live.add(entry);
  const forget = () => live.delete(entry);
  child.once('exit', forget);
  child.once('error', () => {
    if (exited(child) || child.pid === undefined) forget();
  });
  return child;
}

/** The names and pids of the children still running. */
export function liveChildProcesses(): { name: string; pid: number | undefined }[] {
  return [...live].map(({ name, child }) => ({ name, pid: child.pid }));
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/**
 * Sends every live child `signal` (or its own stopSignal), waits up to `graceMs` for them to exit,
 * then SIGKILLs the ones still running. Resolves when every child has exited or been killed.
 */
export async function stopChildProcesses(signal: NodeJS.Signals, graceMs = 5_000): Promise<void> {
  const children = [...live];
  await Promise.all(
    children.map(async ({ child, stopSignal }) => {
      try {
        child.kill(stopSignal ?? signal);
      } catch {
        // already gone
      }
      if (await waitForExit(child, graceMs)) return;
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
      await waitForExit(child, 1_000);
    })
  );
}
