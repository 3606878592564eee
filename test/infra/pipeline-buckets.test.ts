import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { PipelineBuckets, RUN_ARTIFACTS_PREFIX } from '../../infra/constructs/pipeline-buckets';
import { artifactKeys } from '../../stages/shared/artifact-keys';
import { emptyStack, logicalIdOf, resourcesOfType, templateOf } from './stack-fixture';

function bucketsTemplate(props: ConstructorParameters<typeof PipelineBuckets>[2] = {}) {
  const stack = emptyStack();
  const buckets = new PipelineBuckets(stack, 'Buckets', props);
  return { buckets, template: templateOf(stack) };
}

function bucketProps(template: Template, logicalId: string): Record<string, unknown> {
  const found = resourcesOfType(template, 'AWS::S3::Bucket').find(([id]) => id === logicalId);
  if (!found?.[1].Properties) throw new Error(`no bucket ${logicalId}`);
  return found[1].Properties;
}

describe('PipelineBuckets', () => {
  const { buckets, template } = bucketsTemplate();
  const media = logicalIdOf(buckets.media);
  const rss = logicalIdOf(buckets.rss);
  const logs = logicalIdOf(buckets.accessLogs);

  it('blocks all public access and encrypts every bucket', () => {
    template.resourceCountIs('AWS::S3::Bucket', 3);
    for (const id of [media, rss, logs]) {
      expect(bucketProps(template, id)).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
    }
  });

  it('denies every request that is not over TLS, on every bucket', () => {
    for (const id of [media, rss, logs]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Principal: { AWS: '*' },
            }),
          ]),
        },
      });
    }
  });

  it('expires run intermediates under runs/ after 14 days and aborts stale multipart uploads', () => {
    const rules = (
      bucketProps(template, media).LifecycleConfiguration as { Rules: Record<string, unknown>[] }
    ).Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'runs/', ExpirationInDays: 14, Status: 'Enabled' }),
        expect.objectContaining({
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          Status: 'Enabled',
        }),
      ])
    );
    // Published media (podcasts/...) is never expired: the only expiring rule is scoped to runs/.
    expect(rules.filter((rule) => rule.ExpirationInDays !== undefined).map((rule) => rule.Prefix)).toEqual([
      'runs/',
    ]);
  });

  it('uses the prefix the artifact key layout writes run intermediates under', () => {
    expect(artifactKeys.stageFile('run-1', 'tts', 'clip.wav').startsWith(RUN_ARTIFACTS_PREFIX)).toBe(true);
    expect(artifactKeys.checkpoint('run-1', 'tts').startsWith(RUN_ARTIFACTS_PREFIX)).toBe(true);
    expect(artifactKeys.feed('pod').startsWith(RUN_ARTIFACTS_PREFIX)).toBe(false);
  });

  it('versions the RSS bucket (and only it)', () => {
    expect(bucketProps(template, rss).VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucketProps(template, media).VersioningConfiguration).toBeUndefined();
  });

  it('sends server access logs of media and RSS to the logs bucket through a bucket policy', () => {
    expect(bucketProps(template, media).LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logs },
      LogFilePrefix: 'media/',
    });
    expect(bucketProps(template, rss).LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logs },
      LogFilePrefix: 'rss/',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logs },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' }),
        ]),
      },
    });
  });

  it('retains buckets by default and empties and deletes them for a dev stack', () => {
    expect(Object.keys(template.findResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain' }))).toHaveLength(
      3
    );
    expect(Object.keys(template.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(0);
    // Prepare / Act
    const dev = bucketsTemplate({ removalPolicy: RemovalPolicy.DESTROY }).template;
    // Assess
    expect(Object.keys(dev.findResources('AWS::S3::Bucket', { DeletionPolicy: 'Delete' }))).toHaveLength(3);
    expect(Object.keys(dev.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(3);
  });

  it('takes the intermediates retention as a prop and validates it', () => {
    const custom = bucketsTemplate({ runArtifactsExpirationDays: 3 });
    const rules = (
      bucketProps(custom.template, logicalIdOf(custom.buckets.media)).LifecycleConfiguration as {
        Rules: Record<string, unknown>[];
      }
    ).Rules;
    expect(rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ Prefix: 'runs/', ExpirationInDays: 3 })])
    );
    expect(() => new PipelineBuckets(emptyStack(), 'Buckets', { runArtifactsExpirationDays: 0 })).toThrow(
      /runArtifactsExpirationDays/
    );
    expect(() => new PipelineBuckets(emptyStack(), 'Buckets', { accessLogsExpirationDays: 2.5 })).toThrow(
      /accessLogsExpirationDays/
    );
  });
});
