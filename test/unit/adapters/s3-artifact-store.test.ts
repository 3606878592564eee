import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  copySource,
  MULTIPART_THRESHOLD_BYTES,
  S3ArtifactStore,
} from '../../../stages/shared/adapters/aws/s3-artifact-store';
import { FatalStageError } from '../../../stages/shared/errors';

const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'us-east-1' });
const BUCKET = 'media-bucket';

/** A GetObject body: the adapter only needs transformToByteArray. */
function body(text: string): GetObjectCommandOutput['Body'] {
  const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
  return { transformToByteArray: async () => bytes } as unknown as GetObjectCommandOutput['Body'];
}

function store(): S3ArtifactStore {
  return new S3ArtifactStore(client, BUCKET);
}

afterEach(() => s3.reset());

describe('S3ArtifactStore.put', () => {
  it('puts a small body in one PutObject with its content type', async () => {
    s3.on(PutObjectCommand).resolves({});

    await store().put('runs/r1/script/script.txt', 'Ava: hello', 'text/plain; charset=utf-8');

    const input = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Bucket: BUCKET,
      Key: 'runs/r1/script/script.txt',
      ContentType: 'text/plain; charset=utf-8',
    });
    expect(Buffer.isBuffer(input?.Body) && input.Body.toString('utf8')).toBe('Ava: hello');
    expect(s3.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
  });

  it('stores a Cache-Control when asked, in one PutObject or a multipart upload', async () => {
    s3.on(PutObjectCommand).resolves({});
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' });
    s3.on(UploadPartCommand).resolves({ ETag: '"etag"' });
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const immutable = { cacheControl: 'public, max-age=31536000, immutable' };

    await store().put('podcasts/p/feed.xml', '<rss/>', 'application/rss+xml', {
      cacheControl: 'public, max-age=60',
    });
    await store().put(
      'podcasts/p/e.mp3',
      Buffer.alloc(MULTIPART_THRESHOLD_BYTES + 1, 1),
      'audio/mpeg',
      immutable
    );

    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      CacheControl: 'public, max-age=60',
    });
    expect(s3.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input).toMatchObject({
      Key: 'podcasts/p/e.mp3',
      CacheControl: 'public, max-age=31536000, immutable',
    });
  });

  it('uploads a body over the threshold in 8 MiB parts instead', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' });
    s3.on(UploadPartCommand).resolves({ ETag: '"etag"' });
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const big = Buffer.alloc(MULTIPART_THRESHOLD_BYTES + 1024, 1);

    await store().put('podcasts/p/e.mp3', big, 'audio/mpeg');

    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(s3.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input).toMatchObject({
      Bucket: BUCKET,
      Key: 'podcasts/p/e.mp3',
      ContentType: 'audio/mpeg',
    });
    const parts = s3.commandCalls(UploadPartCommand).map((c) => c.args[0].input);
    expect(parts.map((p) => p.PartNumber).sort()).toEqual([1, 2]);
    expect(parts.every((p) => p.UploadId === 'upload-1')).toBe(true);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(1);
  });
});

describe('S3ArtifactStore reads', () => {
  it('get returns the body as a Buffer with its content type', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body('{"a":1}'), ContentType: 'application/json' });

    const object = await store().get('runs/r1/outline/outline.json');

    expect(object?.body.toString('utf8')).toBe('{"a":1}');
    expect(object?.contentType).toBe('application/json');
    expect(object).not.toHaveProperty('cacheControl');
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: 'runs/r1/outline/outline.json',
    });
  });

  it('get returns the stored Cache-Control', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body('x'), CacheControl: 'public, max-age=60' });

    expect((await store().get('podcasts/p/feed.xml'))?.cacheControl).toBe('public, max-age=60');
  });

  it('get maps NoSuchKey and a bare 404 to undefined', async () => {
    s3.on(GetObjectCommand)
      .rejectsOnce(
        new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } })
      )
      .rejects(
        new S3ServiceException({ name: 'UnknownError', $fault: 'client', $metadata: { httpStatusCode: 404 } })
      );

    await expect(store().get('a')).resolves.toBeUndefined();
    await expect(store().get('b')).resolves.toBeUndefined();
  });

  it('get lets other errors through', async () => {
    s3.on(GetObjectCommand).rejects(
      new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } })
    );

    await expect(store().get('a')).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('exists is a HeadObject; NotFound is false', async () => {
    s3.on(HeadObjectCommand, { Key: 'here' })
      .resolves({})
      .on(HeadObjectCommand, { Key: 'gone' })
      .rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }));

    await expect(store().exists('here')).resolves.toBe(true);
    await expect(store().exists('gone')).resolves.toBe(false);
  });
});

describe('S3ArtifactStore.delete', () => {
  it('is one DeleteObject for the key', async () => {
    s3.on(DeleteObjectCommand).resolves({});

    await store().delete('runs/r/review/edits/abc.json');

    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: BUCKET, Key: 'runs/r/review/edits/abc.json' },
    ]);
  });
});

