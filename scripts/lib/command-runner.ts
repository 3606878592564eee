/**
 * Running external commands (docker, aws, git) for the scripts, behind one small interface so the
 * scripts' logic can be tested with a fake runner. A command is an argv array; the one shell
 * feature needed, a pipe from one command into the next (`aws ecr get-login-password | docker
 * login --password-stdin`), is written as a `|` element and done in-process: the password goes
 * from one child's stdout to the other's stdin and is never printed or logged.
 */
import { spawn } from 'node:child_process';

export type Command = readonly string[];

export interface CommandResult {
  /** The exit code (127 when the program could not be started at all). */
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the child's stdin. */
  input?: string;
  /** Stream the child's output to our stderr as it comes (long builds) instead of only capturing it. */
  stream?: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export type CommandRunner = (command: Command, options?: RunOptions) => Promise<CommandResult>;

export const PIPE = '|';

/** Splits `a ... | b ...` into its stages; a command without `|` is one stage. */
export function pipelineStages(command: Command): string[][] {
  const stages: string[][] = [[]];
  for (const arg of command) {
    if (arg === PIPE) stages.push([]);
    else (stages[stages.length - 1] as string[]).push(arg);
  }
  if (stages.some((stage) => stage.length === 0))
    throw new Error(`empty stage in pipeline: ${formatCommand(command)}`);
  return stages;
}

const SAFE_ARG = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument, quoted for a POSIX shell only when it needs it (so printed plans can be pasted). */
export function shellQuote(arg: string): string {
  if (arg === PIPE) return arg;
  if (arg.length > 0 && SAFE_ARG.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command as one shell line. */
export function formatCommand(command: Command): string {
  return command.map(shellQuote).join(' ');
}

function runOne(argv: string[], options: RunOptions): Promise<CommandResult> {
  return new Promise((resolve) => {
    const [program, ...args] = argv as [string, ...string[]];
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      if (options.stream) process.stderr.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err.push(chunk);
      if (options.stream) process.stderr.write(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' ? `${program}: command not found` : error.message;
      resolve({ code: 127, stdout: '', stderr: reason });
    });
    child.on('close', (code, signal) => {
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') || (signal ? `killed by ${signal}` : ''),
      });
    });
    child.stdin.on('error', () => undefined); // the child may exit without reading its input
    child.stdin.end(options.input ?? '');
  });
}

/**
 * The real runner: each pipeline stage runs after the previous one succeeded, with its stdout as
 * the next stage's stdin (never echoed). The result is the last stage's, or the first failure's.
 */
export const spawnRunner: CommandRunner = async (command, options = {}) => {
  let input = options.input;
  let result: CommandResult = { code: 0, stdout: '', stderr: '' };
  const stages = pipelineStages(command);
  for (const [index, argv] of stages.entries()) {
    const last = index === stages.length - 1;
    // Only the last stage may stream: an earlier stage's stdout is the next one's input (a secret).
    result = await runOne(argv, {
      ...options,
      stream: last && options.stream === true,
      ...(input === undefined ? {} : { input }),
    });
    if (result.code !== 0) return result;
    input = result.stdout;
  }
  return result;
};

/** The first non-empty line of a command's error output, for one-line failure messages. */
export function firstLine(result: CommandResult): string {
  const text = `${result.stderr}\n${result.stdout}`;
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.length > 0) ?? `exit code ${result.code}`
  );
}
