import type { ArtifactStore, StoredObject } from '../../stages/shared/ports';

export class InMemoryArtifactStore implements ArtifactStore {
  readonly objects = new Map<string, StoredObject>();
  constructor(readonly bucket = 'memory-bucket') {}

  async put(key: string, body: Buffer | string, contentType: string): Promise<void> {
    this.objects.set(key, {
      body: Buffer.isBuffer(body) ? Buffer.from(body) : Buffer.from(body, 'utf8'),
      contentType,
    });
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const object = this.objects.get(key);
    return object && { body: Buffer.from(object.body), contentType: object.contentType };
  }

  async exists(key: string): Promise<boolean> {
    return this.objects.has(key);
  }

  async copy(fromKey: string, toKey: string, contentType?: string): Promise<void> {
    const object = this.objects.get(fromKey);
    if (!object) throw new Error(`no object at ${fromKey}`);
    this.objects.set(toKey, {
      body: Buffer.from(object.body),
      contentType: contentType ?? object.contentType,
    });
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
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
