/**
 * EpisodeRepository on DynamoDB, keyed (podcastId, episodeId). `putOnce` is a conditional put, so
 * publishing the same episode twice (a retried publish stage, a resumed run) writes it once;
 * `replaceVersion` is the conditional put of a re-render (same run, on the previous version).
 * `listCoverage` is one Query on the key (episodeId before a date) projecting only what story
 * memory reads, so the notes and URLs of every earlier episode are not read for it.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EpisodeCoverage, EpisodeRecord, EpisodeRepository } from '../../ports';
import { episodeCoverageOf } from '../../story-memory';
import { collectPages, isConditionalCheckFailed } from './dynamo-errors';

export class DynamoEpisodeRepository implements EpisodeRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string
  ) {}

  async putOnce(episode: EpisodeRecord): Promise<'created' | 'exists'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: episode,
          ConditionExpression: 'attribute_not_exists(episodeId)',
        })
      );
      return 'created';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw error;
    }
  }

  async replaceVersion(episode: EpisodeRecord, previousMediaKey: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: episode,
          ConditionExpression: 'runId = :runId AND #media.#key = :previous',
          ExpressionAttributeNames: { '#media': 'media', '#key': 'key' },
          ExpressionAttributeValues: { ':runId': episode.runId, ':previous': previousMediaKey },
        })
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async get(podcastId: string, episodeId: string): Promise<EpisodeRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { podcastId, episodeId }, ConsistentRead: true })
    );
    return Item as EpisodeRecord | undefined;
  }

  /** All the podcast's episodes (a paged Query), newest published first. */
  async listByPodcast(podcastId: string): Promise<EpisodeRecord[]> {
    const items = await collectPages((startKey) =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'podcastId = :podcastId',
          ExpressionAttributeValues: { ':podcastId': podcastId },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        })
      )
    );
    return (items as EpisodeRecord[]).sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
  }

  async listCoverage(podcastId: string, beforeEpisodeId: string): Promise<EpisodeCoverage[]> {
    const items = await collectPages((startKey) =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'podcastId = :podcastId AND #episodeId < :before',
          ExpressionAttributeValues: { ':podcastId': podcastId, ':before': beforeEpisodeId },
          ProjectionExpression: '#episodeId, #publishedAt, #stories',
          ExpressionAttributeNames: {
            '#episodeId': 'episodeId',
            '#publishedAt': 'publishedAt',
            '#stories': 'stories',
          },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        })
      )
    );
    return items.map((item) => episodeCoverageOf(item, podcastId));
  }
}
