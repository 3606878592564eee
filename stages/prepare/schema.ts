import * as z from 'zod';
import { approvalPlanSchema } from '../shared/approval/approval-record';

/**
 * What prepare reads from StageInput: the ids, the raw run input (the user's, validated by
 * parseRunInput in prepare.ts, not here) and which orchestrator runs it (recorded on the run).
 */
export const prepareInputSchema = z.object({
  runId: z.string().min(1),
  podcastId: z.string().min(1),
  input: z.unknown(),
  mode: z.enum(['monolithic', 'distributed']).optional(),
});

export const prepareOutputSchema = z.object({
  runId: z.string(),
  podcastId: z.string(),
  episode: z.object({
    /** The episode's id in the feed and the episodes table: its date (one episode per podcast per day). */
    episodeId: z.string(),
    date: z.iso.date(),
    /** Stable for the podcast and date, so a rerun never makes a second feed entry. */
    guid: z.string(),
    title: z.string().optional(),
  }),
  /** Snapshot of the podcast config for this run (S3 key under runs/<runId>/prepare/). */
  configKey: z.string(),
  /**
   * Hash of that config (prepare/rerun-inputs.ts): dependants' checkpoints hash this manifest, so
   * a fixed config redoes them. Always written by prepare; optional so manifests made before it
   * existed (and hand-built test manifests) still parse.
   */
  configHash: z.string().optional(),
  /** Which stages run (optional stages can be switched off with flags.enable.<id> = false). */
  enabled: z.record(z.string(), z.boolean()),
  /**
   * Set when the run pauses after review for approval of its script (flags.approval or the
   * podcast's approval.script): the engine's gate and the state machine's Choice read it.
   */
  approval: approvalPlanSchema.optional(),
  /** Shard indexes per fan-out stage: the Map states iterate over these. */
  shards: z.record(z.string(), z.array(z.number().int().nonnegative())),
});

export type PrepareManifest = z.infer<typeof prepareOutputSchema>;