describe('S3ArtifactStore.copy', () => {
  it('replaces the metadata when a content type is given, with an encoded CopySource', async () => {
    s3.on(CopyObjectCommand).resolves({});

    await store().copy('runs/r1/mix/episode final.mp3', 'podcasts/p/2025-03-01.mp3', 'audio/mpeg');

    expect(s3.commandCalls(CopyObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: 'podcasts/p/2025-03-01.mp3',
      CopySource: 'media-bucket/runs/r1/mix/episode%20final.mp3',
      MetadataDirective: 'REPLACE',
      ContentType: 'audio/mpeg',
    });
  });

  it('keeps the metadata without a content type', async () => {
    s3.on(CopyObjectCommand).resolves({});

    await store().copy('a/b.json', 'c/d.json');

    const input = s3.commandCalls(CopyObjectCommand)[0]?.args[0].input;
    expect(input).not.toHaveProperty('MetadataDirective');
    expect(input).not.toHaveProperty('ContentType');
  });

  it('replaces the metadata with a Cache-Control and the given content type', async () => {
    s3.on(CopyObjectCommand).resolves({});

    await store().copy('runs/r1/notes/notes.html', 'podcasts/p/n.html', 'text/html', {
      cacheControl: 'public, max-age=31536000, immutable',
    });

    expect(s3.commandCalls(CopyObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: 'podcasts/p/n.html',
      CopySource: 'media-bucket/runs/r1/notes/notes.html',
      MetadataDirective: 'REPLACE',
      ContentType: 'text/html',
      CacheControl: 'public, max-age=31536000, immutable',
    });
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
  });

  it("keeps the source's content type when only a Cache-Control is given (REPLACE would drop it)", async () => {
    s3.on(HeadObjectCommand).resolves({ ContentType: 'image/png' });
    s3.on(CopyObjectCommand).resolves({});

    await store().copy('a/cover.png', 'podcasts/p/cover.png', undefined, {
      cacheControl: 'public, max-age=60',
    });

    expect(s3.commandCalls(HeadObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: 'a/cover.png',
    });
    expect(s3.commandCalls(CopyObjectCommand)[0]?.args[0].input).toMatchObject({
      MetadataDirective: 'REPLACE',
      ContentType: 'image/png',
      CacheControl: 'public, max-age=60',
    });
  });

  it('a missing source is a FatalStageError naming the key', async () => {
    s3.on(CopyObjectCommand).rejects(
      new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } })
    );

    const error = await store()
      .copy('runs/r1/mix/episode.mp3', 'x')
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FatalStageError);
    expect((error as Error).message).toBe('no object at runs/r1/mix/episode.mp3 in bucket media-bucket');
  });

  it('encodes each key segment but keeps the slashes', () => {
    expect(copySource('b', 'runs/r 1/ä+b.txt')).toBe('b/runs/r%201/%C3%A4%2Bb.txt');
  });
});

describe('S3ArtifactStore.list', () => {
  it('follows continuation tokens and returns every key sorted', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [{ Key: 'runs/r1/b' }, { Key: 'runs/r1/c' }],
        IsTruncated: true,
        NextContinuationToken: 't1',
      })
      .resolves({ Contents: [{ Key: 'runs/r1/a' }], IsTruncated: false });

    const keys = await store().list('runs/r1/');

    expect(keys).toEqual(['runs/r1/a', 'runs/r1/b', 'runs/r1/c']);
    const [first, second] = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input);
    expect(first).toEqual({ Bucket: BUCKET, Prefix: 'runs/r1/', ContinuationToken: undefined });
    expect(second).toMatchObject({ Prefix: 'runs/r1/', ContinuationToken: 't1' });
  });

  it('asks for the configured page size', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'k' }], IsTruncated: false });

    await new S3ArtifactStore(client, BUCKET, { listPageSize: 100 }).list('k');

    expect(s3.commandCalls(ListObjectsV2Command)[0]?.args[0].input.MaxKeys).toBe(100);
  });

  it('an empty prefix lists nothing', async () => {
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0, IsTruncated: false });

    await expect(store().list('nothing/')).resolves.toEqual([]);
  });
});

describe('S3ArtifactStore.get when the connection drops mid-body', () => {
  /** A body whose read fails as a dropped connection does. */
  const dropped = (error: Error): GetObjectCommandOutput['Body'] =>
    ({
      transformToByteArray: async () => {
        throw error;
      },
    }) as unknown as GetObjectCommandOutput['Body'];
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

  it('reads the object again (the SDK retries requests, not the body streamed after them)', async () => {
    s3.on(GetObjectCommand)
      .resolvesOnce({ Body: dropped(new Error('aborted')) })
      .resolvesOnce({ Body: dropped(reset) })
      .resolvesOnce({ Body: body('{"ok":true}'), ContentType: 'application/json' });

    const object = await store().get('runs/r1/script/output.json');

    expect(object?.body.toString('utf8')).toBe('{"ok":true}');
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(3);
  });

  it('gives up after three reads, and never retries another failure', async () => {
    s3.on(GetObjectCommand).resolves({ Body: dropped(new Error('aborted')) });
    await expect(store().get('k')).rejects.toThrow('aborted');
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(3);

    s3.reset();
    s3.on(GetObjectCommand).resolves({ Body: dropped(new TypeError('not bytes')) });
    await expect(store().get('k')).rejects.toThrow('not bytes');
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
  });
});
