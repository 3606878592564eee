/**
 * A small, strict command-line parser for the scripts: `--name value` or `--name=value` for
 * value flags, `--name` for switches, everything else positional. An unknown flag or a value flag
 * without a value is a ValidationError naming the flag (exit code 2), never silently ignored.
 */
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

export function parseFlags(argv: readonly string[], spec: FlagSpec): ParsedFlags {
  const valueFlags = new Set([...(spec.values ?? []), ...(spec.repeatable ?? [])]);
  const repeatable = new Set(spec.repeatable ?? []);
  const switches = new Set(spec.switches ?? []);
  const parsed: ParsedFlags = { values: {}, lists: {}, switches: new Set(), positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
    } else if (/^-[A-Za-z]$/.test(arg)) {
      name = spec.aliases?.[arg.slice(1)];
      if (!name) throw new ValidationError(`unknown option ${arg} (see --help)`, arg);
    }
    if (name === undefined) {
      parsed.positionals.push(arg);
      continue;
    }
    if (switches.has(name)) {
      if (inline !== undefined) throw new ValidationError(`--${name} takes no value`, `--${name}`);
      parsed.switches.add(name);
      continue;
    }
    if (!valueFlags.has(name)) throw new ValidationError(`unknown option --${name} (see --help)`, `--${name}`);
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new ValidationError(`--${name} needs a value`, `--${name}`);
      value = next;
      i++;
    }
    if (repeatable.has(name)) (parsed.lists[name] ??= []).push(value);
    else if (parsed.values[name] !== undefined && parsed.values[name] !== value) {
      throw new ValidationError(`--${name} was given twice (${parsed.values[name]} and ${value})`, `--${name}`);
    } else parsed.values[name] = value;
  }
  return parsed;
}

/** A value that must be one of `choices`. */
export function oneOf<T extends string>(value: string | undefined, choices: readonly T[], flag: string): T | undefined {
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
  if (!Number.isInteger(n) || n < min) throw new ValidationError(`${flag} must be a whole number >= ${min}, not "${value}"`, flag);
  return n;
}

const MINUTE_MS = 60_000;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: MINUTE_MS, h: 60 * MINUTE_MS, d: 24 * 60 * MINUTE_MS };

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

/** 42 s, 3m05s, 2h07m, 3d04h: compact and sortable by eye. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes}m${String(totalSeconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d${String(hours % 24).padStart(2, '0')}h`;
}
