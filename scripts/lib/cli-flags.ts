/**
 * The command-line parser for both CLIs (the orchestrator and the scripts): `node:util`
 * `parseArgs` in strict mode, with its errors turned into ValidationErrors that name the flag
 * (exit code 2): an unknown flag, a value flag without a value, a switch given a value, a
 * non-repeatable flag given twice with different values. `--name value`, `--name=value`, short
 * aliases and `--` work as parseArgs does them.
 */
import { parseArgs } from 'node:util';
import { ValidationError } from '../../stages/shared/errors';

export interface FlagSpec {
  /** Flags that take a value (without the leading `--`). */
  values?: readonly string[];
  /** Flags that may be given more than once (their values are collected). */
  repeatable?: readonly string[];
  /** Switches (no value). */
  switches?: readonly string[];
  /** Short aliases, e.g. { h: 'help' }. */
  aliases?: Readonly<Record<string, string>>;
}

export interface ParsedFlags {
  values: Record<string, string>;
  lists: Record<string, string[]>;
  switches: Set<string>;
  positionals: string[];
}

type OptionSpec = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };

/** parseArgs' error as a ValidationError naming the flag it is about. */
function flagError(error: unknown): ValidationError {
  const { code, message } = error as { code?: string; message?: string };
  const flag = /'(-{1,2}[^' <]+)/.exec(message ?? '')?.[1] ?? 'arguments';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return new ValidationError(`unknown option ${flag} (see --help)`, flag);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(message ?? ''))
      return new ValidationError(`${flag} takes no value`, flag);
    return new ValidationError(`${flag} needs a value`, flag);
  }
  return new ValidationError(`bad arguments: ${message ?? String(error)}`, 'arguments');
}

export function parseFlags(argv: readonly string[], spec: FlagSpec): ParsedFlags {
  const options: Record<string, OptionSpec> = {};
  // Every value flag is collected as a list, so a repeated non-repeatable flag can be refused.
  for (const name of [...(spec.values ?? []), ...(spec.repeatable ?? [])])
    options[name] = { type: 'string', multiple: true };
  for (const name of spec.switches ?? []) options[name] = { type: 'boolean' };
  for (const [short, name] of Object.entries(spec.aliases ?? {}))
    if (options[name]) (options[name] as OptionSpec).short = short;
  let result: ReturnType<typeof parseArgs>;
  try {
    result = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw flagError(error);
  }
  const repeatable = new Set(spec.repeatable ?? []);
  const parsed: ParsedFlags = {
    values: {},
    lists: {},
    switches: new Set(),
    positionals: [...result.positionals],
  };
  for (const [name, value] of Object.entries(result.values)) {
    if (value === true) parsed.switches.add(name);
    if (!Array.isArray(value)) continue;
    const values = value.map(String);
    if (repeatable.has(name)) {
      parsed.lists[name] = values;
      continue;
    }
    const distinct = [...new Set(values)];
    if (distinct.length > 1)
      throw new ValidationError(`--${name} was given twice (${distinct[0]} and ${distinct[1]})`, `--${name}`);
    parsed.values[name] = distinct[0] as string;
  }
  return parsed;
}

/** A value that must be one of `choices`. */
export function oneOf<T extends string>(
  value: string | undefined,
  choices: readonly T[],
  flag: string
): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new ValidationError(`${flag} must be one of ${choices.join(', ')}, not "${value}"`, flag);
  }
  return value as T;
}

/** A whole number >= min. */
export function positiveInt(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new ValidationError(`${flag} must be a whole number >= ${min}, not "${value}"`, flag);
  return n;
}

const MINUTE_MS = 60_000;
const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: MINUTE_MS,
  h: 60 * MINUTE_MS,
  d: 24 * 60 * MINUTE_MS,
};

/** `90s`, `15m`, `2h`, `1d`, `1h30m` (a bare number is minutes) -> milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * MINUTE_MS);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new ValidationError(`${flag} must be a duration such as 90s, 15m, 2h or 1d, not "${value}"`, flag);
  }
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] ?? 'm'] ?? MINUTE_MS), 0));
}

/** Re-exported: the scripts and the run watchdog print durations the same way. */
export { formatDuration } from '../../stages/shared/durations';
