/**
 * Where the run input comes from, as the container gets it: a file argument, PIPELINE_INPUT,
 * the Step Functions execution named by PIPELINE_EXECUTION_ARN (the state machine's monolithic
 * task passes the input by reference: a container override is capped at 8 KiB, an execution's
 * input at 256 KiB), or stdin; RUN_ID and PODCAST_ID fill in (and must agree with) the input's
 * own fields. Each source
 * is held to the run input's byte cap before it is parsed, and no key may be `__proto__`,
 * `constructor` or `prototype` (stages/shared/input-limits.ts).
 */
import { readJsonFile } from './read-json-file';
import { ValidationError } from '../../../stages/shared/errors';
import { hashJson } from '../../../stages/shared/hashing';
import { checkByteSize, rejectUnsafeKeys, RUN_INPUT_MAX_BYTES } from '../../../stages/shared/input-limits';

export interface InputSources {
  file?: string;
  env: NodeJS.ProcessEnv;
  stdin?: () => Promise<string | undefined>;
  /** The input of a Step Functions execution (DescribeExecution), for PIPELINE_EXECUTION_ARN. */
  executionInput?: (executionArn: string) => Promise<string>;
}

/** The execution whose input the monolithic task runs (set by the state machine). */
export const PIPELINE_EXECUTION_ARN = 'PIPELINE_EXECUTION_ARN';
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:\s]+:[^:\s]+$/;

export interface RunInputEnvelope {
  raw: Record<string, unknown>;
  runId: string;
  podcastId: string;
  source: string;
}

function parseJson(text: string, source: string): unknown {
  checkByteSize(Buffer.byteLength(text, 'utf8'), RUN_INPUT_MAX_BYTES, `${source} (the run input)`, 'input');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${source} is not valid JSON: ${(error as Error).message}`, 'input');
  }
}

async function readSource(sources: InputSources): Promise<{ parsed: unknown; source: string }> {
  if (sources.file)
    return {
      parsed: await readJsonFile(sources.file, 'input file', 'input', RUN_INPUT_MAX_BYTES),
      source: sources.file,
    };
  if (sources.env.PIPELINE_INPUT)
    return { parsed: parseJson(sources.env.PIPELINE_INPUT, 'PIPELINE_INPUT'), source: 'PIPELINE_INPUT' };
  const executionArn = sources.env[PIPELINE_EXECUTION_ARN]?.trim();
  if (executionArn) {
    if (!EXECUTION_ARN.test(executionArn))
      throw new ValidationError(
        `${PIPELINE_EXECUTION_ARN}: "${executionArn}" is not an execution ARN`,
        'input'
      );
    if (!sources.executionInput)
      throw new ValidationError(
        `${PIPELINE_EXECUTION_ARN} is set but this process cannot read executions`,
        'input'
      );
    const source = `the input of execution ${executionArn}`;
    return { parsed: parseJson(await sources.executionInput(executionArn), source), source };
  }
  const stdin = await sources.stdin?.();
  if (stdin && stdin.trim()) return { parsed: parseJson(stdin, 'stdin'), source: 'stdin' };
  throw new ValidationError(
    'no run input: pass a JSON file, set PIPELINE_INPUT (or PIPELINE_EXECUTION_ARN), or pipe JSON on stdin',
    'input'
  );
}

export async function readRunInput(sources: InputSources): Promise<RunInputEnvelope> {
  const { parsed, source } = await readSource(sources);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ValidationError(`${source} must hold a JSON object`, 'input');
  }
  rejectUnsafeKeys(parsed, 'input');
  const raw = { ...(parsed as Record<string, unknown>) };
  for (const [envName, field] of [
    ['RUN_ID', 'runId'],
    ['PODCAST_ID', 'podcastId'],
  ] as const) {
    const fromEnv = sources.env[envName];
    if (!fromEnv) continue;
    if (raw[field] === undefined) raw[field] = fromEnv;
    else if (raw[field] !== fromEnv)
      throw new ValidationError(
        `${envName} (${fromEnv}) does not match input.${field} (${String(raw[field])})`,
        field
      );
  }
  if (typeof raw.podcastId !== 'string' || !raw.podcastId)
    throw new ValidationError('input.podcastId: required (or set PODCAST_ID)', 'podcastId');
  // The same input always gets the same runId, so running it twice resumes instead of duplicating.
  if (raw.runId === undefined) raw.runId = `${raw.podcastId}-${hashJson(raw).slice(0, 12)}`;
  if (typeof raw.runId !== 'string') throw new ValidationError('input.runId: must be a string', 'runId');
  return { raw, runId: raw.runId, podcastId: raw.podcastId, source };
}

/**
 * Reads all of stdin when it is a pipe or file (never waits on an interactive terminal), and
 * stops with a ValidationError once it holds more than `maxBytes` (no unbounded buffering).
 */
export async function readStdin(
  stream: NodeJS.ReadStream = process.stdin,
  maxBytes = RUN_INPUT_MAX_BYTES
): Promise<string | undefined> {
  if (stream.isTTY) return undefined;
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    bytes += buffer.length;
    checkByteSize(bytes, maxBytes, 'stdin (the run input)', 'input', true);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
