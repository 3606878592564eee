/**
 * What the orchestrator command prints when a run ends without error: the `published ...` line and
 * the exported files, or the `skipped ...` line (nothing new to publish; still exit 0), or with
 * --json one `{"type":"result"}` line. Pure: the command hands in what happened.
 */
import path from 'node:path';
import type { RunSkip } from '../../../stages/shared/ports';
import type { ExportedFile } from '../local/export-episode';

/** How a pipeline run ended, as both modes report it: an episode published, or the run skipped. */
export interface PipelineOutcome {
  episode?: { episodeId: string; guid: string };
  skipped?: RunSkip;
}

export interface RunResult {
  runId: string;
  podcastId: string;
  mode: string;
  /** The run record's status (`succeeded` or `skipped`). */
  status: string;
  seconds: number;
  outcome: PipelineOutcome;
  /** The episode's files copied to the output folder (embedded mode), else none. */
  files: readonly ExportedFile[];
  /** Paths are shown relative to it. */
  cwd: string;
}

/** The result's lines (each ends with a newline). */
export function resultLines(result: RunResult, json: boolean): string[] {
  const { outcome } = result;
  const files = result.files.map((f) => path.relative(result.cwd, f.path));
  if (json) {
    const summary = outcome.skipped
      ? { stage: outcome.skipped.stage, reason: outcome.skipped.reason }
      : { episodeId: outcome.episode?.episodeId, guid: outcome.episode?.guid };
    const line = {
      type: 'result',
      runId: result.runId,
      status: result.status,
      mode: result.mode,
      ...summary,
      seconds: result.seconds,
      files,
    };
    return [`${JSON.stringify(line)}\n`];
  }
  const where = `(run ${result.runId}, ${result.mode}) in ${result.seconds.toFixed(1)} s`;
  if (outcome.skipped)
    return [`skipped ${result.podcastId}: nothing published ${where}: ${outcome.skipped.reason}\n`];
  return [
    `published ${result.podcastId} episode ${outcome.episode?.episodeId ?? '?'} ${where}\n`,
    ...result.files.map(
      (f, i) => `  ${(files[i] ?? f.path).padEnd(48)} ${(f.bytes / 1024).toFixed(0).padStart(6)} KiB\n`
    ),
  ];
}
