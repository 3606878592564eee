/**
 * Text a terminal shows safely: control characters and line breaks written out as escapes, so
 * that a value from a file, an input or a server can neither break a line nor drive the terminal
 * (colours, window titles, clearing the screen).
 */
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
