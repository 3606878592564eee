/**
 * TaskCallbackPolicy: lets the ECS stage tasks report to the state machine with their task token
 * (states:SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat on that state machine only).
 *
 * It is a separate IAM Policy resource on purpose. The state machine depends on the task
 * definitions (their ARNs and roles are in its definition and role policy), and this statement
 * depends on the state machine; a standalone policy attached to the task roles keeps that edge
 * away from anything the task definitions or the state machine depend on, so no change in how CDK
 * orders a role's default policy (today the task definitions do not wait for it) can close a cycle.
 * The stack test checks the template is acyclic.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface TaskCallbackPolicyProps {
  readonly stateMachine: sfn.IStateMachine;
  /** The task roles of the ECS stage tasks. */
  readonly roles: readonly iam.IRole[];
}

export const TASK_CALLBACK_ACTIONS = [
  'states:SendTaskSuccess',
  'states:SendTaskFailure',
  'states:SendTaskHeartbeat',
] as const;

export class TaskCallbackPolicy extends Construct {
  readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: TaskCallbackPolicyProps) {
    super(scope, id);
    if (props.roles.length === 0)
      throw new Error('TaskCallbackPolicy: roles must name at least one task role');
    this.policy = new iam.Policy(this, 'Policy', {
      roles: [...props.roles],
      statements: [
        new iam.PolicyStatement({
          actions: [...TASK_CALLBACK_ACTIONS],
          resources: [props.stateMachine.stateMachineArn],
        }),
      ],
    });
  }
}
