/**
 * PipelineBuckets: the media bucket (run artifacts under `runs/`, published episodes under
 * `podcasts/`), the RSS bucket (feeds) and the bucket receiving both buckets' server access logs.
 *
 * Defaults: S3-managed encryption, SSL-only bucket policies, all public access blocked, bucket-owner
 * object ownership, RemovalPolicy.RETAIN; versioning on the RSS bucket (a bad feed write can be
 * rolled back); run intermediates under `runs/` expire after 14 days; incomplete multipart uploads
 * are aborted after 7 days; access logs expire after 365 days.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface PipelineBucketsProps {
  /**
   * Days the intermediates of a run (under `runs/`) are kept; published files are never expired.
   * @default 14
   */
  readonly runArtifactsExpirationDays?: number;
  /**
   * Days server access logs are kept.
   * @default 365
   */
  readonly accessLogsExpirationDays?: number;
  /**
   * RETAIN keeps the buckets when the stack is deleted; DESTROY (dev stacks) also empties them on
   * delete through CDK's auto-delete custom resource.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The media-bucket prefix of run intermediates (artifactKeys.stageFile(...) lives under it). */
export const RUN_ARTIFACTS_PREFIX = 'runs/';
const ABORT_MULTIPART_DAYS = 7;

function assertDays(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`PipelineBuckets: ${name} must be a whole number of days >= 1 (got ${value})`);
  }
}

export class PipelineBuckets extends Construct {
  readonly media: s3.Bucket;
  readonly rss: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: PipelineBucketsProps = {}) {
    super(scope, id);
    // Access-log delivery through a bucket policy rather than the legacy LogDeliveryWrite ACL, so
    // every bucket can enforce bucket-owner object ownership (ACLs off).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const runDays = props.runArtifactsExpirationDays ?? 14;
    const logDays = props.accessLogsExpirationDays ?? 365;
    assertDays(runDays, 'runArtifactsExpirationDays');
    assertDays(logDays, 'accessLogsExpirationDays');
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const lifecycle = { removalPolicy, autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY };

    this.accessLogs = new s3.Bucket(this, 'AccessLogsBucket', {
      ...secureDefaults(),
      ...lifecycle,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: Duration.days(logDays) },
        {
          id: 'abort-incomplete-uploads',
          abortIncompleteMultipartUploadAfter: Duration.days(ABORT_MULTIPART_DAYS),
        },
      ],
    });

    this.media = new s3.Bucket(this, 'MediaBucket', {
      ...secureDefaults(),
      ...lifecycle,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'media/',
      lifecycleRules: [
        { id: 'expire-run-intermediates', prefix: RUN_ARTIFACTS_PREFIX, expiration: Duration.days(runDays) },
        {
          id: 'abort-incomplete-uploads',
          abortIncompleteMultipartUploadAfter: Duration.days(ABORT_MULTIPART_DAYS),
        },
      ],
    });

    this.rss = new s3.Bucket(this, 'RssBucket', {
      ...secureDefaults(),
      ...lifecycle,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'rss/',
      lifecycleRules: [
        // Old feed versions are only a rollback aid: keep them a month.
        { id: 'expire-old-feed-versions', noncurrentVersionExpiration: Duration.days(30) },
        {
          id: 'abort-incomplete-uploads',
          abortIncompleteMultipartUploadAfter: Duration.days(ABORT_MULTIPART_DAYS),
        },
      ],
    });
  }
}

function secureDefaults(): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  };
}
