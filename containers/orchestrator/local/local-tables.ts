/**
 * Creates the platform's four tables on a local DynamoDB server from the same key schemas the CDK
 * tables use (stages/shared/tables.ts), so local runs and the cloud can never disagree on keys.
 * Existing tables are left as they are (a restart with the same data directory keeps its data).
 * TTL is not configured: dynalite has no UpdateTimeToLive, so local events simply do not expire.
 */
import {
  type AttributeDefinition,
  type CreateTableCommandInput,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { isResourceNotFound } from '../../../stages/shared/adapters/aws/dynamo-errors';
import { TABLES, type TableName, type TableSchema } from '../../../stages/shared/tables';

export type TableNames = Record<TableName, string>;

const TABLE_IDS = Object.keys(TABLES) as TableName[];
const ACTIVE_POLL_MS = 10;
const ACTIVE_TIMEOUT_MS = 10_000;

/** `<prefix>-<table>` for each of the four tables, e.g. `podcast-platform-local-runs`. */
export function localTableNames(prefix: string): TableNames {
  return Object.fromEntries(TABLE_IDS.map((id) => [id, `${prefix}-${id}`])) as TableNames;
}

function keySchema(partitionKey: string, sortKey?: string): KeySchemaElement[] {
  const keys: KeySchemaElement[] = [{ AttributeName: partitionKey, KeyType: 'HASH' }];
  if (sortKey) keys.push({ AttributeName: sortKey, KeyType: 'RANGE' });
  return keys;
}

/** The CreateTable request for one schema: on-demand billing, every key a string, indexes project all. */
export function createTableInput(tableName: string, schema: TableSchema): CreateTableCommandInput {
  const indexes = schema.indexes ?? [];
  const keyNames = [
    schema.partitionKey,
    schema.sortKey,
    ...indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const attributes: AttributeDefinition[] = [
    ...new Set(keyNames.filter((k): k is string => k !== undefined)),
  ].map((name) => ({ AttributeName: name, AttributeType: 'S' }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributes,
    KeySchema: keySchema(schema.partitionKey, schema.sortKey),
    ...(indexes.length > 0
      ? {
          GlobalSecondaryIndexes: indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' },
          })),
        }
      : {}),
  };
}

async function tableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus;
  } catch (error) {
    if (isResourceNotFound(error)) return undefined;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  while ((await tableStatus(client, tableName)) !== 'ACTIVE') {
    if (Date.now() > deadline)
      throw new Error(`local table ${tableName} did not become ACTIVE within ${ACTIVE_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, ACTIVE_POLL_MS));
  }
}

/** Creates the missing tables and waits until all four are ACTIVE. Returns the ones it created. */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<TableName[]> {
  const created: TableName[] = [];
  await Promise.all(
    TABLE_IDS.map(async (id) => {
      if ((await tableStatus(client, names[id])) === undefined) {
        try {
          await client.send(new CreateTableCommand(createTableInput(names[id], TABLES[id])));
          created.push(id);
        } catch (error) {
          // Created by a concurrent caller in the meantime: fine, it is there now.
          if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
        }
      }
      await waitUntilActive(client, names[id]);
    })
  );
  return created.sort();
}
