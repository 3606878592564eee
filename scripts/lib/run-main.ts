// Node 20 is the local floor (images and Lambdas run 22) and the lockfile pins the SDK: its
// "will require node >=22" notice is noise on every script run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { describeError } from '../../stages/shared/errors';

/**
 * A reader that stopped reading (`runs list | head -1`) ends the script quietly with exit 0, as
 * Unix tools end on SIGPIPE: Node ignores SIGPIPE, so a write to the closed pipe fails with EPIPE,
 * which the stream emits as an 'error' event and, unhandled, would crash with a stack trace. Any
 * other stdout error still crashes. Whatever the script was doing is done by the time it prints
 * (the runs commands print after they act), so nothing is cut short but the output nobody reads.
 */
export function endQuietlyWhenStdoutCloses(stdout: NodeJS.WriteStream = process.stdout): void {
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}

/** How every script's entry point ends: its exit code, or one `error: <Name>: <message>` line and exit 1. */
export function runMain(main: Promise<number>): void {
  endQuietlyWhenStdoutCloses();
  main.then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const { name, message } = describeError(error);
      console.error(`error: ${name}: ${message}`);
      process.exitCode = 1;
    }
  );
}
