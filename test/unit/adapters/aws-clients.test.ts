import {
  clientSettings,
  createDynamoDocumentClient,
  createS3Client,
} from '../../../stages/shared/adapters/aws/aws-clients';
import {
  createAwsPersistence,
  eventTtlDays,
} from '../../../stages/shared/adapters/aws/create-aws-persistence';
import { DynamoRunRepository } from '../../../stages/shared/adapters/aws/dynamo-run-repository';
import { S3ArtifactStore } from '../../../stages/shared/adapters/aws/s3-artifact-store';
import { ENV } from '../../../stages/shared/env';
import { ValidationError } from '../../../stages/shared/errors';

const LOCAL_ENV = {
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4567',
  AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4568',
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
};

const NAMES = {
  [ENV.podcastsTable]: 'p',
  [ENV.runsTable]: 'r',
  [ENV.eventsTable]: 'e',
  [ENV.episodesTable]: 'ep',
  [ENV.mediaBucket]: 'media',
  [ENV.rssBucket]: 'rss',
};

describe('clientSettings', () => {
  it('defaults the region to us-east-1 and leaves credentials to the SDK without an endpoint', () => {
    expect(clientSettings('S3', {})).toEqual({ region: 'us-east-1' });
    expect(
      clientSettings('DYNAMODB', {
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'a',
        AWS_SECRET_ACCESS_KEY: 'b',
      })
    ).toEqual({
      region: 'eu-west-1',
    });
  });

  it('uses the service endpoint (or the shared one) and the static local credentials', () => {
    expect(clientSettings('DYNAMODB', LOCAL_ENV)).toEqual({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4567',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    expect(
      clientSettings('S3', { AWS_ENDPOINT_URL: 'http://shared:1', AWS_DEFAULT_REGION: 'eu-central-1' })
    ).toEqual({
      region: 'eu-central-1',
      endpoint: 'http://shared:1',
    });
  });
});

describe('SDK clients', () => {
  it('the S3 client uses path style for a custom endpoint and only the required checksums', async () => {
    const local = createS3Client(LOCAL_ENV);
    const cloud = createS3Client({ AWS_REGION: 'eu-west-1' });

    expect(local.config.forcePathStyle).toBe(true);
    expect(cloud.config.forcePathStyle).toBe(false);
    expect(await local.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(await cloud.config.region()).toBe('eu-west-1');
    expect((await local.config.credentials()).accessKeyId).toBe('S3RVER');
    local.destroy();
    cloud.destroy();
  });

  it('the document client drops undefined attributes', () => {
    const client = createDynamoDocumentClient(LOCAL_ENV);

    expect(client.config.translateConfig?.marshallOptions?.removeUndefinedValues).toBe(true);
    client.destroy();
  });
});

describe('createAwsPersistence', () => {
  it('builds the six adapters on the named tables and buckets', () => {
    const persistence = createAwsPersistence({ ...LOCAL_ENV, ...NAMES });

    expect(persistence.runs).toBeInstanceOf(DynamoRunRepository);
    expect(persistence.media).toBeInstanceOf(S3ArtifactStore);
    expect(persistence.media.bucket).toBe('media');
    expect(persistence.feeds.bucket).toBe('rss');
  });

  it('gives a port without a name (no grant) that fails on first use, naming the variable', async () => {
    const { [ENV.runsTable]: _runs, ...withoutRuns } = NAMES;

    const persistence = createAwsPersistence({ ...LOCAL_ENV, ...withoutRuns });

    expect(persistence.media).toBeInstanceOf(S3ArtifactStore);
    expect(() => persistence.runs.get('run-1')).toThrow(
      /runs table is not available in this process: RUNS_TABLE is not set/
    );
  });

  it('reads the event TTL in days, rejecting nonsense', () => {
    expect(eventTtlDays({})).toBe(30);
    expect(eventTtlDays({ [ENV.eventTtlDays]: '7' })).toBe(7);
    expect(() => eventTtlDays({ [ENV.eventTtlDays]: 'soon' })).toThrow(ValidationError);
    expect(() => eventTtlDays({ [ENV.eventTtlDays]: '-1' })).toThrow('EVENT_TTL_DAYS');
  });
});
