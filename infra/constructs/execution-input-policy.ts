/**
 * ExecutionInputPolicy: lets the monolithic orchestrator task read its run input from the
 * execution that started it (states:DescribeExecution on that state machine's executions only).
 * The state machine passes the input by reference (PIPELINE_EXECUTION_ARN), since an ECS
 * container override is capped at 8 KiB and an execution's input at 256 KiB.
 *
 * The resource is built from the state machine's name, not its ARN attribute: the state machine
 * depends on the orchestrator's task definition and role, so a reference back would be a cycle.
 * A separate IAM Policy, as TaskCallbackPolicy, for the same reason.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface ExecutionInputPolicyProps {
  /** The state machine's explicit name (`<stack>-pipeline`). */
  readonly stateMachineName: string;
  /** The orchestrator task's role. */
  readonly role: iam.IRole;
}

export class ExecutionInputPolicy extends Construct {
  readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: ExecutionInputPolicyProps) {
    super(scope, id);
    const executions = Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${props.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.policy = new iam.Policy(this, 'Policy', {
      roles: [props.role],
      statements: [
        new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }),
      ],
    });
  }
}
