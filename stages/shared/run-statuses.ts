/**
 * The run statuses and which of them are final: the one list the runs table's reader, the
 * operator scripts (`runs list --status`, `start-run --wait`), the stalled-run rule and the run
 * watchdog share. A run starts `running` and moves once, by a conditional update, to a final
 * status it never leaves (a failed run may be resumed: that is a new run attempt, claimed anew).
 */
import type { RunStatus } from './ports';

export const RUN_STATUSES = [
  'running',
  'succeeded',
  'failed',
  'skipped',
] as const satisfies readonly RunStatus[];

/** Statuses a run ends in: nothing (no watchdog, no stalled-run check) moves a run out of them. */
export const FINAL_RUN_STATUSES = ['succeeded', 'failed', 'skipped'] as const satisfies readonly RunStatus[];

export function isFinalRunStatus(status: RunStatus): boolean {
  return (FINAL_RUN_STATUSES as readonly RunStatus[]).includes(status);
}

/** A stored status as a RunStatus, or undefined for anything else. */
export function asRunStatus(value: unknown): RunStatus | undefined {
  return RUN_STATUSES.find((status) => status === value);
}
