/**
 * The `${Name}` substitution placeholders in the committed definition: listing them (the CDK
 * stack must supply every one), substituting them, and fake but well-formed values for local
 * runs and validation (asl-validator checks ARNs).
 */
import type { StateMachineDefinition } from './asl-types';

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** Every placeholder name in the definition, sorted. */
export function listPlaceholders(definition: StateMachineDefinition): string[] {
  const names = new Set<string>();
  for (const match of JSON.stringify(definition).matchAll(PLACEHOLDER)) names.add(match[1] as string);
  return [...names].sort();
}

/** Replaces every placeholder; a placeholder without a value is an error naming it. */
export function substitutePlaceholders(
  definition: StateMachineDefinition,
  values: Record<string, string>
): StateMachineDefinition {
  const missing = listPlaceholders(definition).filter((name) => values[name] === undefined);
  if (missing.length > 0)
    throw new Error(`no value for placeholder(s) ${missing.map((n) => '${' + n + '}').join(', ')}`);
  const text = JSON.stringify(definition).replace(PLACEHOLDER, (_, name: string) =>
    JSON.stringify(values[name]).slice(1, -1)
  );
  return JSON.parse(text) as StateMachineDefinition;
}

const FAKE_REGION = 'us-east-1';
const FAKE_ACCOUNT = '123456789012';

/** A syntactically valid value for each placeholder (by its naming convention). */
export function fakePlaceholderValue(name: string): string {
  const prefix = (suffix: string) => name.slice(0, -suffix.length);
  if (name.endsWith('FunctionArn')) {
    return `arn:aws:lambda:${FAKE_REGION}:${FAKE_ACCOUNT}:function:podcast-${prefix('FunctionArn')}`;
  }
  if (name.endsWith('TaskDefinitionArn')) {
    return `arn:aws:ecs:${FAKE_REGION}:${FAKE_ACCOUNT}:task-definition/podcast-${prefix('TaskDefinitionArn')}:1`;
  }
  if (name.endsWith('ClusterArn')) return `arn:aws:ecs:${FAKE_REGION}:${FAKE_ACCOUNT}:cluster/podcast-local`;
  const subnet = /^SubnetId(\d+)$/.exec(name);
  if (subnet) return `subnet-${(subnet[1] as string).padStart(17, '0')}`;
  if (name === 'SecurityGroupId') return 'sg-00000000000000001';
  if (name === 'AssignPublicIp') return 'DISABLED';
  throw new Error(`no fake value for placeholder \${${name}}`);
}

export function fakePlaceholderValues(definition: StateMachineDefinition): Record<string, string> {
  return Object.fromEntries(listPlaceholders(definition).map((name) => [name, fakePlaceholderValue(name)]));
}
