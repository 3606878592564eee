import type { EventLog, PipelineEvent, PipelineEventType } from './ports';

/**
 * The deterministic event key: `<unit>#<attempt>#<type>[#<suffix>]`. Run-level events use the
 * unit `run` and the run attempt, so a retried write of the same event cannot duplicate it.
 */
export function eventKey(unit: string, attempt: number, type: PipelineEventType, suffix?: string): string {
  const base = `${unit}#${String(attempt).padStart(3, '0')}#${type}`;
  return suffix === undefined ? base : `${base}#${suffix}`;
}

/** What an event says beyond its run, key, type and time. */
export type EventFields = Omit<PipelineEvent, 'runId' | 'eventKey' | 'type' | 'at'>;

export async function emit(
  log: EventLog,
  runId: string,
  key: string,
  type: PipelineEventType,
  at: string,
  fields: EventFields = {}
): Promise<PipelineEvent> {
  const event: PipelineEvent = { runId, eventKey: key, type, at, ...fields };
  await log.append(event);
  return event;
}
