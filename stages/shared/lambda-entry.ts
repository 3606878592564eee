/**
 * createLambdaHandler: the one Lambda wrapper. The handler module (the composition root) passes
 * its stage (plan entry + module) and a deps factory; deps are built once per container, on the
 * first invocation. Each invocation adds the Lambda context and run keys to the logger, runs the
 * shared stage lifecycle and returns the manifest. Errors pass through untouched so the state
 * machine's Retry/Catch can match their names.
 */
import type { RunnableStage, StageDeps, StageInput } from './stage';
import { runStageUnit } from './stage-runner';

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
    logger.appendKeys?.({ runId: event?.runId, podcastId: event?.podcastId, stage: stage.id, shard: event?.shard?.index });
    return runStageUnit(stage, event, deps);
  };
}
