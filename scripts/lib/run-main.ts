// Node 20 is the local floor (images and Lambdas run 22) and the lockfile pins the SDK: its
// "will require node >=22" notice is noise on every script run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** How every script's entry point ends: its exit code, or one `error:` line and exit 1. */
export function runMain(main: Promise<number>): void {
  main.then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  );
}
