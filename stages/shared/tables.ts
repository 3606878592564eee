/**
 * The four tables' key schemas: read by the CDK table construct, the DynamoDB adapters and the
 * local bootstrap that creates tables, so the three can never disagree.
 */
export interface TableSchema {
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly ttlAttribute?: string;
  readonly indexes?: readonly {
    readonly name: string;
    readonly partitionKey: string;
    readonly sortKey: string;
  }[];
}

export const TABLES = {
  podcasts: { partitionKey: 'podcastId' },
  runs: {
    partitionKey: 'runId',
    // Lists runs by status, newest activity first; `runs list --stalled` reads status=running by updatedAt.
    indexes: [{ name: 'byStatus', partitionKey: 'status', sortKey: 'updatedAt' }],
  },
  events: { partitionKey: 'runId', sortKey: 'eventKey', ttlAttribute: 'expiresAt' },
  episodes: { partitionKey: 'podcastId', sortKey: 'episodeId' },
} as const satisfies Record<string, TableSchema>;

export type TableName = keyof typeof TABLES;
