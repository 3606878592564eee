/**
 * What an execution's history says, in AWS's event types and detail members (what
 * `GetExecutionHistory` returns): the local runner's events (aws-local-stepfunctions) mapped
 * onto them, and the events `serve` adds itself (task scheduling, the execution's ending).
 */
import type { LocalExecutionEvent } from '../../stepfunctions/local/run-local-state-machine';
import type { NewHistoryEvent } from './execution-store';
import { LOCAL_REGION } from './local-state-machine';

const json = (value: unknown) => JSON.stringify(value ?? null);

function event(type: string, member?: string, value?: Record<string, unknown>): NewHistoryEvent {
  return member && value ? { type, details: { member, value } } : { type };
}

/** `Task` -> `TaskStateEntered`, `Choice` -> `ChoiceStateEntered`... */
function stateEvent(stateType: string, phase: 'Entered' | 'Exited'): string {
  return `${stateType}State${phase}`;
}

/** The history events for one event of the local runner (none for those AWS does not record). */
export function historyEventsFor(logged: LocalExecutionEvent): NewHistoryEvent[] {
  const at = (e: NewHistoryEvent): NewHistoryEvent => ({
    ...e,
    timestamp: new Date(logged.timestamp).toISOString(),
  });
  switch (logged.type) {
    case 'StateEntered':
      return [
        at(
          event(stateEvent(logged.state.type, 'Entered'), 'stateEnteredEventDetails', {
            name: logged.state.name,
            input: json(logged.state.input),
            inputDetails: { truncated: false },
          })
        ),
      ];
    case 'StateExited':
      // Fail states end the execution instead of exiting.
      if (logged.state.type === 'Fail') return [];
      return [
        at(
          event(stateEvent(logged.state.type, 'Exited'), 'stateExitedEventDetails', {
            name: logged.state.name,
            output: json(logged.state.output),
            outputDetails: { truncated: false },
          })
        ),
      ];
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
      return [
        at(
          event(logged.type, `${lowerFirst(logged.type)}EventDetails`, {
            name: logged.parentState.name,
            index: logged.index,
          })
        ),
      ];
    case 'MapIterationFailed':
      return [
        at(
          event('MapIterationFailed', 'mapIterationFailedEventDetails', {
            name: logged.parentState.name,
            index: logged.index,
          })
        ),
      ];
    case 'ParallelBranchStarted':
      return [at(event('ParallelStateStarted'))];
    default:
      // ExecutionStarted and the endings are written by serve (it knows the input as sent and the
      // cause); retries, catches and branch endings have no events of their own on AWS.
      return [];
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function executionStarted(input: string, roleArn: string): NewHistoryEvent {
  return event('ExecutionStarted', 'executionStartedEventDetails', {
    input,
    inputDetails: { truncated: false },
    roleArn,
  });
}

export function executionRedriven(redriveCount: number): NewHistoryEvent {
  return event('ExecutionRedriven', 'executionRedrivenEventDetails', { redriveCount });
}

export function executionEnded(
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED',
  detail: { output?: string; error?: string; cause?: string }
): NewHistoryEvent {
  switch (status) {
    case 'SUCCEEDED':
      return event('ExecutionSucceeded', 'executionSucceededEventDetails', {
        output: detail.output ?? 'null',
        outputDetails: { truncated: false },
      });
    case 'FAILED':
      return event('ExecutionFailed', 'executionFailedEventDetails', errorDetails(detail));
    case 'TIMED_OUT':
      return event('ExecutionTimedOut', 'executionTimedOutEventDetails', errorDetails(detail));
    case 'ABORTED':
      return event('ExecutionAborted', 'executionAbortedEventDetails', errorDetails(detail));
  }
}

function errorDetails(detail: { error?: string; cause?: string }): Record<string, unknown> {
  return {
    ...(detail.error ? { error: detail.error } : {}),
    ...(detail.cause ? { cause: detail.cause } : {}),
  };
}

/** A Task state's resource as its history names it: `lambda`/`invoke`, `ecs`/`runTask.waitForTaskToken`. */
export interface TaskResource {
  resourceType: string;
  resource: string;
}

export function taskScheduled(
  task: TaskResource,
  parameters: unknown,
  heartbeatSeconds?: number
): NewHistoryEvent {
  return event('TaskScheduled', 'taskScheduledEventDetails', {
    ...task,
    region: LOCAL_REGION,
    parameters: json(parameters),
    ...(heartbeatSeconds ? { heartbeatInSeconds: heartbeatSeconds } : {}),
  });
}

export function taskStarted(task: TaskResource): NewHistoryEvent {
  return event('TaskStarted', 'taskStartedEventDetails', { ...task });
}

export function taskSubmitted(task: TaskResource, output: unknown): NewHistoryEvent {
  return event('TaskSubmitted', 'taskSubmittedEventDetails', { ...task, output: json(output) });
}

export function taskSucceeded(task: TaskResource, output: unknown): NewHistoryEvent {
  return event('TaskSucceeded', 'taskSucceededEventDetails', {
    ...task,
    output: json(output),
    outputDetails: { truncated: false },
  });
}

export function taskFailed(task: TaskResource, error: string, cause: string): NewHistoryEvent {
  const type =
    error === 'States.Timeout' || error === 'States.HeartbeatTimeout' ? 'TaskTimedOut' : 'TaskFailed';
  return event(type, `${lowerFirst(type)}EventDetails`, { ...task, error, cause });
}
