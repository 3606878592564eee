/**
 * The pipeline state machine's name: `<stack name>-pipeline`. The stack sets it explicitly, so the
 * ARN is predictable (`start-run` and `serve` name the same machine), and `serve` names its local
 * copy the same way for the default stack.
 */

/** The CDK app's stack name when the context gives none. */
export const DEFAULT_STACK_NAME = 'PodcastPlatform';

/** Step Functions caps a state machine name at 80 characters; the suffix takes 9 of them. */
export const MAX_STACK_NAME_LENGTH = 71;

export function pipelineStateMachineName(stackName: string): string {
  if (stackName.length > MAX_STACK_NAME_LENGTH)
    throw new Error(`stack name "${stackName}" is longer than ${MAX_STACK_NAME_LENGTH} characters`);
  return `${stackName}-pipeline`;
}
