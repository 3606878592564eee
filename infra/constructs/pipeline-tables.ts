/**
 * PipelineTables: the four DynamoDB tables, built from the key schemas in stages/shared/tables.ts
 * (the same schemas the adapters and the local bootstrap read, so the three cannot disagree).
 *
 * Defaults: on-demand billing, point-in-time recovery, AWS-managed encryption, deletion protection
 * and RemovalPolicy.RETAIN; TTL on the events table's `expiresAt`; the runs table's `byStatus` GSI.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLES, type TableName, type TableSchema } from '../../stages/shared/tables';

export interface PipelineTablesProps {
  /**
   * RETAIN keeps the tables (and their deletion protection) when the stack is deleted; DESTROY is
   * for short-lived dev stacks and also turns deletion protection off.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Days an event stays in the events table before DynamoDB TTL removes it; the runtime stamps
   * `expiresAt` from this value (passed to it as EVENT_TTL_DAYS next to the events-table grant).
   * @default 30 (the runtime's own default)
   */
  readonly eventTtlDays?: number;
}

const TABLE_IDS: Record<TableName, string> = {
  podcasts: 'PodcastsTable',
  runs: 'RunsTable',
  events: 'EventsTable',
  episodes: 'EpisodesTable',
};

export class PipelineTables extends Construct {
  readonly podcasts: dynamodb.Table;
  readonly runs: dynamodb.Table;
  readonly events: dynamodb.Table;
  readonly episodes: dynamodb.Table;
  readonly eventTtlDays: number;

  constructor(scope: Construct, id: string, props: PipelineTablesProps = {}) {
    super(scope, id);
    const eventTtlDays = props.eventTtlDays ?? 30;
    if (!Number.isInteger(eventTtlDays) || eventTtlDays < 1 || eventTtlDays > 3650) {
      throw new Error(
        `PipelineTables: eventTtlDays must be a whole number of days between 1 and 3650 (got ${eventTtlDays})`
      );
    }
    this.eventTtlDays = eventTtlDays;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const build = (name: TableName) => this.table(name, TABLES[name], removalPolicy);
    this.podcasts = build('podcasts');
    this.runs = build('runs');
    this.events = build('events');
    this.episodes = build('episodes');
  }

  /** The tables by their TABLES name, for loops (outputs, bindings). */
  all(): Record<TableName, dynamodb.Table> {
    return { podcasts: this.podcasts, runs: this.runs, events: this.events, episodes: this.episodes };
  }

  private table(name: TableName, schema: TableSchema, removalPolicy: RemovalPolicy): dynamodb.Table {
    const str = (attribute: string): dynamodb.Attribute => ({
      name: attribute,
      type: dynamodb.AttributeType.STRING,
    });
    const table = new dynamodb.Table(this, TABLE_IDS[name], {
      partitionKey: str(schema.partitionKey),
      ...(schema.sortKey ? { sortKey: str(schema.sortKey) } : {}),
      ...(schema.ttlAttribute ? { timeToLiveAttribute: schema.ttlAttribute } : {}),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });
    for (const index of schema.indexes ?? []) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: str(index.partitionKey),
        sortKey: str(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }
}
