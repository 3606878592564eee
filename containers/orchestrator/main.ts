#!/usr/bin/env node
/**
 * The monolithic orchestrator's entry point (composition root): `node`, `docker run` and the
 * Fargate task all start here. Input from a file argument, PIPELINE_INPUT or stdin.
 */
// Node 20 is this project's local floor (the images and Lambdas run 22); the lockfile pins the SDK.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { readStdin } from './cli/read-run-input';
import { runCommand } from './cli/run-command';

let terminate: (() => Promise<void>) | undefined;
process.once('SIGTERM', () => {
  const stop = terminate ?? (async () => undefined);
  // Fargate sends SIGKILL after the stop timeout: record the run and leave well before it.
  const deadline = setTimeout(() => process.exit(143), 20_000);
  stop()
    .catch(() => undefined)
    .finally(() => {
      clearTimeout(deadline);
      process.exit(143);
    });
});

runCommand({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: () => readStdin(),
  onTerminate: (handler) => {
    terminate = handler;
  },
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
);
