import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoEpisodeRepository } from '../../../stages/shared/adapters/aws/dynamo-episode-repository';
import { FatalStageError } from '../../../stages/shared/errors';
import type { EpisodeRecord } from '../../../stages/shared/ports';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

function episode(episodeId: string, publishedAt: string): EpisodeRecord {
  return {
    podcastId: 'tech',
    episodeId,
    guid: `guid-${episodeId}`,
    runId: `run-${episodeId}`,
    title: `Episode ${episodeId}`,
    description: 'd',
    publishedAt,
    durationSeconds: 95,
    media: { url: 'https://x/e.mp3', key: 'podcasts/tech/e.mp3', bytes: 10, type: 'audio/mpeg' },
    imageUrl: 'https://x/cover.png',
    notesHtml: '<p>n</p>',
  };
}

afterEach(() => ddb.reset());

describe('DynamoEpisodeRepository', () => {
  it('putOnce is a conditional put that reports created', async () => {
    ddb.on(PutCommand).resolves({});

    const result = await new DynamoEpisodeRepository(client, 'episodes').putOnce(
      episode('2025-03-01', '2025-03-01T10:00:00Z')
    );

    expect(result).toBe('created');
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'episodes',
      Item: { podcastId: 'tech', episodeId: '2025-03-01' },
      ConditionExpression: 'attribute_not_exists(episodeId)',
    });
  });

  it('putOnce reports exists when the condition fails', async () => {
    ddb
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} })
      );

    await expect(new DynamoEpisodeRepository(client, 'episodes').putOnce(episode('e', 'p'))).resolves.toBe(
      'exists'
    );
  });

  it('get reads by the composite key, undefined when absent', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: episode('e1', 'p') })
      .resolves({});
    const repo = new DynamoEpisodeRepository(client, 'episodes');

    await expect(repo.get('tech', 'e1')).resolves.toMatchObject({ guid: 'guid-e1' });
    await expect(repo.get('tech', 'e2')).resolves.toBeUndefined();
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({
      podcastId: 'tech',
      episodeId: 'e1',
    });
  });

  it('listByPodcast reads all pages, newest published first', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [episode('a', '2025-01-01T00:00:00Z')],
        LastEvaluatedKey: { podcastId: 'tech', episodeId: 'a' },
      })
      .resolves({ Items: [episode('c', '2025-03-01T00:00:00Z'), episode('b', '2025-02-01T00:00:00Z')] });

    const episodes = await new DynamoEpisodeRepository(client, 'episodes').listByPodcast('tech');

    expect(episodes.map((e) => e.episodeId)).toEqual(['c', 'b', 'a']);
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'podcastId = :podcastId',
      ExclusiveStartKey: { podcastId: 'tech', episodeId: 'a' },
    });
  });

  it('listCoverage is one Query before the date, projecting only the stories, oldest first', async () => {
    const stories = [{ url: 'https://news.example/a', title: 'big news' }];
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [{ episodeId: '2025-02-01', publishedAt: '2025-02-01T00:00:00.000Z', stories }],
        LastEvaluatedKey: { podcastId: 'tech', episodeId: '2025-02-01' },
      })
      .resolves({ Items: [{ episodeId: '2025-02-08', publishedAt: '2025-02-08T00:00:00.000Z' }] });

    const coverage = await new DynamoEpisodeRepository(client, 'episodes').listCoverage('tech', '2025-02-15');

    expect(coverage).toEqual([
      { episodeId: '2025-02-01', publishedAt: '2025-02-01T00:00:00.000Z', stories },
      // A record written before stories were kept covers none.
      { episodeId: '2025-02-08', publishedAt: '2025-02-08T00:00:00.000Z', stories: [] },
    ]);
    const query = ddb.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query).toMatchObject({
      TableName: 'episodes',
      KeyConditionExpression: 'podcastId = :podcastId AND #episodeId < :before',
      ExpressionAttributeValues: { ':podcastId': 'tech', ':before': '2025-02-15' },
      ProjectionExpression: '#episodeId, #publishedAt, #stories',
      ConsistentRead: true,
    });
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({
      podcastId: 'tech',
      episodeId: '2025-02-01',
    });
  });

  it('listCoverage refuses a record whose stories are malformed, naming the record', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [{ episodeId: '2025-02-01', publishedAt: '2025-02-01T00:00:00.000Z', stories: [{ url: 7 }] }],
    });

    const read = new DynamoEpisodeRepository(client, 'episodes').listCoverage('tech', '2025-02-15');

    await expect(read).rejects.toBeInstanceOf(FatalStageError);
    await expect(read).rejects.toThrow('episode record 2025-02-01 of podcast "tech": stories.0.url:');
  });
});
