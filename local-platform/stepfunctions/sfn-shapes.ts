/**
 * The answers' shapes, with AWS's member names: timestamps as epoch seconds (the JSON protocol's
 * encoding), optional members left out when empty.
 */
import type { ExecutionRecord, HistoryEvent } from './execution-store';
import type { LocalStateMachine } from './local-state-machine';

const seconds = (iso: string) => Date.parse(iso) / 1000;

export function stateMachineDescription(machine: LocalStateMachine) {
  return {
    stateMachineArn: machine.arn,
    name: machine.name,
    status: 'ACTIVE',
    definition: JSON.stringify(machine.definition, null, 2),
    roleArn: machine.roleArn,
    type: 'STANDARD',
    creationDate: machine.creationDate.getTime() / 1000,
    loggingConfiguration: { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: { enabled: false },
  };
}

export function executionSummary(record: ExecutionRecord) {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: seconds(record.startDate),
    ...(record.stopDate ? { stopDate: seconds(record.stopDate) } : {}),
    ...(record.redriveCount > 0 ? { redriveCount: record.redriveCount } : {}),
    ...(record.redriveDate ? { redriveDate: seconds(record.redriveDate) } : {}),
  };
}

export function describeExecution(record: ExecutionRecord) {
  const redrivable =
    record.status === 'FAILED' || record.status === 'ABORTED' || record.status === 'TIMED_OUT';
  return {
    ...executionSummary(record),
    redriveCount: record.redriveCount,
    input: record.input,
    inputDetails: { included: true },
    ...(record.output !== undefined ? { output: record.output, outputDetails: { included: true } } : {}),
    ...(record.error ? { error: record.error } : {}),
    ...(record.cause ? { cause: record.cause } : {}),
    redriveStatus: redrivable ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
    ...(redrivable
      ? {}
      : {
          redriveStatusReason:
            record.status === 'RUNNING'
              ? 'Execution is RUNNING and cannot be redriven'
              : 'Execution is SUCCEEDED and cannot be redriven',
        }),
  };
}

/** A history event as GetExecutionHistory returns it; without data, inputs and outputs are left out. */
export function historyEvent(event: HistoryEvent, includeData: boolean) {
  const shape: Record<string, unknown> = {
    timestamp: seconds(event.timestamp),
    type: event.type,
    id: event.id,
    previousEventId: event.previousEventId,
  };
  if (event.details) {
    const value = { ...event.details.value };
    if (!includeData) for (const member of ['input', 'output', 'parameters']) delete value[member];
    shape[event.details.member] = value;
  }
  return shape;
}
