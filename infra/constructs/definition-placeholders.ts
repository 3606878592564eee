/**
 * The committed state-machine definition and its `${Name}` placeholders: read the file once at
 * synth, list the placeholders it uses and fail the synth, naming them, when any has no
 * substitution (CloudFormation would otherwise deploy a definition with a literal `${...}` ARN and
 * the first execution would fail).
 */
import { readFileSync } from 'node:fs';

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** The distinct placeholder names used in a definition, sorted. */
export function placeholdersIn(definition: string): string[] {
  const names = new Set<string>();
  for (const match of definition.matchAll(PLACEHOLDER)) {
    if (match[1]) names.add(match[1]);
  }
  return [...names].sort();
}

/** Reads the definition and checks it is JSON; errors name the file. */
export function readDefinition(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`state machine definition ${path} cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new Error(`state machine definition ${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return text;
}

export interface PlaceholderCheck {
  /** Substitutions the definition does not use (a sign the two drifted apart). */
  readonly unused: string[];
}

/** Throws when a placeholder of the definition has no substitution; returns the unused ones. */
export function checkPlaceholders(
  path: string,
  definition: string,
  substitutions: Readonly<Record<string, string>>
): PlaceholderCheck {
  const used = placeholdersIn(definition);
  const missing = used.filter((name) => !(name in substitutions));
  if (missing.length > 0) {
    throw new Error(
      `state machine definition ${path} uses placeholders with no substitution: ${missing.map((name) => '${' + name + '}').join(', ')}` +
        ` (provided: ${Object.keys(substitutions).sort().join(', ') || 'none'})`
    );
  }
  return {
    unused: Object.keys(substitutions)
      .filter((name) => !used.includes(name))
      .sort(),
  };
}
