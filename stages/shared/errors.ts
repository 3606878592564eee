/**
 * Error classes whose `name` carries their retry meaning. The names are literals (never
 * `Class.name`, which minification may rename) because the state machine's Retry/Catch and the
 * monolithic engine's retry table both match on them.
 */
export const ERROR_NAMES = {
  validation: 'ValidationError',
  retryable: 'RetryableStageError',
  fatal: 'FatalStageError',
  conflict: 'ConflictError',
  interrupted: 'RunInterruptedError',
  releaseGate: 'ReleaseGateError',
} as const;

export type PipelineErrorName = (typeof ERROR_NAMES)[keyof typeof ERROR_NAMES];

/**
 * Errors no retry can heal: our fatal classes and JavaScript's programming errors. Everything else
 * (our retryable classes, SDK throttling, network resets, Lambda service errors, timeouts) is
 * retried by the plan's policy. The ASL lists these first with MaxAttempts 0, then retries
 * States.ALL, so both orchestrators read the same table.
 */
export const NON_RETRYABLE_ERROR_NAMES = [
  ERROR_NAMES.validation,
  ERROR_NAMES.fatal,
  ERROR_NAMES.conflict,
  ERROR_NAMES.releaseGate,
  'TypeError',
  'RangeError',
  'SyntaxError',
  'ReferenceError',
] as const;

export abstract class PipelineError extends Error {
  abstract override readonly name: PipelineErrorName;
  /** Whether the orchestrators may try the work again. */
  abstract readonly retryable: boolean;
}

/** A transient failure (throttling, a flaky network): the plan's retry policy applies. */
export class RetryableStageError extends PipelineError {
  override readonly name = ERROR_NAMES.retryable;
  readonly retryable = true;
}

/** A failure that will not heal by retrying (unreadable source, a review that cannot be fixed). */
export class FatalStageError extends PipelineError {
  override readonly name = ERROR_NAMES.fatal;
  readonly retryable = false;
}

/** Bad input: names the field and what is wrong with it. Never retried; exit code 2. */
/**
 * The episode fails the release gate (stages/publish/release-gate.ts): one `rule: reason` per
 * failed rule. Not retried: the artifacts or the config must change first. Nothing is published.
 */
export class ReleaseGateError extends PipelineError {
  override readonly name = ERROR_NAMES.releaseGate;
  readonly retryable = false;
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`the episode fails the release gate (nothing was published): ${problems.join('; ')}`);
    this.problems = problems;
  }
}

export class ValidationError extends PipelineError {
  override readonly name = ERROR_NAMES.validation;
  readonly retryable = false;
  constructor(
    message: string,
    readonly field?: string,
    options?: ErrorOptions
  ) {
    super(message, options);
  }
}

/** A write lost a race with another writer of the same record (e.g. a run already final). */
export class ConflictError extends PipelineError {
  override readonly name = ERROR_NAMES.conflict;
  readonly retryable = false;
}

/** The process was asked to stop (SIGTERM) while a stage was running. */
export class RunInterruptedError extends PipelineError {
  override readonly name = ERROR_NAMES.interrupted;
  readonly retryable = true;
}

/**
 * A unit that outran its plan timeout; named like the Step Functions error so both modes agree
 * (retried by the plan's policy, like any transient failure).
 */
export class StageTimeoutError extends Error {
  override readonly name = 'States.Timeout';
}

/** True when an error of this name (names survive serialisation) should be retried. */
export function isRetryableErrorName(name: string): boolean {
  return !(NON_RETRYABLE_ERROR_NAMES as readonly string[]).includes(name);
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof PipelineError) return error.retryable;
  if (error instanceof Error) return isRetryableErrorName(error.name);
  return false;
}

/** One line that names the problem, for the CLI, the run record and events. */
export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error)
    return { name: error.name || 'Error', message: error.message.split('\n')[0] ?? '' };
  return { name: 'Error', message: String(error) };
}

/** Errors a stage's claim refused the run with (stage-runner.ts marks them; see isClaimRefusal). */
const claimRefusals = new WeakSet<object>();

/** Marks `error` as thrown by a stage's claim: the claim has recorded what it owned. */
export function markClaimRefusal<T>(error: T): T {
  if (typeof error === 'object' && error !== null) claimRefusals.add(error);
  return error;
}

/**
 * Whether `error` came from a stage's claim. The claim records the run it created or resumed
 * itself (prepare.ts); a record it did not claim (another process's running run, a finished one)
 * is not the refused start's to fail, so the orchestrator leaves it alone.
 */
export function isClaimRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && claimRefusals.has(error);
}
