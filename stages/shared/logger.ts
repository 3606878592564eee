/**
 * Loggers. Lambda and containers log JSON through Powertools (serviceName set here, once); the
 * local CLI writes the same structured lines to stderr so stdout stays free for its own output.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from './ports';

export const SERVICE_NAME = 'podcast-platform';

/** The Logger port over Powertools, keeping its Lambda-context helpers for the handler wrapper. */
export interface ContextLogger extends Logger {
  addContext(context: Parameters<PowertoolsLogger['addContext']>[0]): void;
  appendKeys(keys: Record<string, unknown>): void;
}

export function createPowertoolsLogger(): ContextLogger {
  const logger = new PowertoolsLogger({ serviceName: SERVICE_NAME });
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, extra?: Record<string, unknown>) =>
      extra ? logger[level](message, extra) : logger[level](message);
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    addContext: (context) => logger.addContext(context),
    appendKeys: (keys) => logger.appendKeys(keys as Parameters<PowertoolsLogger['appendKeys']>[0]),
  };
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

/** JSON lines on stderr at or above `level`. */
export class StderrLogger implements Logger {
  constructor(
    private readonly level: LogLevel = 'warn',
    private readonly keys: Record<string, unknown> = {}
  ) {}

  child(keys: Record<string, unknown>): StderrLogger {
    return new StderrLogger(this.level, { ...this.keys, ...keys });
  }

  debug(message: string, extra?: Record<string, unknown>): void {
    this.write('debug', message, extra);
  }
  info(message: string, extra?: Record<string, unknown>): void {
    this.write('info', message, extra);
  }
  warn(message: string, extra?: Record<string, unknown>): void {
    this.write('warn', message, extra);
  }
  error(message: string, extra?: Record<string, unknown>): void {
    this.write('error', message, extra);
  }

  private write(level: Exclude<LogLevel, 'silent'>, message: string, extra?: Record<string, unknown>): void {
    if (LEVELS[level] < LEVELS[this.level]) return;
    const line = {
      level: level.toUpperCase(),
      message,
      service: SERVICE_NAME,
      timestamp: new Date().toISOString(),
      ...this.keys,
      ...extra,
    };
    process.stderr.write(`${JSON.stringify(line)}\n`);
  }
}

export const silentLogger: Logger = new StderrLogger('silent');
