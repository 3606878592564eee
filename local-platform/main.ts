#!/usr/bin/env node
/**
 * `npm run serve`: the local platform's entry point (a composition root only; serve-command.ts).
 */
import '../scripts/lib/run-main';
import { stopChildProcesses } from '../stages/shared/adapters/child-processes';
import { serveCommand } from './serve-command';

let stopping: Promise<void> | undefined;

void serveCommand({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  onStop: (handler) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.on(signal, () => {
        // A second signal while stopping ends at once (the children are stopped too).
        if (stopping) {
          void stopChildProcesses('SIGKILL', 0).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
          return;
        }
        stopping = handler(signal);
      });
  },
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `error: serve crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
    );
    process.exit(1);
  }
);
