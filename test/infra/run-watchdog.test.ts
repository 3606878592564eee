/**
 * The run watchdog in the stack (Lambda, schedule, grants, alarm on its metric), and its bundle
 * built with infra's settings failing a stalled run on the local DynamoDB in a fresh node process.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Duration } from 'aws-cdk-lib';
import { buildOne } from '../../bench/lambda-bundles';
import { RunWatchdog } from '../../infra/constructs/run-watchdog';
import { PipelineTables } from '../../infra/constructs/pipeline-tables';
import { WATCHDOG_METRIC } from '../../stages/run-watchdog/watchdog-metric';
import { ENV } from '../../stages/shared/env';
import { STALLED_AFTER_MS, STALLED_ERROR_NAME } from '../../stages/shared/stalled-runs';
import { startTestServers } from '../helpers/local-servers';
import { realStack } from './real-stack';
import { PROJECT_ROOT, emptyStack, logicalIdOf, templateOf } from './stack-fixture';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

describe('RunWatchdog in the stack', () => {
  const stack = realStack();
  const template = templateOf(stack);
  const fn = stack.watchdog.function;
  const fnId = logicalIdOf(fn.function);
  const runsId = logicalIdOf(stack.tables.runs);
  const eventsId = logicalIdOf(stack.tables.events);

  const statements = (): Statement[] =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter(
        (policy) =>
          JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: logicalIdOf(fn.role) }])
      )
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);

  it('is a Node.js 22 ARM64 Lambda with tracing, its own log group, and the tables and stack it needs named', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalIdOf(fn.logGroup) } },
      Environment: {
        Variables: {
          [ENV.runsTable]: { Ref: runsId },
          [ENV.eventsTable]: { Ref: eventsId },
          [ENV.eventTtlDays]: '30',
          [ENV.stackName]: stack.stackName,
          POWERTOOLS_SERVICE_NAME: 'podcast-platform',
        },
      },
    });
    const vars = template.toJSON().Resources[fnId].Properties.Environment.Variables as Record<
      string,
      unknown
    >;
    for (const unneeded of [ENV.mediaBucket, ENV.rssBucket, ENV.podcastsTable, ENV.episodesTable])
      expect(vars[unneeded]).toBeUndefined();
  });

  it('runs every 15 minutes from an EventBridge rule', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
          Id: 'Target0',
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 900 },
        },
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [logicalIdOf(stack.watchdog.rule), 'Arn'] },
    });
  });

  it('may only read and update run records, query the byStatus index and put events', () => {
    // Assess: the DynamoDB statements, exactly.
    const data = statements()
      .filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')))
      .map((s) => ({ actions: [s.Action].flat().sort(), resource: JSON.stringify(s.Resource) }));
    expect(data).toEqual([
      {
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resource: JSON.stringify({ 'Fn::GetAtt': [runsId, 'Arn'] }),
      },
      {
        actions: ['dynamodb:Query'],
        resource: JSON.stringify({
          'Fn::Join': ['', [{ 'Fn::GetAtt': [runsId, 'Arn'] }, '/index/byStatus']],
        }),
      },
      { actions: ['dynamodb:PutItem'], resource: JSON.stringify({ 'Fn::GetAtt': [eventsId, 'Arn'] }) },
    ]);
    // ...and besides them only its log group and X-Ray: no bucket, no other table, no provider.
    const others = statements()
      .flatMap((s) => [s.Action].flat())
      .filter((a) => !a.startsWith('dynamodb:'));
    expect([...new Set(others.map((a) => a.split(':')[0]))].sort()).toEqual(['logs', 'xray']);
  });

  it('alarms on the metric its EMF line writes, one data point per check', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: WATCHDOG_METRIC.namespace,
      MetricName: WATCHDOG_METRIC.name,
      Dimensions: [{ Name: WATCHDOG_METRIC.dimension, Value: stack.stackName }],
      Statistic: 'Sum',
      Period: 900,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
      Threshold: 1,
    });
  });

  it('takes a schedule of whole minutes, at least 5', () => {
    const s = emptyStack();
    const tables = new PipelineTables(s, 'Tables');
    const props = { tables, projectRoot: PROJECT_ROOT, serviceName: 'x' };
    expect(() => new RunWatchdog(s, 'A', { ...props, schedule: Duration.seconds(90) })).toThrow(
      'RunWatchdog: schedule must be a whole number of minutes, at least 5 (got 90 s)'
    );
    expect(() => new RunWatchdog(s, 'B', { ...props, schedule: Duration.minutes(1) })).toThrow(/at least 5/);
    expect(() => new RunWatchdog(s, 'C', { ...props, schedule: Duration.minutes(5) })).not.toThrow();
  });
});

describe('the run watchdog bundle', () => {
  jest.setTimeout(120_000);

  it('fails a stalled run on the local DynamoDB and writes its metric line, loaded as Lambda loads it', async () => {
    // Prepare: the bundle as infra builds it, and a run silent past the deadline.
    const work = await mkdtemp(path.join(tmpdir(), 'run-watchdog-bundle-'));
    const local = await startTestServers();
    try {
      const spec = {
        id: 'run-watchdog',
        entry: path.join(PROJECT_ROOT, 'stages', 'run-watchdog', 'handler.ts'),
        providers: [],
        memoryMb: 256,
      };
      const built = await buildOne(spec, { name: 'infra', sdk: 'bundled' }, PROJECT_ROOT, work);
      const quietSince = new Date(Date.now() - STALLED_AFTER_MS - 60_000).toISOString();
      const newRun = {
        runId: 'lost-run',
        podcastId: 'p',
        mode: 'distributed' as const,
        inputHash: 'h',
        input: {},
      };
      await local.persistence.runs.claim(newRun, quietSince);
      await local.persistence.runs.beginUnit('lost-run', 'scrape', 'scrape', quietSince);

      // Act: a fresh node process with only what the Lambda gets.
      const script = `require(${JSON.stringify(built.outfile)}).handler({ source: 'aws.events' }, {})
        .then((report) => { process.stdout.write('REPORT ' + JSON.stringify(report) + '\\n'); process.exit(0); },
              (e) => { process.stdout.write('ERROR ' + e.name + ': ' + e.message + '\\n'); process.exit(0); });`;
      const result = await promisify(execFile)(process.execPath, ['-e', script], {
        cwd: path.dirname(built.outfile),
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? '',
          AWS_REGION: 'us-east-1',
          POWERTOOLS_LOG_LEVEL: 'ERROR',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          [ENV.runsTable]: local.servers.env[ENV.runsTable] ?? '',
          [ENV.eventsTable]: local.servers.env[ENV.eventsTable] ?? '',
          [ENV.stackName]: 'PodcastPlatform',
          ...Object.fromEntries(Object.entries(local.servers.env).filter(([key]) => key.startsWith('AWS_'))),
        },
      });

      // Assess: one EMF line, then the report; the run is failed with a run.failed event.
      const lines = result.stdout.trim().split('\n');
      const metric = JSON.parse(lines.find((line) => line.startsWith('{"_aws"')) ?? '{}') as Record<
        string,
        unknown
      >;
      expect(metric).toMatchObject({ StackName: 'PodcastPlatform', StalledRunsFailed: 1 });
      expect(lines.at(-1)).toMatch(/^REPORT /);
      const run = await local.persistence.runs.get('lost-run');
      expect(run).toMatchObject({ status: 'failed', error: { stage: 'scrape', name: STALLED_ERROR_NAME } });
      expect((await local.persistence.events.list('lost-run')).map((e) => e.type)).toEqual(['run.failed']);
    } finally {
      await local.stop();
      await rm(work, { recursive: true, force: true });
    }
  });
});
