import type { z } from 'zod';
import { FatalStageError, ValidationError } from './errors';

/** Formats the first zod issue as `<what>.<path>: <message>` so the message names the field. */
export function describeIssues(error: z.ZodError, what: string): { message: string; field: string } {
  const issue = error.issues[0];
  if (!issue) return { message: `${what} is invalid`, field: what };
  const field = [what, ...issue.path.map(String)].join('.');
  const more =
    error.issues.length > 1
      ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})`
      : '';
  return { message: `${field}: ${issue.message}${more}`, field };
}

/** Parses with the schema or throws a ValidationError whose message names the offending field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const { message, field } = describeIssues(result.error, what);
  throw new ValidationError(message, field);
}

/**
 * Validates what a provider answered; a malformed answer is a FatalStageError (no retry storm)
 * naming the provider, the thing asked for and the first problem's path.
 */
export function parseProviderAnswer<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: string,
  what: string
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
  throw new FatalStageError(
    `${source} returned a malformed ${what}: ${where}${issue?.message ?? 'invalid'}${more}`
  );
}
