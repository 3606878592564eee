/**
 * The alarm topic (AlarmTopic, output AlarmTopicArn, the optional email subscription by context)
 * and that every alarm of the stack notifies it.
 */
import { Match } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CONTEXT_KEYS } from '../../infra/bin/app-settings';
import { realStack } from './real-stack';
import { emptyStack, logicalIdOf, templateOf, testApp } from './stack-fixture';

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Condition?: Record<string, unknown>;
};

describe('the alarm topic', () => {
  const stack = realStack();
  const template = templateOf(stack);
  const topicId = logicalIdOf(stack.ownAlarmTopic!.topic);
  const keyId = logicalIdOf(stack.ownAlarmTopic!.key);

  it('is created by the stack and is its AlarmTopicArn output', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasOutput('AlarmTopicArn', { Value: { Ref: topicId } });
    expect(stack.alarmTopic).toBe(stack.ownAlarmTopic?.topic);
  });

  it('refuses publishers without TLS and lets only CloudWatch alarms of this account publish', () => {
    const policy = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0];
    expect(policy?.Properties.Topics).toEqual([{ Ref: topicId }]);
    const statements = policy?.Properties.PolicyDocument.Statement as Statement[];
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: { 'aws:SourceArn': expect.anything() },
          },
        }),
      ])
    );
    expect(JSON.stringify(statements)).toContain(':alarm:*');
  });

  it('is encrypted with a rotated customer managed key that CloudWatch alarms may use', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResource('AWS::KMS::Key', {
      Properties: {
        EnableKeyRotation: true,
        PendingWindowInDays: 7,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Condition: Match.objectLike({
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              }),
            }),
          ]),
        },
      },
      // Only messages in flight depend on it: it goes with the stack.
      DeletionPolicy: 'Delete',
    });
  });

  it('has no subscription unless context names an email address', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const subscribed = realStack({}, testApp({ context: { [CONTEXT_KEYS.alarmEmail]: 'ops@example.com' } }));
    templateOf(subscribed).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: logicalIdOf(subscribed.ownAlarmTopic!.topic) },
    });
  });

  it('rejects an alarmEmail that is not an email address, naming the context key', () => {
    expect(() =>
      realStack({}, testApp({ context: { [CONTEXT_KEYS.alarmEmail]: 'ops at example' } }))
    ).toThrow(
      'context podcast-platform:alarmEmail: "ops at example" is not an email address (e.g. ops@example.com)'
    );
  });

  it('subscribes the email to a given topic too', () => {
    const arn = 'arn:aws:sns:us-east-1:123456789012:ops-alerts';
    const topic = sns.Topic.fromTopicArn(emptyStack(), 'Shared', arn);
    const stackWithTopic = realStack(
      { alarmTopic: topic, alarmEmail: 'ops@example.com' },
      testApp({ context: { [CONTEXT_KEYS.alarmEmail]: 'ignored@example.com' } })
    );
    expect(stackWithTopic.ownAlarmTopic).toBeUndefined();
    templateOf(stackWithTopic).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: arn,
    });
  });
});

describe('every alarm notifies the topic', () => {
  const stack = realStack();
  const template = templateOf(stack);
  const topicRef = { Ref: logicalIdOf(stack.ownAlarmTopic!.topic) };
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));

  it('failed and timed-out executions, stalled runs failed by the watchdog, and the watchdog failing', () => {
    const byMetric = Object.fromEntries(
      alarms.map((alarm) => [alarm.Properties.MetricName as string, alarm.Properties.AlarmActions as unknown])
    );
    expect(byMetric).toEqual({
      ExecutionsFailed: [topicRef],
      ExecutionsTimedOut: [topicRef],
      StalledRunsFailed: [topicRef],
      Errors: [topicRef],
    });
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it("shows the watchdog's alarms on the dashboard next to the executions'", () => {
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const alarm of [stack.watchdog.stalledRunsAlarm, stack.watchdog.errorsAlarm])
      expect(body).toContain(logicalIdOf(alarm));
  });
});
