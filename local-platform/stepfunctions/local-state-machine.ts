/**
 * The state machine `serve` runs: the committed definition (stepfunctions/podcast_pipeline.asl.json)
 * with its placeholders filled for the local runtime, named as the stack names it, in the local
 * account and region. The placeholders get ARNs of the shape the stack's resources have, so the
 * definition `DescribeStateMachine` returns reads like a deployed one.
 */
import type { StateMachineDefinition } from '../../stepfunctions/asl-types';
import { listPlaceholders, substitutePlaceholders } from '../../stepfunctions/placeholders';
import { readCommittedDefinition } from '../../stepfunctions/local/run-local-state-machine';
import { DEFAULT_STACK_NAME, pipelineStateMachineName } from '../../stepfunctions/state-machine-name';

/** LocalStack's conventions: the account every local ARN carries, and the default region. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

export interface LocalStateMachine {
  name: string;
  arn: string;
  roleArn: string;
  /** The executable definition (placeholders substituted). */
  definition: StateMachineDefinition;
  /** When this `serve` data directory first created it (kept across restarts by the caller). */
  creationDate: Date;
}

/** A value of the right shape for each placeholder, named after the stack's resources. */
export function localPlaceholderValue(name: string, stackName: string): string {
  const arn = (service: string, resource: string) =>
    `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;
  const base = (suffix: string) => name.slice(0, -suffix.length);
  if (name.endsWith('FunctionArn')) return arn('lambda', `function:${stackName}-${base('FunctionArn')}`);
  if (name.endsWith('TaskDefinitionArn'))
    return arn('ecs', `task-definition/${stackName}-${base('TaskDefinitionArn')}:1`);
  if (name.endsWith('ClusterArn')) return arn('ecs', `cluster/${stackName}`);
  const subnet = /^SubnetId(\d+)$/.exec(name);
  if (subnet) return `subnet-local${(subnet[1] as string).padStart(12, '0')}`;
  if (name === 'SecurityGroupId') return 'sg-local000000000001';
  if (name === 'AssignPublicIp') return 'DISABLED';
  throw new Error(`serve has no local value for placeholder \${${name}}`);
}

export function stateMachineArn(name: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
}

export function executionArn(stateMachineName: string, executionName: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${stateMachineName}:${executionName}`;
}

export function localStateMachine(
  options: { stackName?: string; definition?: StateMachineDefinition; creationDate?: Date } = {}
): LocalStateMachine {
  const stackName = options.stackName ?? DEFAULT_STACK_NAME;
  const name = pipelineStateMachineName(stackName);
  const committed = options.definition ?? readCommittedDefinition();
  const values = Object.fromEntries(
    listPlaceholders(committed).map((placeholder) => [
      placeholder,
      localPlaceholderValue(placeholder, stackName),
    ])
  );
  return {
    name,
    arn: stateMachineArn(name),
    roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${stackName}-pipeline-role`,
    definition: substitutePlaceholders(committed, values),
    creationDate: options.creationDate ?? new Date(),
  };
}
