/**
 * Text views of runs for `runs list` and `runs show`: a table of runs, a run's summary, and its
 * per-unit timing table rebuilt from the events (started / finished, duration, attempts). Pure
 * functions of the records, the events and "now", so the output is the same in tests and in use.
 */
import { displayStatus } from '../../stages/shared/approval/approval-record';
import type { PipelineEvent, RunApproval, RunRecord } from '../../stages/shared/ports';
import { formatDuration } from './cli-flags';

/** Left-aligned columns separated by two spaces; the header row first. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** 2026-11-23T12:00:05.123Z -> 2026-11-23 12:00:05Z */
export function shortTimestamp(iso: string | undefined): string {
  if (!iso) return '-';
  const t = Date.parse(iso);
  return Number.isNaN(t)
    ? iso
    : new Date(t)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d{3}Z$/, 'Z');
}

/** 12:00:05 (UTC), for times within one run. */
export function clockTime(iso: string | undefined): string {
  if (!iso) return '-';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(11, 19);
}

function since(iso: string, now: Date): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '-' : formatDuration(now.getTime() - t);
}

export const RUN_COLUMNS = [
  'RUN ID',
  'PODCAST',
  'STATUS',
  'MODE',
  'PROGRESS',
  'STAGE',
  'UPDATED',
  'AGE',
] as const;

export function formatRunsTable(runs: readonly RunRecord[], now: Date): string[] {
  if (runs.length === 0) return ['no runs'];
  return table(
    RUN_COLUMNS,
    runs.map((run) => [
      run.runId,
      run.podcastId,
      displayStatus(run),
      run.mode,
      `${Math.round(run.progressPercent)}%`,
      run.currentStage ?? '-',
      shortTimestamp(run.updatedAt),
      since(run.createdAt, now),
    ])
  );
}

export interface UnitTiming {
  unit: string;
  stage: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  attempts: number;
  result: 'succeeded' | 'failed' | 'retrying' | 'running';
}

/**
 * One row per unit of work (a stage, or `stage/shard`), in the order the units first started.
 * Attempts count the distinct attempts seen; the duration is the succeeded event's own
 * `durationMs` (the last attempt's work) or, without it, finished minus first started.
 */
export function unitTimings(events: readonly PipelineEvent[]): UnitTiming[] {
  const units = new Map<string, UnitTiming & { attemptSet: Set<number> }>();
  const ordered = [...events].sort(
    (a, b) => a.at.localeCompare(b.at) || a.eventKey.localeCompare(b.eventKey)
  );
  for (const event of ordered) {
    if (!event.type.startsWith('stage.')) continue;
    const unit = event.unit ?? event.stage;
    if (!unit) continue;
    let timing = units.get(unit);
    if (!timing) {
      timing = {
        unit,
        stage: event.stage ?? unit.split('/')[0] ?? unit,
        attempts: 0,
        result: 'running',
        attemptSet: new Set(),
      };
      units.set(unit, timing);
    }
    if (event.attempt !== undefined) timing.attemptSet.add(event.attempt);
    if (event.type === 'stage.started') {
      timing.startedAt ??= event.at;
      if (timing.result !== 'succeeded') timing.result = 'running';
    } else if (event.type === 'stage.succeeded') {
      timing.finishedAt = event.at;
      timing.result = 'succeeded';
      timing.durationMs =
        event.durationMs ??
        (timing.startedAt ? Date.parse(event.at) - Date.parse(timing.startedAt) : undefined);
    } else if (event.type === 'stage.failed') {
      timing.finishedAt = event.at;
      timing.result = 'failed';
      if (event.durationMs !== undefined) timing.durationMs = event.durationMs;
    } else if (event.type === 'stage.retried' && timing.result !== 'succeeded') {
      timing.result = 'retrying';
    }
  }
  return [...units.values()].map(({ attemptSet, ...timing }) => ({
    ...timing,
    attempts: Math.max(attemptSet.size, timing.startedAt ? 1 : 0),
  }));
}

function seconds(ms: number | undefined): string {
  if (ms === undefined) return '-';
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : formatDuration(ms);
}

/** A unit still open when its run is over never finished (the run failed or was failed around it). */
function resultOf(timing: UnitTiming, run: RunRecord): string {
  return run.status !== 'running' && (timing.result === 'running' || timing.result === 'retrying')
    ? 'unfinished'
    : timing.result;
}

export function formatRunDetail(run: RunRecord, events: readonly PipelineEvent[], now: Date): string[] {
  const lines = [
    `run       ${run.runId}`,
    `podcast   ${run.podcastId}`,
    `status    ${displayStatus(run)}${run.runAttempt > 1 ? ` (attempt ${run.runAttempt})` : ''}`,
    `mode      ${run.mode}`,
    `progress  ${Math.round(run.progressPercent)}%${run.status === 'running' && run.currentStage ? ` (in ${run.currentStage})` : ''}`,
    `created   ${shortTimestamp(run.createdAt)} (${since(run.createdAt, now)} ago)`,
    `updated   ${shortTimestamp(run.updatedAt)} (${since(run.updatedAt, now)} ago)`,
  ];
  if (run.episodeId) lines.push(`episode   ${run.episodeId}${run.guid ? ` (guid ${run.guid})` : ''}`);
  if (run.approval) lines.push(approvalLine(run.approval));
  if (run.skipped)
    lines.push(`skipped   stage ${run.skipped.stage}: ${run.skipped.reason} (nothing published)`);
  if (run.error)
    lines.push(
      `error     ${run.error.stage ? `stage ${run.error.stage}: ` : ''}${run.error.name}: ${run.error.message}`
    );
  const timings = unitTimings(events);
  lines.push('');
  if (timings.length === 0) {
    lines.push('no stage events yet');
    return lines;
  }
  lines.push(
    ...table(
      ['UNIT', 'STARTED', 'FINISHED', 'DURATION', 'ATTEMPTS', 'RESULT'],
      timings.map((t) => [
        t.unit,
        clockTime(t.startedAt),
        clockTime(t.finishedAt),
        seconds(t.durationMs),
        String(t.attempts),
        resultOf(t, run),
      ])
    )
  );
  return lines;
}

/** The script approval: waiting (since, until, the command to decide) or how it was decided. */
function approvalLine(approval: RunApproval): string {
  if (approval.state === 'awaiting')
    return `approval  script awaiting since ${shortTimestamp(approval.requestedAt)}, deadline ${shortTimestamp(approval.deadline)} (runs approve|reject)`;
  const when = approval.decidedAt ? ` at ${shortTimestamp(approval.decidedAt)}` : '';
  if (approval.state === 'approved')
    return `approval  script approved${approval.edited ? ' with an edit' : ''}${when}`;
  return `approval  script ${approval.state}${when}${approval.reason ? `: ${approval.reason}` : ''}`;
}
