import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoPodcastRepository } from '../../../stages/shared/adapters/aws/dynamo-podcast-repository';
import { ValidationError } from '../../../stages/shared/errors';
import { podcastConfig } from '../../fixtures/podcast-config';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

afterEach(() => ddb.reset());

describe('DynamoPodcastRepository', () => {
  it('put stores the config as an item keyed by podcastId', async () => {
    ddb.on(PutCommand).resolves({});
    const config = podcastConfig();

    await new DynamoPodcastRepository(client, 'podcasts').put(config);

    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toEqual({ TableName: 'podcasts', Item: config });
  });

  it('get returns the parsed config, or undefined when absent', async () => {
    ddb.on(GetCommand).resolvesOnce({ Item: podcastConfig() }).resolves({});
    const repo = new DynamoPodcastRepository(client, 'podcasts');

    await expect(repo.get('test-pod')).resolves.toEqual(podcastConfig());
    await expect(repo.get('missing')).resolves.toBeUndefined();
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({ Key: { podcastId: 'test-pod' } });
  });

  it('get accepts an item put by hand without publicBaseUrl (prepare resolves it)', async () => {
    const { publicBaseUrl, ...item } = podcastConfig();
    expect(publicBaseUrl).toBeDefined();
    ddb.on(GetCommand).resolves({ Item: item });

    const got = await new DynamoPodcastRepository(client, 'podcasts').get('test-pod');

    expect(got).toEqual(item);
    expect(got?.publicBaseUrl).toBeUndefined();
  });

  it('a stored item that is not a valid config is a ValidationError naming the field', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...podcastConfig(), hosts: [] } });

    const error = await new DynamoPodcastRepository(client, 'podcasts')
      .get('test-pod')
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('podcasts.test-pod.hosts');
  });
});
