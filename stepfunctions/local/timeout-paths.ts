/**
 * aws-local-stepfunctions reads a Task's TimeoutSecondsPath from the state's effective input (its
 * Parameters evaluated), where AWS reads it from the state's input. The local runners rewrite such
 * a path onto the Parameters field that carries the same value (the approval gate's
 * `Payload.stages` for `$.stages...`), so both time out at the same deadline; a path no Parameters
 * field carries is left as it is (the library then fails the state with States.Runtime).
 */
import type { JsonObject, JsonValue, State, StateMachineScope } from '../asl-types';

/** `[location in Parameters, the input path it copies]` for every `key.$` field, nested ones too. */
function copiedPaths(parameters: JsonObject, at: string): [string, string][] {
  const found: [string, string][] = [];
  for (const [key, value] of Object.entries(parameters)) {
    if (key.endsWith('.$') && typeof value === 'string' && value.startsWith('$.'))
      found.push([`${at}.${key.slice(0, -2)}`, value]);
    else if (value && typeof value === 'object' && !Array.isArray(value))
      found.push(...copiedPaths(value, `${at}.${key}`));
  }
  return found;
}

export function parametersTimeoutPath(
  parameters: JsonObject | undefined,
  inputPath: string
): string | undefined {
  if (!parameters) return undefined;
  for (const [location, copied] of copiedPaths(parameters, '$')) {
    if (inputPath === copied) return location;
    if (inputPath.startsWith(`${copied}.`)) return `${location}${inputPath.slice(copied.length)}`;
  }
  return undefined;
}

/** A copy of the definition with every Task's TimeoutSecondsPath pointing into its Parameters. */
export function withLocalTimeoutPaths<T extends StateMachineScope>(definition: T): T {
  const states: Record<string, State> = {};
  for (const [name, state] of Object.entries(definition.States) as [string, State][]) {
    if (state.Type === 'Task' && state.TimeoutSecondsPath) {
      const local = parametersTimeoutPath(state.Parameters, state.TimeoutSecondsPath);
      states[name] = local ? { ...state, TimeoutSecondsPath: local } : state;
    } else if (state.Type === 'Parallel')
      states[name] = { ...state, Branches: state.Branches.map((b) => withLocalTimeoutPaths(b)) };
    else if (state.Type === 'Map')
      states[name] = { ...state, ItemProcessor: withLocalTimeoutPaths(state.ItemProcessor) };
    else states[name] = state;
  }
  return { ...definition, States: states } as T & { States: Record<string, JsonValue | State> };
}
