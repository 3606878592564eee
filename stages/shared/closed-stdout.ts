/**
 * A reader that stopped reading (`runs list | head -1`, `npm start -- --json | head`): Node ignores
 * SIGPIPE, so a write to the closed pipe fails with EPIPE, emitted as an 'error' event that,
 * unhandled, crashes the process with a stack trace, in the middle of whatever it was doing (a run
 * left `running`, an image half pushed). Instead the output nobody reads is dropped from then on
 * and the program finishes its work and exits with its own code. Any other stdout error still
 * crashes.
 */
export function dropOutputWhenStdoutCloses(stdout: NodeJS.WriteStream = process.stdout): void {
  let closed = false;
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (closed || error.code === 'EPIPE') {
      if (!closed) {
        closed = true;
        // Later writes go nowhere (the stream is destroyed; writing to it would error again).
        stdout.write = ((_chunk: unknown, encoding?: unknown, callback?: unknown) => {
          const done = typeof encoding === 'function' ? encoding : callback;
          if (typeof done === 'function') (done as () => void)();
          return true;
        }) as typeof stdout.write;
      }
      return;
    }
    throw error;
  });
}
