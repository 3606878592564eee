/**
 * createLambdaHandler: the one Lambda wrapper. The handler module (the composition root) passes
 * its stage (plan entry + module) and a deps factory; deps are built once per container, on the
 * first invocation. Each invocation adds the Lambda context and run keys to the logger, runs the
 * shared stage lifecycle and returns the manifest. Errors pass through untouched so the state
 * machine's Retry/Catch can match their names.
 */
import type { RunnableStage, StageDeps, StageInput } from './stage';
import { StageTimeoutError } from './errors';
import { runStageUnit } from './stage-runner';
import { attemptSignal, STOP_GRACE_MS } from './unit-cancellation';

/** Time left before Lambda's own timeout when the attempt is told to stop. */
export const LAMBDA_STOP_MARGIN_MS = 3_000;

/** The parts of the Lambda context the logger uses (avoids a dependency on aws-lambda types). */
export interface LambdaContextLike {
  functionName?: string;
  awsRequestId?: string;
  getRemainingTimeInMillis?: () => number;
}

interface ContextAwareLogger {
  addContext?: (context: never) => void;
  appendKeys?: (keys: Record<string, unknown>) => void;
}

export type StageLambdaHandler = (event: StageInput, context?: LambdaContextLike) => Promise<unknown>;

export function createLambdaHandler(stage: RunnableStage, buildDeps: () => StageDeps): StageLambdaHandler {
  let deps: StageDeps | undefined;
  return async (event, context) => {
    deps ??= buildDeps();
    const logger = deps.logger as ContextAwareLogger;
    if (context?.awsRequestId && logger.addContext) logger.addContext(context as never);
    logger.appendKeys?.({
      runId: event?.runId,
      podcastId: event?.podcastId,
      stage: stage.id,
      shard: event?.shard?.index,
    });
    // Stop the attempt a little before Lambda would freeze it: its writes are refused from then on
    // and it fails as States.Timeout (retried by the state's Retry), never half-recorded.
    const remaining = context?.getRemainingTimeInMillis?.();
    const budget = remaining === undefined ? undefined : Math.max(0, remaining - LAMBDA_STOP_MARGIN_MS);
    const { signal, dispose } = attemptSignal(
      undefined,
      budget,
      () =>
        new StageTimeoutError(
          `stage ${stage.id} stopped ${LAMBDA_STOP_MARGIN_MS} ms before its Lambda timeout`
        )
    );
    try {
      return await runStageUnit(stage, event, deps, {
        signal,
        // Most invocations run a unit's first attempt; a retried one is told by the begin (runStageUnit).
        speculate: true,
        stopGraceMs: Math.min(STOP_GRACE_MS, LAMBDA_STOP_MARGIN_MS / 2),
      });
    } finally {
      dispose();
    }
  };
}
