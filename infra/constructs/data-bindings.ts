/**
 * Bindings: each grant comes with the environment variable that names the resource, in one call,
 * so a process can never hold a name it has no permission for (or the other way round). The env
 * names are the ones the composition roots read (stages/shared/env.ts).
 */
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { StageAccess } from '../../stages/pipeline-plan';
import { ENV, type EnvKey } from '../../stages/shared/env';
import type { PipelineBuckets } from './pipeline-buckets';
import type { PipelineTables } from './pipeline-tables';

/** Anything that runs pipeline code: a Lambda function, or an ECS container with its task role. */
export interface DataConsumer {
  readonly grantPrincipal: iam.IPrincipal;
  addEnvironment(key: string, value: string): unknown;
}

export interface PipelineData {
  readonly tables: PipelineTables;
  readonly buckets: PipelineBuckets;
}

export type TableAccess = 'read' | 'write' | 'readWrite';
export type BucketAccess = 'read' | 'readWrite';

/** Grants `access` on the table and sets `envKey` to its name. */
export function bindTable(
  consumer: DataConsumer,
  table: dynamodb.ITable,
  envKey: EnvKey,
  access: TableAccess
): void {
  if (access === 'read') table.grantReadData(consumer);
  else if (access === 'write') table.grantWriteData(consumer);
  else table.grantReadWriteData(consumer);
  consumer.addEnvironment(envKey, table.tableName);
}

/** Exact DynamoDB actions on a table and on named indexes of it (no `/index/*` wildcard). */
export interface TableActions {
  readonly table?: readonly string[];
  readonly indexes?: Readonly<Record<string, readonly string[]>>;
}

/** Grants exactly `actions` (for a process that needs less than read, write or readWrite) and sets `envKey`. */
export function bindTableActions(
  consumer: DataConsumer,
  table: dynamodb.ITable,
  envKey: EnvKey,
  actions: TableActions
): void {
  if (actions.table?.length) {
    consumer.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...actions.table], resources: [table.tableArn] })
    );
  }
  for (const [indexName, indexActions] of Object.entries(actions.indexes ?? {})) {
    consumer.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...indexActions],
        resources: [`${table.tableArn}/index/${indexName}`],
      })
    );
  }
  consumer.addEnvironment(envKey, table.tableName);
}

/**
 * The S3 actions the ArtifactStore adapter uses, named one by one rather than through
 * `bucket.grantReadWrite` (whose `s3:GetObject*`, `s3:DeleteObject*`, `s3:List*` wildcards grant
 * far more): get/head, put (multipart included, and its abort), list (which also turns a missing
 * key into 404 instead of 403). Copy is get on the source plus put on the target. No delete.
 */
export const BUCKET_ACTIONS = {
  read: { objects: ['s3:GetObject'], bucket: ['s3:ListBucket'] },
  readWrite: {
    objects: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
    bucket: ['s3:ListBucket'],
  },
} as const;

/** Grants `access` on the bucket's objects and sets `envKey` to its name. */
export function bindBucket(
  consumer: DataConsumer,
  bucket: s3.IBucket,
  envKey: EnvKey,
  access: BucketAccess
): void {
  const actions = BUCKET_ACTIONS[access];
  consumer.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: [...actions.bucket], resources: [bucket.bucketArn] })
  );
  consumer.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: [...actions.objects], resources: [bucket.arnForObjects('*')] })
  );
  consumer.addEnvironment(envKey, bucket.bucketName);
}

/**
 * What every stage gets (its run record, its events, the media bucket for artifacts and
 * checkpoints) plus exactly what the plan's `access` adds.
 */
export function bindStageData(
  consumer: DataConsumer,
  data: PipelineData,
  access: StageAccess | undefined
): void {
  bindRunLifecycle(consumer, data);
  bindBucket(consumer, data.buckets.media, ENV.mediaBucket, 'readWrite');
  if (access?.podcasts) bindTable(consumer, data.tables.podcasts, ENV.podcastsTable, access.podcasts);
  if (access?.episodes) bindTable(consumer, data.tables.episodes, ENV.episodesTable, access.episodes);
  if (access?.feeds) bindBucket(consumer, data.buckets.rss, ENV.rssBucket, access.feeds);
}

/**
 * The run record (read/write: conditional status updates) and the events table (write-only:
 * conditional puts with deterministic keys), with the events' TTL in days.
 */
export function bindRunLifecycle(consumer: DataConsumer, data: PipelineData): void {
  bindTable(consumer, data.tables.runs, ENV.runsTable, 'readWrite');
  bindTable(consumer, data.tables.events, ENV.eventsTable, 'write');
  consumer.addEnvironment(ENV.eventTtlDays, String(data.tables.eventTtlDays));
}

/** An ECS container seen as a DataConsumer: env on the container, grants on the task role. */
export function containerConsumer(container: ecs.ContainerDefinition): DataConsumer {
  return {
    grantPrincipal: container.taskDefinition.taskRole,
    addEnvironment: (key, value) => container.addEnvironment(key, value),
  };
}
