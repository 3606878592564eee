import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { checkPlaceholders, placeholdersIn } from '../../infra/constructs/definition-placeholders';
import { FIXTURE_ASL, SMALL_STAGES, logicalIdOf, smallStack, templateOf } from './stack-fixture';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

function stateMachineStatements(stack: ReturnType<typeof smallStack>): Statement[] {
  const template = templateOf(stack);
  const roleId = logicalIdOf(stack.pipeline.stateMachine.role);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    JSON.stringify(policy.Properties.Roles).includes(roleId)
  );
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

describe('PipelineStateMachine', () => {
  const stack = smallStack();
  const template = templateOf(stack);

  it('is a STANDARD machine with X-Ray tracing and ALL-level logs to its own log group', () => {
    const logGroupId = logicalIdOf(stack.pipeline.logGroup);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/'),
      RetentionInDays: 30,
    });
  });

  it('substitutes every placeholder of the definition with a deployed value', () => {
    const fixture = readFileSync(FIXTURE_ASL, 'utf8');
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    const substitutions = machine?.Properties.DefinitionSubstitutions as Record<string, unknown>;
    expect(Object.keys(substitutions).sort()).toEqual(placeholdersIn(fixture));
    expect(substitutions.AssignPublicIp).toBe('ENABLED');
    expect(substitutions.PrepareFunctionArn).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^StageFunctionsPrepareFunction/), 'Arn'],
    });
    expect(substitutions.ScrapeTaskDefinitionArn).toEqual({
      Ref: expect.stringMatching(/^TasksScrapeTaskDefinition/),
    });
    expect(substitutions.OrchestratorTaskDefinitionArn).toEqual({
      Ref: expect.stringMatching(/^TasksOrchestratorTaskDefinition/),
    });
    expect(substitutions.SubnetId1).toEqual({ Ref: expect.stringMatching(/PublicSubnet1Subnet/) });
    expect(substitutions.SubnetId2).toEqual({ Ref: expect.stringMatching(/PublicSubnet2Subnet/) });
    expect(machine?.Properties.DefinitionS3Location).toBeDefined();
  });

  it('fails the synth naming each placeholder that has no substitution', () => {
    // Prepare: the fixture uses ${ScrapeTaskDefinitionArn}; a stage list without scrape cannot fill it.
    const withoutScrape = [
      { id: 'prepare', runtime: 'lambda', timeoutSeconds: 30, lambda: { memoryMb: 256 } },
      { id: 'tts', runtime: 'lambda', timeoutSeconds: 60, lambda: { memoryMb: 512 } },
    ] as const;
    // Act / Assess
    expect(() => smallStack({ stages: withoutScrape })).toThrow(
      /uses placeholders with no substitution: \$\{ScrapeTaskDefinitionArn\}/
    );
    expect(() => checkPlaceholders('x.json', '{"a":"${A}","b":"${B}","c":"${A}"}', { B: 'b' })).toThrow(
      /x\.json uses placeholders with no substitution: \$\{A\} \(provided: B\)/
    );
  });

  it('warns when a substitution is not used by the definition', () => {
    // Prepare: a lambda stage whose ARN the fixture never references.
    const extra = smallStack({
      stages: [
        ...SMALL_STAGES,
        { id: 'discover', runtime: 'lambda', timeoutSeconds: 30, lambda: { memoryMb: 128 } },
      ],
    });
    // Assess
    Annotations.fromStack(extra).hasWarning(
      '/Small/Pipeline',
      Match.stringLikeRegexp('does not use: DiscoverFunctionArn')
    );
    expect(checkPlaceholders('x.json', '{"a":"${A}"}', { A: 'a', Z: 'z' }).unused).toEqual(['Z']);
  });

  it('names the file when the definition is missing or not JSON', () => {
    expect(() =>
      smallStack({ definitionPath: path.join(__dirname, 'fixtures', 'missing.asl.json') })
    ).toThrow(/missing\.asl\.json cannot be read/);
    expect(() => smallStack({ definitionPath: __filename })).toThrow(
      /pipeline-state-machine\.test\.ts is not valid JSON/
    );
  });

  it('may invoke exactly the pipeline functions', () => {
    const invoke = stateMachineStatements(stack).filter((s) =>
      actionsOf(s).includes('lambda:InvokeFunction')
    );
    expect(invoke).toHaveLength(1);
    const resources = JSON.stringify(invoke[0]?.Resource);
    for (const fn of ['Prepare', 'Tts', 'RunStatus'])
      expect(resources).toContain(`StageFunctions${fn}Function`);
    expect((invoke[0]?.Resource as unknown[]).length).toBe(3);
    expect(resources).not.toContain(':*');
  });

  it('may run exactly the task definitions, on the pipeline cluster, and pass only their roles to ECS', () => {
    const statements = stateMachineStatements(stack);
    const runTask = statements.find((s) => actionsOf(s).includes('ecs:RunTask'));
    expect(runTask?.Resource).toEqual([
      { Ref: expect.stringMatching(/^TasksOrchestratorTaskDefinition/) },
      { Ref: expect.stringMatching(/^TasksScrapeTaskDefinition/) },
    ]);
    expect(runTask?.Condition).toEqual({
      ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [expect.stringMatching(/^Cluster/), 'Arn'] } },
    });
    const passRole = statements.find((s) => actionsOf(s).includes('iam:PassRole'));
    expect((passRole?.Resource as unknown[]).length).toBe(4);
    expect(JSON.stringify(passRole?.Resource)).toMatch(
      /TasksOrchestratorTaskDefinitionTaskRole.*TasksOrchestratorTaskDefinitionExecutionRole.*TasksScrapeTaskDefinitionTaskRole.*TasksScrapeTaskDefinitionExecutionRole/
    );
    expect(passRole?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    });
    const stop = statements.find((s) => actionsOf(s).includes('ecs:StopTask'));
    expect(actionsOf(stop as Statement).sort()).toEqual(['ecs:DescribeTasks', 'ecs:StopTask']);
  });

  it('may manage only the EventBridge rule that ecs:runTask.sync uses', () => {
    const events = stateMachineStatements(stack).find((s) => actionsOf(s).includes('events:PutRule'));
    expect(actionsOf(events as Statement).sort()).toEqual([
      'events:DescribeRule',
      'events:PutRule',
      'events:PutTargets',
    ]);
    expect(JSON.stringify(events?.Resource)).toContain(':rule/StepFunctionsGetEventsForECSTaskRule');
  });

  it('lets the ECS stage tasks and run-status (the approval gate), and only them, answer a task token', () => {
    const machineId = logicalIdOf(stack.pipeline.stateMachine);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^TaskCallbackPolicy'),
      PolicyDocument: {
        Statement: [
          {
            Action: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
            Effect: 'Allow',
            Resource: { Ref: machineId },
          },
        ],
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^TasksScrapeTaskDefinitionTaskRole') }],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^ApprovalCallbackPolicy'),
      PolicyDocument: { Statement: [Match.objectLike({ Resource: { Ref: machineId } })] },
      Roles: [{ Ref: Match.stringLikeRegexp('RunStatus') }],
    });
    const granting = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes('states:SendTask')
    );
    expect(granting).toHaveLength(2);
  });

  it('names the state machine <stack>-pipeline and lets only the orchestrator task read its executions (the input by reference)', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: `${stack.stackName}-pipeline`,
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^ExecutionInputPolicy'),
      PolicyDocument: {
        Statement: [
          {
            Action: 'states:DescribeExecution',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                Match.arrayWith([Match.stringLikeRegexp(`:execution:${stack.stackName}-pipeline:\\*$`)]),
              ],
            },
          },
        ],
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^TasksOrchestratorTaskDefinitionTaskRole') }],
    });
    const granting = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes('states:DescribeExecution')
    );
    expect(granting).toHaveLength(1);
  });
});
