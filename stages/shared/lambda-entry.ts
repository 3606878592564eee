/**
 * makeLambdaHandler: the one Lambda wrapper. Deps are built once per container (module scope,
 * on first invocation); each invocation adds the Lambda context and run keys to the logger, runs
 * the shared stage lifecycle and returns the manifest. Errors pass through untouched so the state
 * machine's Retry/Catch can match their names.
 */
import './adapters/register-runtime-deps';
import { getStage } from '../registry';
import type { StageInput } from './stage';
import { runStageUnit } from './stage-runner';
import { runtimeDeps } from './runtime-deps';

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

export function makeLambdaHandler(stageId: string) {
  const def = getStage(stageId);
  return async (event: StageInput, context?: LambdaContextLike): Promise<unknown> => {
    const deps = runtimeDeps();
    const logger = deps.logger as ContextAwareLogger;
    if (context?.awsRequestId && logger.addContext) logger.addContext(context as never);
    logger.appendKeys?.({ runId: event?.runId, podcastId: event?.podcastId, stage: stageId, shard: event?.shard?.index });
    return runStageUnit(def, event, deps);
  };
}
