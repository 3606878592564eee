/**
 * The Step Functions API of `serve` (AWS JSON 1.0, `X-Amz-Target: AWSStepFunctions.<Action>`):
 * one state machine, its executions and their histories, and the task-token callbacks. Requests
 * and answers have AWS's member names and error codes, so the SDKs and the AWS CLI work unchanged.
 *
 * Name idempotency is AWS's: StartExecution with the name and input of a RUNNING execution returns
 * that execution; any other reuse of a name is ExecutionAlreadyExists. RedriveExecution runs the
 * definition again from the start on the same input: the stages' checkpoints make every finished
 * unit return its stored manifest, so only what did not finish does work again.
 */
import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../../stages/shared/hashing';
import { executionEnded, executionRedriven, executionStarted } from './execution-history';
import type { ExecutionRecord, ExecutionStore, HistoryEvent } from './execution-store';
import {
  type ExecutionRuntime,
  failRunIfOpen,
  type RunningExecution,
  startAttempt,
} from './execution-runner';
import { executionArn } from './local-state-machine';
import { SfnApiError } from './sfn-errors';
import { executionSummary, describeExecution, historyEvent, stateMachineDescription } from './sfn-shapes';
import { page, optionalString, requiredString, checkExecutionName, checkInput } from './sfn-requests';

type Request = Record<string, unknown>;
type Action = (request: Request) => Promise<unknown> | unknown;

const EXECUTION_STATUSES = new Set([
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
]);

/** Execution statuses from which RedriveExecution may continue (AWS: within 14 days). */
const REDRIVABLE = new Set(['FAILED', 'ABORTED', 'TIMED_OUT']);

export class SfnService {
  private readonly running = new Map<string, RunningExecution>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly actions: Record<string, Action>;

  constructor(private readonly runtime: ExecutionRuntime) {
    this.actions = {
      ListStateMachines: () => ({
        stateMachines: [
          {
            stateMachineArn: this.machine.arn,
            name: this.machine.name,
            type: 'STANDARD',
            creationDate: this.machine.creationDate.getTime() / 1000,
          },
        ],
      }),
      DescribeStateMachine: (r) => {
        this.stateMachineFrom(r);
        return stateMachineDescription(this.machine);
      },
      DescribeStateMachineForExecution: (r) => {
        this.executionFrom(r);
        const { status: _status, type: _type, ...description } = stateMachineDescription(this.machine);
        return { ...description, updateDate: this.machine.creationDate.getTime() / 1000 };
      },
      StartExecution: (r) => this.start(r),
      DescribeExecution: (r) => describeExecution(this.executionFrom(r)),
      ListExecutions: (r) => {
        this.stateMachineFrom(r);
        const status = optionalString(r, 'statusFilter');
        if (status !== undefined && !EXECUTION_STATUSES.has(status))
          throw new SfnApiError(
            'ValidationException',
            `statusFilter: "${status}" is not one of ${[...EXECUTION_STATUSES].join(', ')}`
          );
        const all = this.store.list().filter((e) => !status || e.status === status);
        const { items, nextToken } = page(all, r);
        return { executions: items.map(executionSummary), ...(nextToken ? { nextToken } : {}) };
      },
      GetExecutionHistory: (r) => {
        const record = this.executionFrom(r);
        const events: readonly HistoryEvent[] = this.store.history(record.name);
        const ordered = r.reverseOrder === true ? [...events].reverse() : [...events];
        const { items, nextToken } = page(ordered, r);
        const withData = r.includeExecutionData !== false;
        return { events: items.map((e) => historyEvent(e, withData)), ...(nextToken ? { nextToken } : {}) };
      },
      StopExecution: (r) => this.exclusive(this.executionFrom(r).name, () => this.stop(r)),
      RedriveExecution: (r) => this.exclusive(this.executionFrom(r).name, () => this.redrive(r)),
      SendTaskSuccess: (r) => {
        this.runtime.tokens.success(requiredString(r, 'taskToken'), optionalString(r, 'output'));
        return {};
      },
      SendTaskFailure: (r) => {
        this.runtime.tokens.failure(
          requiredString(r, 'taskToken'),
          optionalString(r, 'error'),
          optionalString(r, 'cause')
        );
        return {};
      },
      SendTaskHeartbeat: (r) => {
        this.runtime.tokens.heartbeat(requiredString(r, 'taskToken'));
        return {};
      },
    };
  }

  private get machine() {
    return this.runtime.machine;
  }

  private get store(): ExecutionStore {
    return this.runtime.store;
  }

