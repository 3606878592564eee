/**
 * Reading a language model's answer as JSON and checking it against the schema the stage itself
 * validates with. The model is asked for one JSON object; a fenced ```json block, or a little
 * prose around the object, is tolerated. Anything else is a FatalStageError naming the model, the
 * thing asked for and what is wrong (retrying the same prompt is not expected to heal it, and a
 * retry storm costs tokens).
 */
import type { z } from 'zod';
import { FatalStageError } from '../../errors';
import { parseProviderAnswer } from '../../validation';

const FENCED = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/;

/** A short, single-line excerpt of the answer for error messages. */
export function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}

/** The JSON value in a model's text answer, or a FatalStageError. */
export function parseJsonAnswer(text: string, source: string, what: string): unknown {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new FatalStageError(`${source} returned an empty answer for the ${what}`);
  const fenced = FENCED.exec(trimmed)?.[1]?.trim();
  const candidates = [fenced, trimmed];
  const first = trimmed.indexOf('{');
  const last = trimmed.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(trimmed.slice(first, last + 1));
  let problem = '';
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return JSON.parse(candidate) as unknown;
    } catch (error) {
      problem ||= error instanceof Error ? error.message : String(error);
    }
  }
  throw new FatalStageError(
    `${source} returned a ${what} that is not JSON (${problem}); the answer began "${excerpt(trimmed)}"`
  );
}

/** Validates a parsed answer; the error names the first problem's path, like the stages do. */
export function checkAnswer<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: string,
  what: string
): z.infer<S> {
  return parseProviderAnswer(schema, value, source, what);
}
