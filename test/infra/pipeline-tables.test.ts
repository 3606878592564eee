import { RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { PipelineTables } from '../../infra/constructs/pipeline-tables';
import { TABLES, type TableName } from '../../stages/shared/tables';
import { emptyStack, resourcesOfType, templateOf } from './stack-fixture';

function tablesTemplate(props: ConstructorParameters<typeof PipelineTables>[2] = {}) {
  const stack = emptyStack();
  const tables = new PipelineTables(stack, 'Tables', props);
  return { stack, tables, template: templateOf(stack) };
}

/** The table resource whose logical id starts with the construct's id for `name`. */
function tableResource(template: ReturnType<typeof templateOf>, name: TableName) {
  const prefix = `Tables${name.charAt(0).toUpperCase()}${name.slice(1)}Table`;
  const match = resourcesOfType(template, 'AWS::DynamoDB::Table').find(([logicalId]) =>
    logicalId.startsWith(prefix)
  );
  if (!match) throw new Error(`no table resource for ${name}`);
  return match[1] as { Properties: Record<string, unknown>; DeletionPolicy?: string };
}

describe('PipelineTables', () => {
  const { template } = tablesTemplate();

  it('creates the four tables with the key schemas of stages/shared/tables.ts', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 4);
    for (const name of Object.keys(TABLES) as TableName[]) {
      const schema: { partitionKey: string; sortKey?: string } = TABLES[name];
      const expectedKeys = [
        { AttributeName: schema.partitionKey, KeyType: 'HASH' },
        ...(schema.sortKey ? [{ AttributeName: schema.sortKey, KeyType: 'RANGE' }] : []),
      ];
      expect(tableResource(template, name).Properties.KeySchema).toEqual(expectedKeys);
    }
  });

  it('bills on demand, keeps point-in-time recovery on and encrypts with the AWS-managed key', () => {
    const props = {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    };
    for (const name of Object.keys(TABLES) as TableName[]) {
      expect(tableResource(template, name).Properties).toMatchObject(props);
    }
  });

  it('expires events on expiresAt and indexes runs by status and updatedAt', () => {
    expect(tableResource(template, 'events').Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
    expect(tableResource(template, 'runs').Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byStatus',
        KeySchema: [
          { AttributeName: 'status', KeyType: 'HASH' },
          { AttributeName: 'updatedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
    expect(tableResource(template, 'podcasts').Properties.TimeToLiveSpecification).toBeUndefined();
  });

  it('retains the tables with deletion protection by default', () => {
    for (const name of Object.keys(TABLES) as TableName[]) {
      const table = tableResource(template, name);
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    }
  });

  it('lets a dev stack destroy the tables, without deletion protection', () => {
    // Prepare / Act
    const dev = tablesTemplate({ removalPolicy: RemovalPolicy.DESTROY }).template;
    // Assess
    dev.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
    expect(
      Object.values(dev.findResources('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' }))
    ).toHaveLength(0);
  });

  it('exposes the event TTL in days (default 30) and rejects a bad one', () => {
    expect(tablesTemplate().tables.eventTtlDays).toBe(30);
    expect(tablesTemplate({ eventTtlDays: 7 }).tables.eventTtlDays).toBe(7);
    expect(() => new PipelineTables(emptyStack(), 'Tables', { eventTtlDays: 0 })).toThrow(
      /eventTtlDays must be a whole number/
    );
    expect(() => new PipelineTables(emptyStack(), 'Tables', { eventTtlDays: 1.5 })).toThrow(/eventTtlDays/);
  });
});
