/**
 * Runs a stage's core the way the lifecycle does, without the lifecycle: the raw StageInput is
 * parsed once with the stage's input schema and the typed value handed to `run` (a schema
 * failure throws the zod error, as a test wants to see it).
 */
import type { z } from 'zod';
import type { StageContext, StageInput, StageModule } from '../../stages/shared/stage';

export async function runCore<I extends z.ZodType, O extends z.ZodType>(
  stage: StageModule<I, O>,
  input: StageInput,
  ctx: StageContext
): Promise<z.output<O>> {
  const result = await stage.run(stage.inputSchema.parse(input) as z.output<I>, ctx);
  return stage.outputSchema.parse(result) as z.output<O>;
}
