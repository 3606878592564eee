/**
 * Starts a run on the state machine. The runId is the execution name, so a run cannot be started
 * twice: Step Functions answers ExecutionAlreadyExists for a name it has seen (a closed execution,
 * or a running one with a different input). That answer is read back with DescribeExecution:
 * the same input means "already started" (exit 0, with the existing execution's ARN and status);
 * a different input under the same runId is a ValidationError.
 */
import {
  DescribeExecutionCommand,
  type ExecutionStatus,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ValidationError } from '../../stages/shared/errors';
import { canonicalJson } from '../../stages/shared/hashing';

export interface StartRequest {
  stateMachineArn: string;
  /** The runId. */
  name: string;
  input: Record<string, unknown>;
}

export type StartOutcome =
  | { outcome: 'started'; executionArn: string; startDate?: Date }
  | { outcome: 'already-started'; executionArn: string; status?: ExecutionStatus; startDate?: Date };

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;

export function checkStateMachineArn(arn: string | undefined): string {
  if (!arn)
    throw new ValidationError(
      'no state machine: pass --state-machine-arn or set STATE_MACHINE_ARN',
      '--state-machine-arn'
    );
  if (!STATE_MACHINE_ARN.test(arn)) {
    throw new ValidationError(
      `--state-machine-arn: "${arn}" is not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)`,
      '--state-machine-arn'
    );
  }
  return arn;
}

/** arn:aws:states:r:a:stateMachine:M + name -> arn:aws:states:r:a:execution:M:name (standard workflows). */
export function executionArnFor(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** The region in a Step Functions ARN (the client must be in it). */
export function arnRegion(arn: string): string {
  return arn.split(':')[3] ?? '';
}

function sameInput(stored: string | undefined, input: Record<string, unknown>): boolean {
  if (stored === undefined) return false;
  try {
    return canonicalJson(JSON.parse(stored)) === canonicalJson(input);
  } catch {
    return false;
  }
}

export async function startExecution(client: SFNClient, request: StartRequest): Promise<StartOutcome> {
  try {
    const started = await client.send(
      new StartExecutionCommand({
        stateMachineArn: request.stateMachineArn,
        name: request.name,
        input: JSON.stringify(request.input),
      })
    );
    return {
      outcome: 'started',
      executionArn: started.executionArn as string,
      ...(started.startDate ? { startDate: started.startDate } : {}),
    };
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'ExecutionAlreadyExists') throw error;
  }
  const executionArn = executionArnFor(request.stateMachineArn, request.name);
  const existing = await client.send(new DescribeExecutionCommand({ executionArn }));
  if (!sameInput(existing.input, request.input)) {
    throw new ValidationError(
      `runId "${request.name}" was already started with a different input (execution ${executionArn}); pick another --run-id, or start it with the same input`,
      'runId'
    );
  }
  return {
    outcome: 'already-started',
    executionArn: existing.executionArn ?? executionArn,
    ...(existing.status ? { status: existing.status } : {}),
    ...(existing.startDate ? { startDate: existing.startDate } : {}),
  };
}

/** What to tell the user about an execution that already existed. */
export function alreadyStartedHint(outcome: Extract<StartOutcome, { outcome: 'already-started' }>): string {
  switch (outcome.status) {
    case 'RUNNING':
      return 'it is still running';
    case 'SUCCEEDED':
      return 'it already succeeded';
    case 'FAILED':
    case 'TIMED_OUT':
    case 'ABORTED':
      return `it ended ${outcome.status}; rerun what did not finish with: aws stepfunctions redrive-execution --execution-arn ${outcome.executionArn}`;
    default:
      return outcome.status ? `status ${outcome.status}` : 'status unknown';
  }
}
