/**
 * Finds an ffmpeg binary the process can execute: an explicit path (the composition root passes
 * FFMPEG_PATH, e.g. Debian's /usr/bin/ffmpeg in the arm64 container) or the static build shipped
 * by @ffmpeg-installer for this platform. npm 11 skips install scripts, so the bundled binary may
 * arrive without its execute bit: we chmod it, or copy it to a temp dir and chmod the copy when
 * the package directory is read-only (Lambda's /var/task).
 */
import {
  constants,
  accessSync,
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  renameSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { FatalStageError } from '../../errors';

export interface FfmpegLocation {
  path: string;
  /** Where it came from, for logs. */
  source: 'option' | 'bundled' | 'bundled-copy';
}

interface InstallerModule {
  path: string;
  version?: string;
}

const resolved = new Map<string, FfmpegLocation>();

/** The ffmpeg to spawn; cached per explicit path (or the bundled one) for the life of the process. */
export function locateFfmpeg(explicitPath?: string): FfmpegLocation {
  const cacheKey = explicitPath ?? '<bundled>';
  const cached = resolved.get(cacheKey);
  if (cached) return cached;
  const location = explicitPath ? checkExplicit(explicitPath) : locateBundled();
  resolved.set(cacheKey, location);
  return location;
}

function checkExplicit(path: string): FfmpegLocation {
  if (!existsSync(path))
    throw new FatalStageError(`ffmpeg not found at ${path} (the configured ffmpeg path)`);
  if (!isExecutable(path))
    throw new FatalStageError(
      `ffmpeg at ${path} is not executable by this process (the configured ffmpeg path)`
    );
  return { path, source: 'option' };
}

function locateBundled(): FfmpegLocation {
  const platform = `${process.platform}-${process.arch}`;
  let installer: InstallerModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    installer = require('@ffmpeg-installer/ffmpeg') as InstallerModule;
  } catch (error) {
    // The installer throws a plain string when it has no binary for this platform.
    const reason = error instanceof Error ? error.message : String(error);
    throw new FatalStageError(
      `no bundled ffmpeg for ${platform} (@ffmpeg-installer/${platform} is not installed: ${reason}); ` +
        'install ffmpeg and pass its path as ffmpegPath (FFMPEG_PATH)'
    );
  }
  const path = installer.path;
  if (!existsSync(path)) throw new FatalStageError(`bundled ffmpeg for ${platform} is missing at ${path}`);
  return ensureExecutable(path);
}

/** Returns an executable copy of the bundled binary: in place if possible, else in a temp dir. */
export function ensureExecutable(path: string, tempRoot: string = tmpdir()): FfmpegLocation {
  if (isExecutable(path)) return { path, source: 'bundled' };
  try {
    chmodSync(path, statSync(path).mode | 0o755);
    if (isExecutable(path)) return { path, source: 'bundled' };
  } catch {
    // Read-only package directory: fall through to the copy.
  }
  const dir = join(tempRoot, `podcast-platform-ffmpeg-${process.getuid?.() ?? 'user'}`);
  // Named after the binary, so ffprobe (the tests' reader, same packaging) never replaces ffmpeg.
  const copy = join(dir, basename(path));
  try {
    if (!isExecutable(copy) || statSync(copy).size !== statSync(path).size) {
      mkdirSync(dir, { recursive: true });
      // Copy under a unique name and rename, so concurrent processes never run a half-written file.
      const partial = `${copy}.${process.pid}.partial`;
      copyFileSync(path, partial);
      chmodSync(partial, 0o755);
      renameSync(partial, copy);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FatalStageError(
      `ffmpeg at ${path} is not executable and could not be copied to ${copy}: ${reason}`
    );
  }
  if (!isExecutable(copy)) throw new FatalStageError(`ffmpeg copy at ${copy} is not executable`);
  return { path: copy, source: 'bundled-copy' };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
