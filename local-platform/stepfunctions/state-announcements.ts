/**
 * Keeps a Task state's own history events after its `TaskStateEntered`. The local runner calls a
 * state's handler right after it logs the state's entry (or a retry), but that log reaches this
 * module later, more so from inside Map iterations and Parallel branches, which forward their
 * events through generators of their own. So the k-th call of a state's handler waits until the
 * k-th entry or retry of that state has been read (at most a moment, in case it never is).
 */
const MAX_WAIT_MS = 500;

export class StateAnnouncements {
  private readonly announced = new Map<string, number>();
  private readonly calls = new Map<string, number>();
  private readonly waiting = new Map<string, { call: number; resolve: () => void }[]>();

  /** The history consumer read an entry (or a retry) of `state`. */
  announce(state: string): void {
    const count = (this.announced.get(state) ?? 0) + 1;
    this.announced.set(state, count);
    const waiters = this.waiting.get(state) ?? [];
    const still = waiters.filter((waiter) => {
      if (waiter.call > count) return true;
      waiter.resolve();
      return false;
    });
    this.waiting.set(state, still);
  }

  /** A handler of `state` was called: resolves once its announcement has been read. */
  called(state: string): Promise<void> {
    const call = (this.calls.get(state) ?? 0) + 1;
    this.calls.set(state, call);
    if ((this.announced.get(state) ?? 0) >= call) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, MAX_WAIT_MS);
      timer.unref();
      const waiters = this.waiting.get(state) ?? [];
      waiters.push({
        call,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      this.waiting.set(state, waiters);
    });
  }
}
