/**
 * s3rver's file-system store answers a PUT before the object is on disk: it resolves as soon as
 * the body is handed to the write stream, and the write truncates the file first. So a GET right
 * after (the next stage reading what the last one wrote) or during a second writer's PUT of the
 * same key (two starts of one run) can read an empty or half-written object, where S3 gives the
 * old object or the new one, whole. The store's putObject is replaced here: the body is written
 * to a file of its own while its metadata is written, then the file is renamed over the object
 * (atomic on one file system), and only then does the PUT answer.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import FilesystemStore from 's3rver/lib/stores/filesystem';

let installed = false;

async function bodyOf(content: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(content)) return content;
  const chunks: Buffer[] = [];
  for await (const chunk of content)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

/** Makes s3rver's PUT whole and durable before it answers (idempotent). */
export function ensureAtomicPut(): void {
  if (installed) return;
  installed = true;
  FilesystemStore.prototype.putObject = async function atomicPutObject(this: FilesystemStore, object) {
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(path.dirname(objectPath), { recursive: true });
    const body = await bodyOf(object.content);
    const md5 = createHash('md5').update(body).digest('hex');
    // Not named like an object (`…._S3rver_object`): listings never show it.
    const part = `${objectPath}.${randomUUID()}.part`;
    try {
      // The body and the metadata are separate files: written side by side, then the rename.
      await Promise.all([
        writeFile(part, body),
        this.putMetadata(object.bucket, object.key, object.metadata, md5),
      ]);
      await rename(part, objectPath);
    } catch (error) {
      await rm(part, { force: true });
      throw error;
    }
    return { size: body.length, md5 };
  };
}
