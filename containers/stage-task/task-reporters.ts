/**
 * How a stage task tells its orchestrator how it went. In Step Functions: the task token API
 * (heartbeats while working, then success with the manifest or failure with the error's name, so
 * the state's Retry/Catch match it). Locally (no token): exactly one JSON line on stdout.
 */
import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { describeError } from '../../stages/shared/errors';
import type { Logger } from '../../stages/shared/ports';

/** Step Functions' limits on SendTaskFailure. */
const MAX_ERROR_CHARS = 256;
const MAX_CAUSE_CHARS = 32768;

/** Errors saying the state no longer waits for this token: heartbeats are pointless after them. */
const TOKEN_GONE_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export interface TaskReporter {
  /** False when the orchestrator no longer listens (heartbeats should stop). */
  heartbeat(): Promise<boolean>;
  succeed(output: unknown): Promise<void>;
  /** Reports the failure; false when even that could not be delivered. */
  fail(name: string, message: string): Promise<boolean>;
}

/** The line a local stage task prints: `{"output": ...}` or `{"error": name, "cause": message}`. */
export type StageTaskResultLine = { output: unknown } | { error: string; cause: string };

export class TaskTokenReporter implements TaskReporter {
  constructor(
    private readonly sfn: SFNClient,
    private readonly taskToken: string,
    private readonly logger: Logger
  ) {}

  async heartbeat(): Promise<boolean> {
    try {
      await this.sfn.send(new SendTaskHeartbeatCommand({ taskToken: this.taskToken }));
      return true;
    } catch (error) {
      const described = describeError(error);
      this.logger.warn('task heartbeat failed', { error: described });
      return !TOKEN_GONE_ERRORS.has(described.name);
    }
  }

  async succeed(output: unknown): Promise<void> {
    await this.sfn.send(
      new SendTaskSuccessCommand({ taskToken: this.taskToken, output: JSON.stringify(output ?? null) })
    );
  }

  async fail(name: string, message: string): Promise<boolean> {
    try {
      await this.sfn.send(
        new SendTaskFailureCommand({
          taskToken: this.taskToken,
          error: name.slice(0, MAX_ERROR_CHARS),
          cause: message.slice(0, MAX_CAUSE_CHARS),
        })
      );
      return true;
    } catch (error) {
      this.logger.error('could not report the task failure', {
        error: describeError(error),
        reported: { name, message },
      });
      return false;
    }
  }
}

export class StdoutReporter implements TaskReporter {
  constructor(private readonly writeLine: (line: string) => Promise<void> | void) {}

  async heartbeat(): Promise<boolean> {
    return true;
  }

  async succeed(output: unknown): Promise<void> {
    await this.writeLine(JSON.stringify({ output: output ?? null } satisfies StageTaskResultLine));
  }

  async fail(name: string, message: string): Promise<boolean> {
    await this.writeLine(JSON.stringify({ error: name, cause: message } satisfies StageTaskResultLine));
    return true;
  }
}
