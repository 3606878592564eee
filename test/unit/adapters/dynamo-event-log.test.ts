import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoEventLog, eventExpiry } from '../../../stages/shared/adapters/aws/dynamo-event-log';
import { ValidationError } from '../../../stages/shared/errors';
import type { PipelineEvent } from '../../../stages/shared/ports';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const AT = '2025-03-01T10:00:00.000Z';
const AT_SECONDS = Date.parse(AT) / 1000;

function event(eventKey: string, at = AT): PipelineEvent {
  return { runId: 'run-1', eventKey, type: 'stage.started', at, stage: 'tts', unit: 'tts/0', attempt: 1 };
}

afterEach(() => ddb.reset());

describe('DynamoEventLog.append', () => {
  it('puts the event under a condition on its key, with a TTL 30 days after the event', async () => {
    ddb.on(PutCommand).resolves({});

    const written = await new DynamoEventLog(client, 'events').append(event('tts/0#001#stage.started'));

    expect(written).toBe(true);
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: 'events',
      Item: { ...event('tts/0#001#stage.started'), expiresAt: AT_SECONDS + 30 * 86_400 },
      ConditionExpression: 'attribute_not_exists(eventKey)',
    });
  });

  it('uses the configured TTL days', async () => {
    ddb.on(PutCommand).resolves({});

    await new DynamoEventLog(client, 'events', 7).append(event('k'));

    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input.Item?.expiresAt).toBe(AT_SECONDS + 7 * 86_400);
  });

  it('returns false for a duplicate event instead of throwing', async () => {
    ddb
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} })
      );

    await expect(new DynamoEventLog(client, 'events').append(event('k'))).resolves.toBe(false);
  });

  it('lets other write errors through', async () => {
    ddb.on(PutCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    await expect(new DynamoEventLog(client, 'events').append(event('k'))).rejects.toThrow('Rate exceeded');
  });

  it('rejects an event time it cannot turn into an expiry, and a non-positive TTL', () => {
    expect(() => eventExpiry('yesterday', 30)).toThrow(ValidationError);
    expect(() => new DynamoEventLog(client, 'events', 0)).toThrow(
      'event TTL must be a positive number of days'
    );
  });
});

describe('DynamoEventLog.list', () => {
  it('reads every page of the run and sorts by time then key, without the TTL attribute', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [{ ...event('b', '2025-03-01T10:00:02.000Z'), expiresAt: 1 }],
        LastEvaluatedKey: { runId: 'run-1', eventKey: 'b' },
      })
      .resolves({
        Items: [
          { ...event('c', '2025-03-01T10:00:01.000Z'), expiresAt: 1 },
          { ...event('a', '2025-03-01T10:00:02.000Z'), expiresAt: 1 },
        ],
      });

    const events = await new DynamoEventLog(client, 'events').list('run-1');

    expect(events.map((e) => e.eventKey)).toEqual(['c', 'a', 'b']);
    expect(events[0]).not.toHaveProperty('expiresAt');
    const [first, second] = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(first).toMatchObject({
      KeyConditionExpression: 'runId = :runId',
      ExpressionAttributeValues: { ':runId': 'run-1' },
    });
    expect(first?.ExclusiveStartKey).toBeUndefined();
    expect(second?.ExclusiveStartKey).toEqual({ runId: 'run-1', eventKey: 'b' });
  });
});
