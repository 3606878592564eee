/**
 * PodcastRepository on DynamoDB: one item per podcast, keyed podcastId. What comes back is parsed
 * with the config input schema (a hand-put item may lack `publicBaseUrl`: prepare resolves it), so
 * a hand-edited item fails with a ValidationError naming the field instead of surfacing later as a
 * confusing stage error.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type PodcastConfig, type PodcastConfigInput, podcastConfigInputSchema } from '../../config-schema';
import type { PodcastRepository } from '../../ports';
import { parseOrThrow } from '../../validation';

export class DynamoPodcastRepository implements PodcastRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string
  ) {}

  async get(podcastId: string): Promise<PodcastConfigInput | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { podcastId }, ConsistentRead: true })
    );
    return Item ? parseOrThrow(podcastConfigInputSchema, Item, `podcasts.${podcastId}`) : undefined;
  }

  /** Creates or replaces the podcast's configuration. */
  async put(config: PodcastConfig): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: config }));
  }
}
