/**
 * Validates a definition with asl-validator (the Amazon States Language JSON schemas plus path,
 * transition and state-name checks) after giving its `${...}` placeholders well-formed values,
 * since the validator checks Resource ARNs. asl-validator ships no types: the shape used is here.
 */
import type { StateMachineDefinition } from './asl-types';
import { fakePlaceholderValues, substitutePlaceholders } from './placeholders';

interface AslValidatorResult {
  isValid: boolean;
  errorsText: (separator?: string) => string;
}
type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean }
) => AslValidatorResult;

export interface DefinitionValidation {
  isValid: boolean;
  /** The validator's messages, one per line (empty when valid). */
  errors: string;
}

export function validateDefinition(definition: StateMachineDefinition): DefinitionValidation {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const validate = require('asl-validator') as AslValidator;
  // The validator annotates the object it checks (QueryLanguage on every state): give it a copy.
  const executable = substitutePlaceholders(definition, fakePlaceholderValues(definition));
  const result = validate(executable, { checkPaths: true, checkArn: true });
  return { isValid: result.isValid, errors: result.errorsText('\n') };
}
