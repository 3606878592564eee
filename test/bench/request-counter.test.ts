import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { capacityOf, countByOperation, RequestCounter, unitScope } from '../../bench/request-counter';
import { ENV } from '../../stages/shared/env';
import { startTestServers, type TestServers } from '../helpers/local-servers';

describe('capacityOf', () => {
  it('takes reported capacity, one entry or several', () => {
    expect(capacityOf('PutItem', {}, { ConsumedCapacity: { CapacityUnits: 2, TableName: 't' } })).toEqual({
      units: 2,
      estimated: false,
    });
    expect(
      capacityOf('BatchWriteItem', {}, { ConsumedCapacity: [{ CapacityUnits: 1 }, { CapacityUnits: 3 }] })
    ).toEqual({ units: 4, estimated: false });
  });

  it('estimates a query from the bytes it returned: 4 KB blocks, halved when eventually consistent', () => {
    const items = [{ payload: 'x'.repeat(5000) }];

    expect(capacityOf('Query', {}, { Items: items })).toEqual({ units: 1, estimated: true });
    expect(capacityOf('Query', { ConsistentRead: true }, { Items: items })).toEqual({
      units: 2,
      estimated: true,
    });
    expect(capacityOf('Query', {}, { Items: [] })).toEqual({ units: 0.5, estimated: true });
  });

  it('has nothing to say about an unmetered response', () => {
    expect(capacityOf('GetItem', {}, {})).toBeUndefined();
  });
});

describe('RequestCounter on the local servers', () => {
  let local: TestServers;
  beforeAll(async () => {
    local = await startTestServers();
  });
  afterAll(async () => {
    await local.stop();
  });

  it('records every DynamoDB and S3 request with its operation, logical resource, unit and capacity', async () => {
    // Prepare
    const env = local.servers.env;
    const counter = new RequestCounter({
      [env[ENV.runsTable] ?? '']: 'runs',
      [env[ENV.mediaBucket] ?? '']: 'media',
    });
    counter.attachDynamo(local.clients.dynamo);
    counter.attachS3(local.clients.s3);
    const table = env[ENV.runsTable];
    const bucket = env[ENV.mediaBucket];

    // Act
    await unitScope.run({ unit: 'tts/1', stage: 'tts' }, async () => {
      await local.clients.dynamo.send(
        new PutCommand({
          TableName: table,
          Item: { runId: 'r1', status: 'running', updatedAt: 'a', note: 'x'.repeat(1500) },
        })
      );
      await local.clients.dynamo.send(
        new UpdateCommand({
          TableName: table,
          Key: { runId: 'r1' },
          UpdateExpression: 'SET updatedAt = :u',
          ExpressionAttributeValues: { ':u': 'b' },
        })
      );
      await local.clients.dynamo.send(
        new GetCommand({ TableName: table, Key: { runId: 'r1' }, ConsistentRead: true })
      );
      await local.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k.txt', Body: 'hello' }));
    });
    await local.clients.dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'runId = :r',
        ExpressionAttributeValues: { ':r': 'r1' },
      })
    );
    await expect(
      local.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing.txt' }))
    ).rejects.toThrow();

    // Assess
    const records = counter.all();
    expect(records.map((r) => `${r.service}:${r.operation}:${r.resource}:${r.unit}:${r.ok}`)).toEqual([
      'dynamodb:PutItem:runs:tts/1:true',
      'dynamodb:UpdateItem:runs:tts/1:true',
      'dynamodb:GetItem:runs:tts/1:true',
      's3:PutObject:media:tts/1:true',
      'dynamodb:Query:runs:run:true',
      's3:GetObject:media:run:false',
    ]);
    // A 1.5 KB item costs 2 write units; the update sees the same item size; a strongly consistent get of it 1 read unit.
    expect(records.slice(0, 3).map((r) => r.capacityUnits)).toEqual([2, 2, 1]);
    // dynalite meters queries too (0.5: one eventually consistent 4 KB block).
    expect(records[4]).toMatchObject({ capacityUnits: 0.5, capacityEstimated: false });
    expect(records[3]?.capacityUnits).toBeUndefined();
    expect(countByOperation(records)).toEqual({
      'dynamodb:GetItem': 1,
      'dynamodb:PutItem': 1,
      'dynamodb:Query': 1,
      'dynamodb:UpdateItem': 1,
      's3:GetObject': 1,
      's3:PutObject': 1,
    });

    counter.reset();
    expect(counter.all()).toEqual([]);
  });
});
