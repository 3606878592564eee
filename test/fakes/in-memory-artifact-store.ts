import type { ArtifactStore, StoredObject, WriteOptions } from '../../stages/shared/ports';

export class InMemoryArtifactStore implements ArtifactStore {
  readonly objects = new Map<string, StoredObject>();
  constructor(readonly bucket = 'memory-bucket') {}

  /** Keeps the Cache-Control with the object (`objects.get(key)?.cacheControl`), as S3 does. */
  async put(
    key: string,
    body: Buffer | string,
    contentType: string,
    options: WriteOptions = {}
  ): Promise<void> {
    this.objects.set(key, {
      body: Buffer.isBuffer(body) ? Buffer.from(body) : Buffer.from(body, 'utf8'),
      contentType,
      ...(options.cacheControl === undefined ? {} : { cacheControl: options.cacheControl }),
    });
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const object = this.objects.get(key);
    return object && { ...object, body: Buffer.from(object.body) };
  }

  async exists(key: string): Promise<boolean> {
    return this.objects.has(key);
  }

  /** As S3's CopyObject: a new content type or Cache-Control replaces the metadata, else it is copied. */
  async copy(
    fromKey: string,
    toKey: string,
    contentType?: string,
    options: WriteOptions = {}
  ): Promise<void> {
    const object = this.objects.get(fromKey);
    if (!object) throw new Error(`no object at ${fromKey}`);
    const replace = contentType !== undefined || options.cacheControl !== undefined;
    const cacheControl = replace ? options.cacheControl : object.cacheControl;
    this.objects.set(toKey, {
      body: Buffer.from(object.body),
      contentType: contentType ?? object.contentType,
      ...(cacheControl === undefined ? {} : { cacheControl }),
    });
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  text(key: string): string {
    const object = this.objects.get(key);
    if (!object) throw new Error(`no object at ${key}`);
    return object.body.toString('utf8');
  }

  json<T = unknown>(key: string): T {
    return JSON.parse(this.text(key)) as T;
  }
}
