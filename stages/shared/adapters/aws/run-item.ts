/**
 * The runs table's item layout and its mapping to RunRecord. DynamoDB cannot store an empty set,
 * so `doneUnits` is absent until the first unit completes and is read back as `[]`; progress is
 * stored as points plus the total they are out of (one UpdateItem can add to a number but cannot
 * divide), and the percent is derived when the item is read.
 */
import { inputFootprint } from '../../input-limits';
import type { NewRun, RunError, RunRecord, RunSkip, RunStatus } from '../../ports';
import { asRunStatus } from '../../run-statuses';
import { asRunApproval } from '../../approval/approval-record';
import type { DynamoItem } from './dynamo-errors';

/** Progress in percent, rounded to 0.1 and capped at 100 (the in-memory fake's formula). */
export function progressPercent(points: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(100, Math.round((points / total) * 1000) / 10);
}

/** The item a new run (claimed or rejected) starts as. `usage` starts as a map so that
 * `recordUsage` can SET one stage's entry inside it in a single UpdateItem. */
/**
 * A new run's item. `claimToken` marks the record as the write of one claim (dynamo-run-repository.ts),
 * so a create the SDK re-sends after a lost answer is recognised as that claim's own.
 */
export function newRunItem(
  run: NewRun,
  status: RunStatus,
  now: string,
  error?: RunError,
  claimToken?: string
): DynamoItem {
  const first = status === 'running' ? run.firstUnit : undefined;
  return {
    runId: run.runId,
    podcastId: run.podcastId,
    mode: run.mode,
    inputHash: run.inputHash,
    input: run.input,
    status,
    runAttempt: 1,
    createdAt: now,
    updatedAt: now,
    stageAttempts: first ? { [first.unit]: 1 } : {},
    ...(first ? { currentStage: first.stage } : {}),
    progressPoints: 0,
    usage: {},
    ...(error ? { error } : {}),
    ...(claimToken ? { claimToken } : {}),
  };
}

/** A rejected run's item: the input's size and hash instead of the input (ports.ts recordRejected). */
export function rejectedRunItem(run: NewRun, now: string, error: RunError): DynamoItem {
  const { input: _input, ...item } = newRunItem(run, 'failed', now, error);
  return { ...item, rejectedInput: inputFootprint(run.input) };
}

function asRejectedInput(value: unknown): RunRecord['rejectedInput'] {
  if (!value || typeof value !== 'object') return undefined;
  const { bytes, sha256 } = value as Record<string, unknown>;
  return typeof bytes === 'number' && typeof sha256 === 'string' ? { bytes, sha256 } : undefined;
}

function asString(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function asNumber(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function asStringArray(value: unknown): string[] {
  if (value instanceof Set || Array.isArray(value)) {
    return [...(value as Iterable<unknown>)].filter((v): v is string => typeof v === 'string').sort();
  }
  return [];
}

function asNumberRecord(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) if (typeof v === 'number') out[key] = v;
  }
  return out;
}

function asRunError(value: unknown): RunError | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const raw = value as Record<string, unknown>;
  return {
    ...(typeof raw.stage === 'string' ? { stage: raw.stage } : {}),
    name: asString(raw.name, 'Error'),
    message: asString(raw.message),
  };
}

function asRunSkip(value: unknown): RunSkip | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const raw = value as Record<string, unknown>;
  return { stage: asString(raw.stage, 'run'), reason: asString(raw.reason) };
}

/** Maps a runs-table item to the port's RunRecord (sets to arrays, defaults for absent fields). */
export function toRunRecord(item: DynamoItem): RunRecord {
  const status: RunStatus = asRunStatus(item.status) ?? 'failed';
  const points = asNumber(item.progressPoints);
  const usage = item.usage && typeof item.usage === 'object' ? (item.usage as Record<string, unknown>) : {};
  const error = asRunError(item.error);
  const record: RunRecord = {
    runId: asString(item.runId),
    podcastId: asString(item.podcastId),
    status,
    mode: item.mode === 'distributed' ? 'distributed' : 'monolithic',
    inputHash: asString(item.inputHash),
    input: item.input ?? null,
    runAttempt: asNumber(item.runAttempt, 1),
    createdAt: asString(item.createdAt),
    updatedAt: asString(item.updatedAt),
    stageAttempts: asNumberRecord(item.stageAttempts),
    doneUnits: asStringArray(item.doneUnits),
    progressPoints: points,
    // A run that ended with its work done (published, or nothing to publish) is complete.
    progressPercent:
      status === 'succeeded' || status === 'skipped'
        ? 100
        : progressPercent(points, asNumber(item.progressTotal)),
  };
  if (typeof item.currentStage === 'string') record.currentStage = item.currentStage;
  if (error) record.error = error;
  const skipped = asRunSkip(item.skipped);
  if (skipped) record.skipped = skipped;
  if (typeof item.episodeId === 'string') record.episodeId = item.episodeId;
  if (typeof item.guid === 'string') record.guid = item.guid;
  if (Object.keys(usage).length > 0) record.usage = usage;
  const approval = asRunApproval(item.approval);
  if (approval) record.approval = approval;
  const rejectedInput = asRejectedInput(item.rejectedInput);
  if (rejectedInput) record.rejectedInput = rejectedInput;
  return record;
}
