import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CONTEXT_KEYS, readAppSettings } from '../../infra/bin/app-settings';
import { cdkJsonContext } from './stack-fixture';

const reader = (context: Record<string, unknown>) => (key: string) => context[key];

describe('readAppSettings', () => {
  it('reads the defaults cdk.json gives the app', () => {
    const settings = readAppSettings(reader(cdkJsonContext()));
    expect(settings).toEqual({
      stackName: 'PodcastPlatform',
      imageTag: 'latest',
      logRetention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
      runArtifactsExpirationDays: 14,
      eventTtlDays: 30,
    });
  });

  it('falls back to defaults with no context at all', () => {
    expect(readAppSettings(reader({}))).toEqual({
      stackName: 'PodcastPlatform',
      imageTag: 'latest',
      logRetention: 30,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  });

  it('accepts -c overrides, which arrive as strings', () => {
    const settings = readAppSettings(
      reader({
        [CONTEXT_KEYS.imageTag]: 'git-3f2a9c1',
        [CONTEXT_KEYS.logRetentionDays]: '90',
        [CONTEXT_KEYS.removalPolicy]: 'destroy',
        [CONTEXT_KEYS.stackName]: 'PodcastPlatformDev',
        [CONTEXT_KEYS.stageTaskCommand]: '["node","dist/containers/stage-task/main.js"]',
      })
    );
    expect(settings).toMatchObject({
      imageTag: 'git-3f2a9c1',
      logRetention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
      stackName: 'PodcastPlatformDev',
      stageTaskCommand: ['node', 'dist/containers/stage-task/main.js'],
    });
  });

  it('rejects bad values, naming the context key', () => {
    const bad = (key: string, value: unknown) => () => readAppSettings(reader({ [key]: value }));
    expect(bad(CONTEXT_KEYS.imageTag, 'has space')).toThrow(
      /context podcast-platform:imageTag: "has space" is not a Docker image tag/
    );
    expect(bad(CONTEXT_KEYS.logRetentionDays, 31)).toThrow(
      /podcast-platform:logRetentionDays: 31 is not a CloudWatch Logs retention/
    );
    expect(bad(CONTEXT_KEYS.removalPolicy, 'snapshot')).toThrow(
      /podcast-platform:removalPolicy: "snapshot" is not "retain" or "destroy"/
    );
    expect(bad(CONTEXT_KEYS.eventTtlDays, '0')).toThrow(
      /podcast-platform:eventTtlDays: "0" is not a whole number >= 1/
    );
    expect(bad(CONTEXT_KEYS.stackName, '1stack')).toThrow(/podcast-platform:stackName/);
    expect(bad(CONTEXT_KEYS.stageTaskCommand, 'node main.js')).toThrow(
      /podcast-platform:stageTaskCommand: "node main.js" is not a JSON array of strings/
    );
    expect(bad(CONTEXT_KEYS.stageTaskCommand, [])).toThrow(/non-empty JSON array of strings/);
  });
});
