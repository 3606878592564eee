/**
 * The cdk-nag (AwsSolutions) findings this app accepts, each with its reason. cdk-nag 3 reads
 * CDK's native acknowledgments (`Validations.of(scope).acknowledge`), one exact finding at a time
 * (`RuleId[finding]`), so every acknowledgment below names the precise resource or wildcard and is
 * attached to the narrowest construct that produces it. Anything else fails the synth.
 */
import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { TABLES, type TableName } from '../../stages/shared/tables';
import { pipelineStateMachineName } from '../../stepfunctions/state-machine-name';
import type { PodcastPlatformStack } from '../stacks/podcast-platform-stack';

/** `<LogicalId.Arn>`: how cdk-nag renders a resource's ARN in a finding. */
function arnRef(resource: IConstruct): string {
  const stack = Stack.of(resource);
  const cfn = resource.node.defaultChild;
  if (!(cfn instanceof CfnElement))
    throw new Error(`nag acknowledgments: ${resource.node.path} has no CloudFormation resource`);
  return `<${stack.resolve(cfn.logicalId) as string}.Arn>`;
}

function refOf(resource: IConstruct): string {
  const cfn = resource.node.defaultChild;
  if (!(cfn instanceof CfnElement))
    throw new Error(`nag acknowledgments: ${resource.node.path} has no CloudFormation resource`);
  return `<${Stack.of(resource).resolve(cfn.logicalId) as string}>`;
}

function ack(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

export function acknowledgeNagFindings(stack: PodcastPlatformStack): void {
  const { functions, tasks, pipeline, buckets, tables, cluster } = stack;

  for (const fn of [...functions.all(), stack.watchdog.function]) {
    ack(
      fn.role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions, so Resource must be *.'
    );
    ack(
      fn.function,
      'AwsSolutions-L1',
      'The pipeline pins Node.js 22 (DESIGN.md): the code, its bundle target and its tests are on 22; moving to a newer runtime is a deliberate upgrade, not a synth-time default.'
    );
  }

  for (const task of tasks.all()) {
    const executionRole = task.taskDefinition.executionRole;
    if (executionRole) {
      ack(
        executionRole,
        'AwsSolutions-IAM5[Resource::*]',
        'ECS pulls the image with ecr:GetAuthorizationToken, which has no resource-level permissions; the layer actions are scoped to the repository.'
      );
    }
    ack(
      task.taskDefinition,
      'AwsSolutions-ECS2',
      'The environment holds only non-secret settings (table and bucket names set next to their IAM grants, STAGE_ID, the event TTL); no credentials or provider keys.'
    );
  }

  for (const scope of [functions, tasks]) {
    for (const bucket of [buckets.media, buckets.rss]) {
      ack(
        scope,
        `AwsSolutions-IAM5[Resource::${arnRef(bucket)}/*]`,
        "Stages read and write objects whose keys depend on the run id (runs/<runId>/...) and the podcast id (podcasts/<id>/...), so object access is granted on the bucket's objects; the actions are listed one by one (no delete)."
      );
    }
    const indexed = (Object.keys(TABLES) as TableName[]).filter(
      (name) => (TABLES[name] as { indexes?: unknown[] }).indexes?.length
    );
    for (const name of indexed) {
      const table = tables.all()[name];
      ack(
        scope,
        `AwsSolutions-IAM5[Resource::${arnRef(table)}/index/*]`,
        "The DynamoDB data grants cover the table's own secondary indexes (the runs table's byStatus GSI lists runs by status); nothing outside this table."
      );
    }
  }

  ack(
    stack.executionInputPolicy,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${pipelineStateMachineName(stack.stackName)}:*]`,
    "The orchestrator task reads its run input from the execution that started it (PIPELINE_EXECUTION_ARN); execution ARNs end in the run's name, so states:DescribeExecution is granted on this one state machine's executions, nothing else."
  );

  // Cloud providers (infra/constructs/provider-access.ts).
  for (const role of stack.providerAccess.pollyPrincipals) {
    ack(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      "polly:SynthesizeSpeech has no resource-level permissions (Amazon Polly API permissions reference lists its Resource as *); the statement holds only that action, limited to the stack's region by aws:RequestedRegion."
    );
  }
  ack(
    stack.providerAccess.secret,
    'AwsSolutions-SMG4',
    "The provider secret holds API keys issued by third-party providers; they are rotated in those providers' consoles and written here by an operator, so there is no rotation function to schedule."
  );

  // The public origin (infra/constructs/public-distribution.ts).
  const distribution = stack.publicOrigin.distribution;
  ack(
    distribution,
    'AwsSolutions-CFR1',
    'Podcast feeds and episodes are public by design and meant for listeners in every country; the distribution serves only GET/HEAD of objects under podcasts/, so there is no country to restrict.'
  );
  ack(
    distribution,
    'AwsSolutions-CFR2',
    'The distribution serves only static, public objects (GET/HEAD, no query strings, cookies or forms) from two private S3 origins, with Shield Standard at the edge; a web ACL would add a monthly charge and per-request fees without a rule to apply. An operator can attach one later.'
  );
  if (!stack.publicOrigin.certificate) {
    ack(
      distribution,
      'AwsSolutions-CFR4',
      'No custom domain is configured, so the distribution uses the default *.cloudfront.net certificate, whose security policy CloudFront fixes; with podcast-platform:domainName and podcast-platform:certificateArn it uses SNI and TLSv1.2_2021.'
    );
  }

  // The GitHub deploy role (infra/constructs/github-deploy-role.ts), when the stack has one.
  if (stack.githubDeploy) {
    ack(
      stack.githubDeploy.role,
      'AwsSolutions-IAM5[Resource::*]',
      'ECR registry login: ecr:GetAuthorizationToken has no resource-level permissions, so its statement (that action alone) names *; pushing is granted on the pipeline repository only, and the CDK bootstrap roles and this stack are named by exact ARN.'
    );
  }

  const smRole = pipeline.stateMachine.role;
  ack(
    smRole,
    'AwsSolutions-IAM5[Resource::*]',
    'X-Ray tracing and CloudWatch Logs delivery (logs:CreateLogDelivery, logs:PutResourcePolicy, ...) have no resource-level permissions; everything else the role holds names exact ARNs.'
  );
  ack(
    smRole,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/${refOf(cluster)}/*]`,
    'ecs:StopTask and ecs:DescribeTasks act on task ids that exist only at run time; the resource is limited to tasks of the pipeline cluster and an ecs:cluster condition repeats it.'
  );
}
