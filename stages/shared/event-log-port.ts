/** The run's event log port: what happened to a run, one item per event (ports.ts re-exports it). */
import type { RunError } from './ports';

export type PipelineEventType =
  | 'run.started'
  | 'stage.started'
  | 'stage.progress'
  | 'stage.succeeded'
  | 'stage.retried'
  | 'stage.failed'
  | 'run.succeeded'
  | 'run.failed'
  /** The run ended with nothing to publish (status `skipped`), with the stage and the reason. */
  | 'run.skipped'
  /** The script approval gate (stages/shared/approval/): asked, granted (edited or not), rejected, expired. */
  | 'approval.requested'
  | 'approval.granted'
  | 'approval.rejected'
  | 'approval.expired'
  /** A published run's script was edited: the run goes on as its next attempt (re-render). */
  | 'script.edited'
  /** The mixed episode's length against targetMinutes, before publish (refused off target unless edited). */
  | 'episode.length'
  /** A story page given up (unreadable, refused by the fetch policy, not text, too short); the run goes on. */
  | 'story.skipped'
  /** A source feed given up while others deliver. */
  | 'source.skipped'
  /** A unit's stored checkpoint not used (unreadable, fails its schema, or its side effect is gone); the unit is redone. */
  | 'checkpoint.discarded';

export interface PipelineEvent {
  runId: string;
  /** Deterministic sort key, e.g. `tts/2#a1.2#stage.succeeded`: a retried write cannot duplicate it. */
  eventKey: string;
  type: PipelineEventType;
  at: string;
  stage?: string;
  unit?: string;
  attempt?: number;
  progressPercent?: number;
  durationMs?: number;
  error?: RunError;
  detail?: Record<string, unknown>;
}

export interface EventLog {
  /** Conditional put on the event key; returns false when the event already existed. */
  append(event: PipelineEvent): Promise<boolean>;
  list(runId: string): Promise<PipelineEvent[]>;
}
