/**
 * `file:` reads under the fetch policy: only in the embedded local mode (the policy has file
 * roots), only regular files whose real path (symlinks resolved) lies under a root, opened
 * without following a final symlink and without blocking on a FIFO, capped on the bytes actually
 * read (never sized by `stat`: /dev/zero and /proc files report 0), within the fetch deadline.
 */
import { constants } from 'node:fs';
import { type FileHandle, open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FatalStageError, PipelineError, RetryableStageError } from '../../errors';
import { blocked } from './guarded-http-get';
import type { FetchPolicy } from './fetch-policy';

const CHUNK_BYTES = 64 * 1024;

/** Whether `file` is `root` or inside it (both absolute and symlink-free). */
export function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The real path of a `file:` URL when the policy lets it be read; throws a refusal otherwise. */
export async function allowedLocalPath(url: string, policy: FetchPolicy): Promise<string> {
  if (policy.fileRoots.length === 0)
    throw blocked(
      url,
      'file: URLs are read only for a podcast config loaded with --podcast in the embedded local mode'
    );
  let file: string;
  try {
    const parsed = new URL(url);
    if (parsed.host !== '') throw new Error('a file URL with a host');
    file = fileURLToPath(parsed);
  } catch (error) {
    throw new FatalStageError(`cannot read ${url}: not a local file URL`, { cause: error });
  }
  let real: string;
  try {
    real = await realpath(file);
  } catch (error) {
    throw new FatalStageError(`cannot read ${url}: ${describeFsError(error)}`, { cause: error });
  }
  if (!policy.fileRoots.some((root) => isInside(root, real)))
    throw blocked(url, "the file is outside the podcast config's folder");
  return real;
}

export async function readLocalFile(url: string, policy: FetchPolicy, signal?: AbortSignal): Promise<Buffer> {
  const real = await allowedLocalPath(url, policy);
  const deadline = AbortSignal.any([AbortSignal.timeout(policy.timeoutMs), ...(signal ? [signal] : [])]);
  let handle: FileHandle | undefined;
  try {
    // O_NONBLOCK: opening a FIFO does not wait for a writer; O_NOFOLLOW: no symlink swapped in since realpath.
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    const info = await handle.stat();
    if (!info.isFile()) throw blocked(url, 'not a regular file');
    return await readCapped(url, handle, policy, deadline);
  } catch (error) {
    if (error instanceof PipelineError) throw error;
    throw new FatalStageError(`cannot read ${url}: ${describeFsError(error)}`, { cause: error });
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

async function readCapped(
  url: string,
  handle: FileHandle,
  policy: FetchPolicy,
  deadline: AbortSignal
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    if (deadline.aborted)
      throw new RetryableStageError(`cannot read ${url}: timed out after ${policy.timeoutMs} ms`);
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > policy.maxBytes)
      throw new FatalStageError(`cannot read ${url}: over the ${policy.maxBytes}-byte limit`);
    chunks.push(chunk.subarray(0, bytesRead));
  }
  return Buffer.concat(chunks, total);
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ELOOP') return 'is a symbolic link';
  if (code === 'EAGAIN') return 'would block (not a regular file)';
  // open(2) on a unix socket, or on a device without a driver behind it.
  if (code === 'ENXIO') return 'not a regular file (a socket or device)';
  return error instanceof Error ? error.message : String(error);
}