  /** The record once the execution is no longer running (at once when it is not). */
  async whenEnded(name: string): Promise<ExecutionRecord | undefined> {
    const running = this.running.get(name);
    if (running) await running.done.catch(() => undefined);
    return this.store.get(name);
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** The names of the actions this service answers. */
  get actionNames(): string[] {
    return Object.keys(this.actions);
  }

  async call(action: string, request: Request): Promise<unknown> {
    // Own actions only: `constructor`, `toString` and friends are not operations.
    const handler = Object.hasOwn(this.actions, action) ? this.actions[action] : undefined;
    if (!handler) throw new SfnApiError('UnknownOperationException', `serve does not implement ${action}`);
    return handler(request);
  }

  /** Executions left RUNNING by a `serve` that did not stop cleanly end FAILED, with the reason. */
  async closeInterrupted(cause: string): Promise<string[]> {
    const closed: string[] = [];
    for (const record of this.store.list()) {
      if (record.status !== 'RUNNING' || this.running.has(record.name)) continue;
      const ended: ExecutionRecord = {
        ...record,
        status: 'FAILED',
        error: 'ServeInterrupted',
        cause,
        stopDate: new Date().toISOString(),
      };
      await failRunIfOpen(ended, this.runtime.deps);
      await this.store.append(record.name, [executionEnded('FAILED', ended)]);
      await this.store.save(ended);
      closed.push(record.name);
    }
    return closed;
  }

  /**
   * Ends every running execution as FAILED (serve is stopping); they can be redriven later. The
   * orchestrator CLI passes its own error and records the run itself.
   */
  async interruptAll(cause: string, options: { error?: string; recordRun?: boolean } = {}): Promise<void> {
    await Promise.all(
      [...this.running.values()].map((execution) =>
        execution.interrupt({
          status: 'FAILED',
          error: options.error ?? 'ServeInterrupted',
          cause,
          recordRun: options.recordRun ?? true,
        })
      )
    );
  }

  private stateMachineFrom(request: Request): void {
    const arn = requiredString(request, 'stateMachineArn');
    if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/.test(arn))
      throw new SfnApiError('InvalidArn', `Invalid Arn: '${arn}'`);
    if (arn !== this.machine.arn)
      throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  }

  private executionFrom(request: Request): ExecutionRecord {
    const arn = requiredString(request, 'executionArn');
    const match = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:([^:]+):([^:]+)$/.exec(arn);
    if (!match) throw new SfnApiError('InvalidArn', `Invalid Arn: '${arn}'`);
    const record = match[1] === this.machine.name ? this.store.get(match[2] as string) : undefined;
    if (!record || record.executionArn !== arn)
      throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  private async start(request: Request): Promise<unknown> {
    this.stateMachineFrom(request);
    const name = optionalString(request, 'name') ?? randomUUID();
    checkExecutionName(name);
    return this.exclusive(name, () => this.startNamed(name, request));
  }

  /**
   * Start, stop and redrive of one execution run one after another: a stop that arrives while a
   * redrive is starting waits for it and then stops it, instead of finding nothing running.
   */
  private exclusive<T>(name: string, action: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(name) ?? Promise.resolve();
    const next = previous.then(action, action);
    const settled = next.then(
      () => undefined,
      () => undefined
    );
    this.locks.set(name, settled);
    void settled.then(() => {
      if (this.locks.get(name) === settled) this.locks.delete(name);
    });
    return next;
  }

  private async startNamed(name: string, request: Request): Promise<unknown> {
    const input = optionalString(request, 'input') ?? '{}';
    const parsed = checkInput(input);
    const existing = this.store.get(name);
    if (existing) {
      const same =
        existing.status === 'RUNNING' && canonicalJson(JSON.parse(existing.input)) === canonicalJson(parsed);
      if (same)
        return { executionArn: existing.executionArn, startDate: Date.parse(existing.startDate) / 1000 };
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn: executionArn(this.machine.name, name),
      stateMachineArn: this.machine.arn,
      name,
      status: 'RUNNING',
      input,
      startDate: new Date().toISOString(),
      redriveCount: 0,
    };
    await this.store.save(record);
    await this.store.append(name, [executionStarted(input, this.machine.roleArn)]);
    this.launch(record);
    return { executionArn: record.executionArn, startDate: Date.parse(record.startDate) / 1000 };
  }

  private async stop(request: Request): Promise<unknown> {
    const record = this.executionFrom(request);
    const error = optionalString(request, 'error') ?? 'ExecutionAborted';
    const cause = optionalString(request, 'cause') ?? 'stopped with StopExecution';
    if (error.length > 256) throw new SfnApiError('ValidationException', 'error: longer than 256 characters');
    if (cause.length > 32768)
      throw new SfnApiError('ValidationException', 'cause: longer than 32768 characters');
    const running = this.running.get(record.name);
    if (!running) return { stopDate: Date.parse(record.stopDate ?? record.startDate) / 1000 };
    const ended = await running.interrupt({ status: 'ABORTED', error, cause });
    return { stopDate: Date.parse(ended.stopDate ?? new Date().toISOString()) / 1000 };
  }

  private async redrive(request: Request): Promise<unknown> {
    const record = this.executionFrom(request);
    if (!REDRIVABLE.has(record.status) || this.running.has(record.name))
      throw new SfnApiError(
        'ExecutionNotRedrivable',
        `Execution ${record.executionArn} is ${record.status}: only FAILED, ABORTED or TIMED_OUT executions can be redriven`
      );
    const redriven: ExecutionRecord = {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      input: record.input,
      startDate: record.startDate,
      status: 'RUNNING',
      redriveCount: record.redriveCount + 1,
      redriveDate: new Date().toISOString(),
    };
    await this.store.save(redriven);
    await this.store.append(record.name, [executionRedriven(redriven.redriveCount)]);
    this.launch(redriven);
    return { redriveDate: Date.parse(redriven.redriveDate as string) / 1000 };
  }

  private launch(record: ExecutionRecord): void {
    const attempt = startAttempt(record, this.runtime);
    this.running.set(record.name, attempt);
    void attempt.done
      .catch((error: unknown) =>
        this.runtime.deps.logger.error('execution attempt crashed', {
          name: record.name,
          error: String(error),
        })
      )
      .finally(() => this.running.delete(record.name));
  }
}
