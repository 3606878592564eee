#!/usr/bin/env node
/**
 * The monolithic orchestrator's entry point (composition root): `node`, `docker run` and the
 * Fargate task all start here. Input from a file argument, PIPELINE_INPUT, the execution named by
 * PIPELINE_EXECUTION_ARN (the state machine's monolithic task), or stdin.
 */
// Node 20 is this project's local floor (the images and Lambdas run 22); the lockfile pins the SDK.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { unexpectedErrorLine } from './cli/error-line';
import { readStdin } from './cli/read-run-input';
import { runCommand } from './cli/run-command';
import { installStopSignals, type StopSignal } from './cli/stop-signals';
import { dropOutputWhenStdoutCloses } from '../../stages/shared/closed-stdout';

// `--json | head`: the run goes on to its end when its reader goes (closed-stdout.ts).
dropOutputWhenStdoutCloses();

let terminate: ((signal: StopSignal) => Promise<void>) | undefined;
let stopping = false;
// SIGINT and SIGTERM: record the run failed, end child processes, stop the servers, exit 130/143.
// Once a signal arrived, the stop handler alone exits (the command's own ending stands aside).
installStopSignals({
  stop: (signal) => {
    stopping = true;
    return terminate?.(signal) ?? Promise.resolve();
  },
});

runCommand({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: () => readStdin(),
  executionInput: async (executionArn) => {
    // The execution's region, whatever the task's own; the SDK retries throttling (standard mode).
    const client = new SFNClient({ region: executionArn.split(':')[3] });
    try {
      const { input } = await client.send(new DescribeExecutionCommand({ executionArn }));
      return input ?? '';
    } finally {
      client.destroy();
    }
  },
  onTerminate: (handler) => {
    terminate = handler;
  },
}).then(
  (code) => {
    if (!stopping) process.exit(code);
  },
  (error: unknown) => {
    if (stopping) return;
    process.stderr.write(unexpectedErrorLine(error));
    process.exit(1);
  }
);
