/**
 * Task tokens of `.waitForTaskToken` states: the token a task gets, and what `SendTaskSuccess`,
 * `SendTaskFailure` and `SendTaskHeartbeat` do with it. A waiting state fails with
 * `States.HeartbeatTimeout` when no heartbeat (or result) arrives within its `HeartbeatSeconds`,
 * as on AWS; a token that was answered, timed out or never issued is refused with AWS's errors.
 */
import { randomBytes } from 'node:crypto';
import { SfnApiError } from './sfn-errors';

/** A failure the task reported, or a timeout: its name is what the state's Retry and Catch match. */
export class TaskFailure extends Error {
  readonly error: string;
  constructor(error: string, cause: string) {
    super(cause, { cause });
    this.name = error;
    this.error = error;
  }
}

export interface TaskWait {
  token: string;
  /** Resolves with the parsed output of SendTaskSuccess; rejects with a TaskFailure. */
  result: Promise<unknown>;
  /** Ends the wait from this side (the task's process died, the execution stopped). */
  fail(error: string, cause: string): void;
}

interface Pending {
  resolve(output: unknown): void;
  reject(failure: TaskFailure): void;
  heartbeatSeconds?: number;
  timer?: NodeJS.Timeout;
  onHeartbeat?: () => void;
}

/** Step Functions' limit on a task's output. */
const MAX_OUTPUT_BYTES = 256 * 1024;

export class TaskTokens {
  private readonly pending = new Map<string, Pending>();
  /** Tokens that were answered or timed out, so a late call gets TaskTimedOut, not TaskDoesNotExist. */
  private readonly closed = new Set<string>();

  /** Issues a token and waits for its answer; `heartbeatSeconds` arms the heartbeat timeout. */
  issue(options: { heartbeatSeconds?: number; onHeartbeat?: () => void } = {}): TaskWait {
    const token = randomBytes(96).toString('base64url');
    let pending!: Pending;
    const result = new Promise<unknown>((resolve, reject) => {
      pending = { resolve, reject, ...options };
    });
    // A wait nobody awaits any more (a stopped execution) must not be an unhandled rejection.
    result.catch(() => undefined);
    this.pending.set(token, pending);
    this.arm(token, pending);
    return {
      token,
      result,
      fail: (error, cause) => this.settle(token, (p) => p.reject(new TaskFailure(error, cause))),
    };
  }

  success(token: string, output: string | undefined): void {
    let parsed: unknown;
    if (output === undefined) throw new SfnApiError('ValidationException', 'output: required');
    if (Buffer.byteLength(output) > MAX_OUTPUT_BYTES)
      throw new SfnApiError('InvalidOutput', `output: larger than ${MAX_OUTPUT_BYTES} bytes`);
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new SfnApiError('InvalidOutput', 'output: not valid JSON');
    }
    this.answer(token, (p) => p.resolve(parsed));
  }

  failure(token: string, error: string | undefined, cause: string | undefined): void {
    if (error !== undefined && error.length > 256)
      throw new SfnApiError('ValidationException', 'error: longer than 256 characters');
    if (cause !== undefined && cause.length > 32768)
      throw new SfnApiError('ValidationException', 'cause: longer than 32768 characters');
    this.answer(token, (p) => p.reject(new TaskFailure(error ?? '', cause ?? '')));
  }

  heartbeat(token: string): void {
    const pending = this.open(token);
    pending.onHeartbeat?.();
    this.arm(token, pending);
  }

  private answer(token: string, settle: (pending: Pending) => void): void {
    this.open(token);
    this.settle(token, settle);
  }

  private open(token: string): Pending {
    if (typeof token !== 'string' || token.length < 1 || token.length > 2048)
      throw new SfnApiError('InvalidToken', 'taskToken: must be 1-2048 characters');
    const pending = this.pending.get(token);
    if (pending) return pending;
    if (this.closed.has(token))
      throw new SfnApiError('TaskTimedOut', 'the task was already closed or timed out');
    throw new SfnApiError('TaskDoesNotExist', 'no task with this token');
  }

  private settle(token: string, settle: (pending: Pending) => void): void {
    const pending = this.pending.get(token);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(token);
    this.closed.add(token);
    settle(pending);
  }

  private arm(token: string, pending: Pending): void {
    clearTimeout(pending.timer);
    if (!pending.heartbeatSeconds) return;
    const seconds = pending.heartbeatSeconds;
    pending.timer = setTimeout(
      () =>
        this.settle(token, (p) =>
          p.reject(new TaskFailure('States.HeartbeatTimeout', `no heartbeat for ${seconds} s`))
        ),
      seconds * 1000
    );
    pending.timer.unref();
  }
}
