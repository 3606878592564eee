/**
 * EventLog on DynamoDB: one item per event under (runId, eventKey). The event key is
 * deterministic, so `append` is a conditional put and a retried write cannot duplicate an event.
 * Items expire through the table's TTL attribute (`expiresAt`, epoch seconds), counted from the
 * event's own timestamp so the item written is the same whenever the write happens.
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../errors';
import type { EventLog, PipelineEvent } from '../../ports';
import { TABLES } from '../../tables';
import { collectPages, type DynamoItem, isConditionalCheckFailed } from './dynamo-errors';

export const DEFAULT_EVENT_TTL_DAYS = 30;
const TTL_ATTRIBUTE = TABLES.events.ttlAttribute;
const SECONDS_PER_DAY = 86_400;

/** The epoch second an event written at `at` expires, `ttlDays` later. */
export function eventExpiry(at: string, ttlDays: number): number {
  const written = Date.parse(at);
  if (Number.isNaN(written))
    throw new ValidationError(`event.at: "${at}" is not an ISO-8601 timestamp`, 'event.at');
  return Math.floor(written / 1000) + Math.round(ttlDays * SECONDS_PER_DAY);
}

function toEvent(item: DynamoItem): PipelineEvent {
  const { [TTL_ATTRIBUTE]: _expiresAt, ...event } = item;
  return event as PipelineEvent;
}

export class DynamoEventLog implements EventLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlDays: number = DEFAULT_EVENT_TTL_DAYS
  ) {
    if (!(ttlDays > 0))
      throw new ValidationError(`event TTL must be a positive number of days, got ${ttlDays}`, 'ttlDays');
  }

  async append(event: PipelineEvent): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...event, [TTL_ATTRIBUTE]: eventExpiry(event.at, this.ttlDays) },
          ConditionExpression: 'attribute_not_exists(eventKey)',
        })
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** Every event of the run (a paged Query), in time order and then by key, like the fake. */
  async list(runId: string): Promise<PipelineEvent[]> {
    const items = await collectPages((startKey) =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'runId = :runId',
          ExpressionAttributeValues: { ':runId': runId },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        })
      )
    );
    return items
      .map(toEvent)
      .sort((a, b) => a.at.localeCompare(b.at) || a.eventKey.localeCompare(b.eventKey));
  }
}
