/**
 * ArtifactStore on S3, one bucket per store. Small bodies are one PutObject; bodies over
 * MULTIPART_THRESHOLD_BYTES go through lib-storage's Upload (multipart, parts uploaded in
 * parallel). A missing object reads as `undefined` / `false`, never as an SDK error.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { FatalStageError } from '../../errors';
import type { ArtifactStore, StoredObject, WriteOptions } from '../../ports';

/** Bodies larger than this are uploaded in parts of this size. */
export const MULTIPART_THRESHOLD_BYTES = 8 * 1024 * 1024;
const MULTIPART_QUEUE_SIZE = 4;

export interface S3ArtifactStoreOptions {
  /** Keys per ListObjectsV2 page (S3 caps it at 1000). @default 1000 */
  listPageSize?: number;
}

/** True for "no such key" answers: NoSuchKey (GetObject), NotFound (HeadObject), or a bare 404. */
export function isMissingObject(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'NoSuchKey' || error.name === 'NotFound') return true;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  return metadata?.httpStatusCode === 404;
}

/** CopySource is `bucket/key` URL-encoded; the slashes between key segments stay as they are. */
export function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

export class S3ArtifactStore implements ArtifactStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    private readonly options: S3ArtifactStoreOptions = {}
  ) {}

  async put(
    key: string,
    body: Buffer | string,
    contentType: string,
    options: WriteOptions = {}
  ): Promise<void> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const params = {
      Bucket: this.bucket,
      Key: key,
      Body: bytes,
      ContentType: contentType,
      ...(options.cacheControl === undefined ? {} : { CacheControl: options.cacheControl }),
    };
    if (bytes.length > MULTIPART_THRESHOLD_BYTES) {
      const upload = new Upload({
        client: this.client,
        params,
        partSize: MULTIPART_THRESHOLD_BYTES,
        queueSize: MULTIPART_QUEUE_SIZE,
        leavePartsOnError: false,
      });
      await upload.done();
      return;
    }
    await this.client.send(new PutObjectCommand(params));
  }

  async get(key: string): Promise<StoredObject | undefined> {
    for (let attempt = 1; ; attempt++) {
      let result: GetObjectCommandOutput;
      try {
        result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      } catch (error) {
        if (isMissingObject(error)) return undefined;
        throw error;
      }
      try {
        const body = result.Body ? Buffer.from(await result.Body.transformToByteArray()) : Buffer.alloc(0);
        return {
          body,
          ...(result.ContentType === undefined ? {} : { contentType: result.ContentType }),
          ...(result.CacheControl === undefined ? {} : { cacheControl: result.CacheControl }),
        };
      } catch (error) {
        // The SDK retries the request, not the body it streams afterwards: a connection dropped
        // or stalled mid-body ("aborted", a reset, the idle limit) is read again here, a few times.
        if (attempt >= BODY_READ_ATTEMPTS || !isDroppedConnection(error)) throw error;
      }
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw error;
    }
  }

  /**
   * Server-side copy inside the bucket. A new content type or Cache-Control replaces the object's
   * metadata (MetadataDirective REPLACE); a Cache-Control alone keeps the source's content type
   * (read with HeadObject, since REPLACE would otherwise drop it).
   */
  async copy(
    fromKey: string,
    toKey: string,
    contentType?: string,
    options: WriteOptions = {}
  ): Promise<void> {
    const { cacheControl } = options;
    try {
      const replace = contentType !== undefined || cacheControl !== undefined;
      const type = contentType ?? (replace ? await this.contentTypeOf(fromKey) : undefined);
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: toKey,
          CopySource: copySource(this.bucket, fromKey),
          ...(replace
            ? {
                MetadataDirective: 'REPLACE',
                ...(type === undefined ? {} : { ContentType: type }),
                ...(cacheControl === undefined ? {} : { CacheControl: cacheControl }),
              }
            : {}),
        })
      );
    } catch (error) {
      if (isMissingObject(error))
        throw new FatalStageError(`no object at ${fromKey} in bucket ${this.bucket}`, { cause: error });
      throw error;
    }
  }

  private async contentTypeOf(key: string): Promise<string | undefined> {
    const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    return head.ContentType;
  }

  /** DeleteObject: S3 answers a missing key with success too. */
  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** Every key under the prefix (ListObjectsV2, all pages), sorted. */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ContinuationToken: token,
          ...(this.options.listPageSize === undefined ? {} : { MaxKeys: this.options.listPageSize }),
        })
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}

/** Reads of an object's body: the first and two more when the connection drops mid-body. */
const BODY_READ_ATTEMPTS = 3;

/** A body that stopped: dropped, reset, or silent past the client's idle limit (aws-clients.ts). */
function isDroppedConnection(error: unknown): boolean {
  const { message, code, name } = (error ?? {}) as { message?: unknown; code?: unknown; name?: unknown };
  return (
    name === 'TimeoutError' ||
    message === 'aborted' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE'
  );
}
