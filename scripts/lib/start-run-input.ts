/**
 * The input start-run sends: from a JSON file (the same shape as the orchestrator's input) and/or
 * flags (--podcast-id, --date, --title, --run-id), checked against the run input schema before
 * anything starts. The runId defaults exactly as the orchestrator's does (readRunInput: podcastId
 * plus a hash of the input), computed before the mode flag is added, so the same episode gets the
 * same runId in either mode, and starting it twice cannot run it twice.
 */
import { readJsonFile } from '../../containers/orchestrator/cli/read-json-file';
import path from 'node:path';
import { readRunInput } from '../../containers/orchestrator/cli/read-run-input';
import type { PodcastConfigInput } from '../../stages/shared/config-schema';
import { ValidationError } from '../../stages/shared/errors';
import { RUN_INPUT_MAX_BYTES } from '../../stages/shared/input-limits';
import { type RunInput, runInputSchema } from '../../stages/shared/run-input-schema';
import { parseOrThrow } from '../../stages/shared/validation';
import type { ModeChoice, ModeDecision, OrchestrationMode } from './run-mode';

export interface InputFlags {
  inputFile?: string;
  podcastId?: string;
  /** YYYY-MM-DD. */
  date?: string;
  title?: string;
  runId?: string;
  /** A podcast config to carry inline (input.podcast; prepare resolves a missing publicBaseUrl). */
  podcast?: PodcastConfigInput;
}

export interface BuiltInput {
  raw: Record<string, unknown>;
  parsed: RunInput;
  runId: string;
}

async function readInputFile(file: string): Promise<Record<string, unknown>> {
  const parsed = await readJsonFile(file, 'input file', 'input', RUN_INPUT_MAX_BYTES);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ValidationError(`${file} must hold a JSON object`, 'input');
  return parsed as Record<string, unknown>;
}

/** Sets `obj[key]` from a flag, or checks the file's value agrees with it. */
function merge(obj: Record<string, unknown>, key: string, value: unknown, label: string): void {
  if (value === undefined) return;
  if (obj[key] === undefined) obj[key] = value;
  else if (JSON.stringify(obj[key]) !== JSON.stringify(value)) {
    throw new ValidationError(
      `${label} (${JSON.stringify(value)}) does not match the input file's ${key} (${JSON.stringify(obj[key])})`,
      key
    );
  }
}

/**
 * The run input without the mode flag. `today` (UTC, YYYY-MM-DD) is the episode date when the
 * input is built from flags alone: a runId per podcast and day, so tomorrow's run is a new run.
 */
export async function buildRunInput(flags: InputFlags, cwd: string, today: string): Promise<BuiltInput> {
  if (!flags.inputFile && !flags.podcastId)
    throw new ValidationError('no input: pass an input file, or --podcast-id (with --date)', 'input');
  const raw = flags.inputFile ? await readInputFile(path.resolve(cwd, flags.inputFile)) : {};
  merge(raw, 'podcastId', flags.podcastId, '--podcast-id');
  merge(raw, 'runId', flags.runId, '--run-id');
  const episode = { ...((raw.episode as Record<string, unknown> | undefined) ?? {}) };
  merge(episode, 'date', flags.date ?? (flags.inputFile ? undefined : today), '--date');
  merge(episode, 'title', flags.title, '--title');
  if (Object.keys(episode).length > 0) raw.episode = episode;
  if (flags.podcast) {
    if (raw.podcast !== undefined)
      throw new ValidationError('--podcast: the input file already carries a podcast config', '--podcast');
    if (raw.podcastId !== undefined && raw.podcastId !== flags.podcast.podcastId) {
      throw new ValidationError(
        `--podcast is podcast "${flags.podcast.podcastId}", the input is for "${String(raw.podcastId)}"`,
        'podcastId'
      );
    }
    raw.podcastId ??= flags.podcast.podcastId;
    raw.podcast = flags.podcast;
  }
  const envelope = await readRunInput({ env: { PIPELINE_INPUT: JSON.stringify(raw) } });
  const parsed = parseOrThrow(runInputSchema, envelope.raw, 'input');
  return { raw: envelope.raw, parsed, runId: envelope.runId };
}

/** The mode the input itself asks for (flags.useMonolithicOrchestrator), if it says. */
export function modeInInput(raw: Record<string, unknown>): OrchestrationMode | undefined {
  const flag = (raw.flags as { useMonolithicOrchestrator?: unknown } | undefined)?.useMonolithicOrchestrator;
  if (typeof flag !== 'boolean') return undefined;
  return flag ? 'monolithic' : 'distributed';
}

/**
 * The mode to ask for: an explicit --mode must agree with the input's own flag; without --mode the
 * input's flag wins, then `auto`.
 */
export function requestedMode(
  raw: Record<string, unknown>,
  flag: ModeChoice | undefined
): ModeChoice | { fromInput: OrchestrationMode } {
  const inInput = modeInInput(raw);
  if (inInput && flag && flag !== 'auto' && flag !== inInput) {
    throw new ValidationError(
      `--mode ${flag} contradicts the input's flags.useMonolithicOrchestrator (${inInput})`,
      '--mode'
    );
  }
  if (inInput && (flag === undefined || flag === 'auto')) return { fromInput: inInput };
  return flag ?? 'auto';
}

/** The input with flags.useMonolithicOrchestrator set for the chosen mode. */
export function withMode(raw: Record<string, unknown>, decision: ModeDecision): Record<string, unknown> {
  const flags = {
    ...((raw.flags as Record<string, unknown> | undefined) ?? {}),
    useMonolithicOrchestrator: decision.mode === 'monolithic',
  };
  return { ...raw, flags };
}
