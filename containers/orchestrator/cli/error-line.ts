/**
 * How the orchestrator command reports a failure on stderr: always exactly one line. Bad input
 * is `error: <message naming the field>` (exit 2); an unexpected error (a full disk, a socket
 * reset, a bug) is `error: <Name>: <message>` (exit 1), its stack only in a debug log line.
 * Anything the line quotes (a file name, a field, an error message) is escaped so that it can
 * neither break the line nor drive the terminal, and URLs in it lose their query values and
 * user-info (a feed's `?apikey=...` never reaches the terminal or a CI log).
 */
import { redactUrls } from '../../../stages/shared/adapters/cloud/url-redaction';
import { describeError } from '../../../stages/shared/errors';
import { printable } from '../../../stages/shared/printable';

export { printable };
import type { Logger } from '../../../stages/shared/ports';

/** `error: <message>\n`, URL tokens and user-info redacted as in logs and events. */
export function errorLine(message: string): string {
  return `error: ${printable(redactUrls(message))}\n`;
}

/** `error: <Name>: <message>\n` for an error nobody expected; the stack goes to the debug log. */
export function unexpectedErrorLine(error: unknown, logger?: Logger): string {
  const described = describeError(error);
  logger?.debug('unexpected failure', {
    error: described,
    stack: error instanceof Error ? error.stack : undefined,
  });
  return errorLine(`${described.name}: ${described.message}`);
}
