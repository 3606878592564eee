// Node 20 is the local floor (images and Lambdas run 22) and the lockfile pins the SDK: its
// "will require node >=22" notice is noise on every script run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { dropOutputWhenStdoutCloses } from '../../stages/shared/closed-stdout';
import { describeError } from '../../stages/shared/errors';

/** How every script's entry point ends: its exit code, or one `error: <Name>: <message>` line and exit 1. */
export function runMain(main: Promise<number>): void {
  dropOutputWhenStdoutCloses();
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
