/** Runs the orchestrator command in this process with captured output (the real entry point's logic). */
import path from 'node:path';
import { runCommand } from '../../containers/orchestrator/cli/run-command';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const EXAMPLE_DIR = path.join(REPO_ROOT, 'examples', 'tech-weekly');

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  return {
    isTTY: false,
    write(chunk: string | Uint8Array) {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    },
    text: () => chunks.join(''),
  } as unknown as NodeJS.WriteStream & { text: () => string };
}

export async function runCli(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string } = {}
): Promise<CliOutcome> {
  const stdout = capture();
  const stderr = capture();
  const env = { ...options.env };
  const code = await runCommand({
    argv,
    env,
    cwd: REPO_ROOT,
    stdout,
    stderr,
    stdin: async () => options.stdin,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
