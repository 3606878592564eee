/**
 * What the state machine tells an ECS stage task, through the container's environment (see the
 * ECS states in stepfunctions/stage-states.ts): which stage, which run, and the task token to
 * report back with. Without TASK_TOKEN the task runs locally and prints its result instead.
 */
import { ValidationError } from '../../stages/shared/errors';

/** Heartbeat the state waits for when HEARTBEAT_SECONDS is not set (the generator's default). */
export const DEFAULT_HEARTBEAT_SECONDS = 300;

/** A running task's heartbeat interval: fixed, well inside any state's HeartbeatSeconds. */
export const HEARTBEAT_INTERVAL_MS = 20_000;

export interface StageTaskEnv {
  stageId: string;
  runId: string;
  podcastId: string;
  /** Step Functions' task token; absent for local runs. */
  taskToken?: string;
  /** The state's HeartbeatSeconds; the task reports three times within it. */
  heartbeatSeconds: number;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value)
    throw new ValidationError(`${name}: environment variable ${name} is required but not set`, name);
  return value;
}

export function readStageTaskEnv(env: NodeJS.ProcessEnv): StageTaskEnv {
  const taskToken = env.TASK_TOKEN?.trim();
  const rawHeartbeat = env.HEARTBEAT_SECONDS?.trim();
  const heartbeatSeconds = rawHeartbeat ? Number(rawHeartbeat) : DEFAULT_HEARTBEAT_SECONDS;
  if (!Number.isFinite(heartbeatSeconds) || heartbeatSeconds <= 0) {
    throw new ValidationError(
      `HEARTBEAT_SECONDS: must be a positive number of seconds, got "${rawHeartbeat}"`,
      'HEARTBEAT_SECONDS'
    );
  }
  return {
    stageId: required(env, 'STAGE_ID'),
    runId: required(env, 'RUN_ID'),
    podcastId: required(env, 'PODCAST_ID'),
    ...(taskToken ? { taskToken } : {}),
    heartbeatSeconds,
  };
}

/**
 * How often to send SendTaskHeartbeat: every 20 s, or a third of a shorter heartbeat window, so a
 * lost call is harmless.
 */
export function heartbeatIntervalMs(env: Pick<StageTaskEnv, 'heartbeatSeconds'>): number {
  return Math.max(1000, Math.min(HEARTBEAT_INTERVAL_MS, Math.floor((env.heartbeatSeconds * 1000) / 3)));
}
