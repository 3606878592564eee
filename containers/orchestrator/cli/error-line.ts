/**
 * How the orchestrator command reports a failure on stderr: always exactly one line. Bad input
 * is `error: <message naming the field>` (exit 2); an unexpected error (a full disk, a socket
 * reset, a bug) is `error: <Name>: <message>` (exit 1), its stack only in a debug log line.
 * Anything the line quotes (a file name, a field, an error message) is escaped so that it can
 * neither break the line nor drive the terminal.
 */
import { describeError } from '../../../stages/shared/errors';
import type { Logger } from '../../../stages/shared/ports';

const UNPRINTABLE = /[\p{Cc}\u2028\u2029]/gu;

/** The text with control characters and line breaks written as `\n`, `\u001b`, ... */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) =>
    c === '\n'
      ? '\\n'
      : c === '\r'
        ? '\\r'
        : c === '\t'
          ? '\\t'
          : `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`
  );
}

/** `error: <message>\n`. */
export function errorLine(message: string): string {
  return `error: ${printable(message)}\n`;
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
