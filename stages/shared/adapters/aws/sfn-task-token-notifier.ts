/**
 * TaskTokenNotifier on Step Functions: SendTaskSuccess with the approved review manifest,
 * SendTaskFailure with the rejection's error name and message (approval-record.ts).
 */
import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { TaskTokenNotifier } from '../../approval/approval-record';

/** Step Functions' limit on a task failure's cause. */
const MAX_CAUSE_CHARS = 32_768;

export class SfnTaskTokenNotifier implements TaskTokenNotifier {
  constructor(private readonly client: SFNClient) {}

  async succeed(taskToken: string, output: unknown): Promise<void> {
    await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    await this.client.send(
      new SendTaskFailureCommand({ taskToken, error, cause: cause.slice(0, MAX_CAUSE_CHARS) })
    );
  }
}
