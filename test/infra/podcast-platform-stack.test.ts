import { readFileSync } from 'node:fs';
import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { placeholdersIn } from '../../infra/constructs/definition-placeholders';
import { PipelineObservability } from '../../infra/constructs/pipeline-observability';
import { realStack, registryStages } from './real-stack';
import { REAL_ASL, emptyStack, logicalIdOf, templateOf, testApp } from './stack-fixture';

describe('PodcastPlatformStack', () => {
  const stack = realStack();
  const template = templateOf(stack);

  it('is environment-agnostic (no account or region lookups)', () => {
    expect(Token.isUnresolved(stack.account)).toBe(true);
    expect(Token.isUnresolved(stack.region)).toBe(true);
  });

  it('substitutes every placeholder of the committed definition, and nothing it does not use', () => {
    const used = placeholdersIn(readFileSync(REAL_ASL, 'utf8'));
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    expect(Object.keys(machine?.Properties.DefinitionSubstitutions ?? {}).sort()).toEqual(used);
    expect(used).toEqual(
      expect.arrayContaining([
        ...registryStages('lambda').map((s) => `${s.id.charAt(0).toUpperCase()}${s.id.slice(1)}FunctionArn`),
        'RunStatusFunctionArn',
      ])
    );
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('does not use'));
  });

  it("gives every log group the stack's retention and removal policy", () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(registryStages('lambda').length + 5);
    expect(groups.map((g) => [g.Properties.RetentionInDays, g.DeletionPolicy])).toEqual(
      groups.map(() => [30, 'Retain'])
    );
    // Prepare / Act: a short-lived dev stack.
    const dev = templateOf(
      realStack(
        { logRetention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY },
        testApp()
      )
    );
    // Assess
    const devGroups = Object.values(dev.findResources('AWS::Logs::LogGroup'));
    expect(devGroups.map((g) => [g.Properties.RetentionInDays, g.DeletionPolicy])).toEqual(
      devGroups.map(() => [7, 'Delete'])
    );
  });

  it('has no dependency cycle between its resources', () => {
    expect(dependencyCycle(template.toJSON() as CfnTemplate)).toBeUndefined();
    // The check itself finds a cycle when there is one.
    const cyclic: CfnTemplate = {
      Resources: {
        A: { Properties: { X: { Ref: 'B' } } },
        B: { Properties: { Y: { 'Fn::GetAtt': ['A', 'Arn'] } } },
      },
    };
    expect(dependencyCycle(cyclic)).toEqual(['A', 'B', 'A']);
  });

  it('outputs what operators and scripts need', () => {
    const outputs = Object.keys(template.findOutputs('*')).sort();
    expect(outputs).toEqual(
      [
        'AlarmTopicArn',
        'ClusterName',
        'ContainerRepositoryName',
        'EpisodesTableName',
        'EventsTableName',
        'MediaBucketName',
        'PodcastsTableName',
        'PublicDistributionDomainName',
        'PublicDistributionId',
        'PublicOriginUrl',
        'RepositoryUri',
        'RssBucketName',
        'RunsTableName',
        'StateMachineArn',
      ].sort()
    );
    const machineId = logicalIdOf(stack.pipeline.stateMachine);
    template.hasOutput('StateMachineArn', { Value: { Ref: machineId } });
  });

  it('alarms on failed and on timed-out executions (and the run watchdog: alarms.test.ts)', () => {
    for (const metricName of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metricName,
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        Dimensions: [{ Name: 'StateMachineArn', Value: Match.anyValue() }],
      });
    }
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });

  it("has a dashboard with executions and each stage Lambda's errors and duration", () => {
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const metric of [
      'ExecutionsStarted',
      'ExecutionsSucceeded',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
    ])
      expect(body).toContain(metric);
    for (const stage of registryStages('lambda')) expect(body).toContain(`\\"label\\":\\"${stage.id}\\"`);
    expect(body).toContain('\\"Errors\\"');
    expect(body).toContain('\\"Duration\\"');
  });

  it('notifies a given alarm topic instead of creating one', () => {
    // Prepare
    const alerts = 'arn:aws:sns:us-east-1:123456789012:pipeline-alerts';
    const alarmTopic = sns.Topic.fromTopicArn(emptyStack(), 'Alerts', alerts);
    // Act
    const withTopic = templateOf(realStack({ alarmTopic }, testApp()));
    // Assess
    withTopic.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [alerts] });
    withTopic.resourceCountIs('AWS::SNS::Topic', 0);
    withTopic.hasOutput('AlarmTopicArn', { Value: alerts });
  });

  it('rejects an alarm period that is not whole minutes', () => {
    const s = emptyStack();
    const machine = sfn.StateMachine.fromStateMachineArn(
      s,
      'Sm',
      'arn:aws:states:us-east-1:123456789012:stateMachine:x'
    );
    expect(
      () =>
        new PipelineObservability(s, 'Obs', {
          stateMachine: machine,
          functions: new Map(),
          period: Duration.seconds(30),
        })
    ).toThrow(/period must be a whole number of minutes/);
  });
});

type CfnTemplate = { Resources: Record<string, { Properties?: unknown; DependsOn?: string | string[] }> };

/** A dependency cycle among the template's resources (Ref, Fn::GetAtt, DependsOn), if any. */
function dependencyCycle(template: CfnTemplate): string[] | undefined {
  const ids = new Set(Object.keys(template.Resources));
  const refs = (value: unknown, found: Set<string>): Set<string> => {
    if (Array.isArray(value)) value.forEach((v) => refs(v, found));
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'Ref' && typeof v === 'string' && ids.has(v)) found.add(v);
        else if (key === 'Fn::GetAtt' && Array.isArray(v) && ids.has(String(v[0]))) found.add(String(v[0]));
        else refs(v, found);
      }
    }
    return found;
  };
  const edges = new Map(
    [...ids].map((id) => {
      const resource = template.Resources[id];
      return [id, refs(resource?.Properties, new Set([resource?.DependsOn ?? []].flat()))];
    })
  );
  const done = new Set<string>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (path.includes(id)) return [...path.slice(path.indexOf(id)), id];
    if (done.has(id)) return undefined;
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next, [...path, id]);
      if (cycle) return cycle;
    }
    done.add(id);
    return undefined;
  };
  for (const id of ids) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}
