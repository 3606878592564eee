/**
 * ffprobe from @ffprobe-installer/ffprobe (a devDependency): an independent reader for the MP3s the
 * pipeline writes. npm 11 skips install scripts, so the binary may lack its execute bit; it gets
 * the same treatment as the bundled ffmpeg (chmod, or an executable copy in the temp dir).
 */
import { spawnSync } from 'node:child_process';
import { ensureExecutable } from '../../stages/shared/adapters/audio/ffmpeg-binary';

export interface ProbeStream {
  codec_name: string;
  codec_type: string;
  channels?: number;
  channel_layout?: string;
  sample_rate?: string;
  bit_rate?: string;
}

export interface ProbeChapter {
  id: number;
  start_time: string;
  end_time: string;
  tags?: { title?: string };
}

export interface ProbeResult {
  streams: ProbeStream[];
  chapters: ProbeChapter[];
  format: { format_name: string; duration: string; size: string; tags?: Record<string, string> };
}

let located: string | undefined;

export function ffprobePath(): string {
  if (!located) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const installer = require('@ffprobe-installer/ffprobe') as { path: string };
    located = ensureExecutable(installer.path).path;
  }
  return located;
}

/** `ffprobe -v error -show_format -show_chapters -show_streams -of json <file>`, parsed. */
export function probe(file: string): ProbeResult {
  const args = ['-v', 'error', '-show_format', '-show_chapters', '-show_streams', '-of', 'json', file];
  const result = spawnSync(ffprobePath(), args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`ffprobe failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as ProbeResult;
}
