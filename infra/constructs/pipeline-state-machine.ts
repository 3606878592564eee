/**
 * PipelineStateMachine: the distributed pipeline, from the committed ASL file (generated from the
 * registry by stepfunctions/) with every `${...}` placeholder substituted: stage and run-status
 * function ARNs, task definition ARNs, the cluster, the task network.
 *
 * Defaults: STANDARD type, X-Ray tracing, logging at level ALL to its own log group (one month)
 * without execution data: inputs and outputs are small manifests that the execution history
 * already shows, and keeping them out of the logs keeps podcast configs and run inputs out of a
 * second store. The role can invoke exactly the given functions, run exactly the given task
 * definitions on the given cluster and pass exactly their roles to ECS.
 */
import { Annotations, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { pipelineStateMachineName } from '../../stepfunctions/state-machine-name';
import { placeholders } from '../../stepfunctions/state-names';
import { checkPlaceholders, readDefinition } from './definition-placeholders';

export interface PipelineStateMachineProps {
  /** Path of the ASL JSON with `${...}` placeholders. */
  readonly definitionPath: string;
  /** Lambda functions by stage id (`run-status` included): `${<Pascal>FunctionArn}`. */
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  /** Task definitions by id (`orchestrator` and each ecs stage): `${<Pascal>TaskDefinitionArn}`. */
  readonly taskDefinitions: ReadonlyMap<string, ecs.TaskDefinition>;
  readonly cluster: ecs.ICluster;
  /** The task subnets: `${SubnetId1}`, `${SubnetId2}`, ... */
  readonly subnets: readonly ec2.ISubnet[];
  readonly securityGroup: ec2.ISecurityGroup;
  /**
   * Whether tasks get a public IP (`${AssignPublicIp}`); required in public subnets without NAT.
   * @default true
   */
  readonly assignPublicIp?: boolean;
  /** @default false */
  readonly includeExecutionData?: boolean;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/** The EventBridge rule Step Functions manages for `ecs:runTask.sync`. */
export const ECS_SYNC_RULE = 'StepFunctionsGetEventsForECSTaskRule';

export class PipelineStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  /** The substitutions applied, by placeholder name. */
  readonly substitutions: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: PipelineStateMachineProps) {
    super(scope, id);
    const substitutions = buildSubstitutions(props);
    const definition = readDefinition(props.definitionPath);
    const { unused } = checkPlaceholders(props.definitionPath, definition, substitutions);
    if (unused.length > 0) {
      Annotations.of(this).addWarningV2(
        'podcast-platform:unusedSubstitutions',
        `the definition does not use: ${unused.join(', ')} (is the ASL out of date with the registry?)`
      );
    }
    this.substitutions = substitutions;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      // The vended-logs prefix keeps the CloudWatch Logs resource policy small (Step Functions docs).
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 200 })}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      // `<stack>-pipeline`: a name users and `serve` can predict (the ARN start-run targets).
      stateMachineName: pipelineStateMachineName(Stack.of(this).stackName),
      definitionBody: sfn.DefinitionBody.fromFile(props.definitionPath),
      definitionSubstitutions: substitutions,
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: {
        destination: this.logGroup,
        level: sfn.LogLevel.ALL,
        includeExecutionData: props.includeExecutionData ?? false,
      },
    });
    this.grantPipelineAccess(props);
  }

  private grantPipelineAccess(props: PipelineStateMachineProps): void {
    const stack = Stack.of(this);
    const tasks = [...props.taskDefinitions.values()];
    const clusterCondition = { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } };
    const add = (statement: iam.PolicyStatement) => this.stateMachine.addToRolePolicy(statement);

    if (props.functions.size > 0) {
      add(
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: [...props.functions.values()].map((fn) => fn.functionArn),
        })
      );
    }
    if (tasks.length === 0) return;
    add(
      new iam.PolicyStatement({
        actions: ['ecs:RunTask'],
        resources: tasks.map((task) => task.taskDefinitionArn),
        conditions: clusterCondition,
      })
    );
    add(
      new iam.PolicyStatement({
        actions: ['ecs:StopTask', 'ecs:DescribeTasks'],
        resources: [
          stack.formatArn({
            service: 'ecs',
            resource: 'task',
            resourceName: `${props.cluster.clusterName}/*`,
          }),
        ],
        conditions: clusterCondition,
      })
    );
    const roles = tasks.flatMap((task) => [
      task.taskRole,
      ...(task.executionRole ? [task.executionRole] : []),
    ]);
    add(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: roles.map((role) => role.roleArn),
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      })
    );
    add(
      new iam.PolicyStatement({
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: ECS_SYNC_RULE })],
      })
    );
  }
}

function buildSubstitutions(props: PipelineStateMachineProps): Record<string, string> {
  const subs: Record<string, string> = {};
  for (const [id, fn] of props.functions) subs[placeholders.functionArn(id)] = fn.functionArn;
  for (const [id, task] of props.taskDefinitions)
    subs[placeholders.taskDefinitionArn(id)] = task.taskDefinitionArn;
  subs[placeholders.ecsClusterArn] = props.cluster.clusterArn;
  props.subnets.forEach((subnet, index) => {
    subs[`SubnetId${index + 1}`] = subnet.subnetId;
  });
  subs[placeholders.securityGroupId] = props.securityGroup.securityGroupId;
  subs[placeholders.assignPublicIp] = props.assignPublicIp === false ? 'DISABLED' : 'ENABLED';
  return subs;
}
