/**
 * SIGINT (Ctrl-C) and SIGTERM (the container's stop signal) stop the orchestrator the same way:
 * the run is recorded failed with RunInterruptedError naming the signal, child processes are
 * ended, the local servers stop (releasing the data directory's lock), and the process exits
 * 128 + the signal's number (130 for SIGINT, 143 for SIGTERM). Fargate sends SIGKILL 60 s after
 * SIGTERM, so the exit comes within `deadlineMs` whatever the stop handler does. Later signals
 * are ignored: a terminal's Ctrl-C reaches the whole process group, and a wrapper (npm, tsx) may
 * relay the same signal again, which must not cut the first stop short.
 */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** 130 for SIGINT, 143 for SIGTERM: the shell's convention for a process ended by a signal. */
export const STOP_EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

export interface StopSignalOptions {
  /** What to do before exiting (record the run, end children, stop servers). */
  stop: (signal: StopSignal) => Promise<void>;
  /** @default 20_000 */
  deadlineMs?: number;
  exit?: (code: number) => void;
  target?: Pick<NodeJS.Process, 'on'>;
}

export function installStopSignals(options: StopSignalOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const target = options.target ?? process;
  let stopping = false;
  for (const signal of STOP_SIGNALS) {
    target.on(signal, () => {
      if (stopping) return;
      stopping = true;
      const code = STOP_EXIT_CODES[signal];
      const deadline = setTimeout(() => exit(code), options.deadlineMs ?? 20_000);
      options
        .stop(signal)
        .catch(() => undefined)
        .finally(() => {
          clearTimeout(deadline);
          exit(code);
        });
    });
  }
}
