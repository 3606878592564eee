/**
 * `runs approve <runId> [--script file.json]` and `runs reject <runId> --reason "..."`: thin
 * wrappers over the approval actions (stages/shared/approval/), which the HTTP API calls too.
 * The script file is the edited Script JSON (start from `runs/<runId>/review/script.json`); it is
 * checked by the same schema and review rules as the pipeline's, and a bad edit changes nothing.
 * `runs edit <runId> --script file.json` edits a published run's script (edit-published-script.ts);
 * the operator then reruns it (`--resume <runId>`), which re-renders and republishes the episode.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TaskTokenNotifier } from '../../stages/shared/approval/approval-record';
import { approveRun } from '../../stages/shared/approval/approve-run';
import { editPublishedScript } from '../../stages/shared/approval/edit-published-script';
import { rejectRun } from '../../stages/shared/approval/reject-run';
import { ValidationError } from '../../stages/shared/errors';
import type { StageDeps } from '../../stages/shared/stage';

export type ApprovalCommand =
  | { command: 'approve'; runId: string; scriptFile?: string }
  | { command: 'reject'; runId: string; reason: string }
  | { command: 'edit'; runId: string; scriptFile: string };

/** Builds the approval command from the parsed flags (runs-commands.ts parses them). */
export function parseApprovalCommand(
  name: 'approve' | 'reject' | 'edit',
  runId: string | undefined,
  values: { script?: string; reason?: string }
): ApprovalCommand {
  if (!runId) throw new ValidationError(`runs ${name} needs a runId`, 'runId');
  if (name === 'edit') {
    if (values.reason !== undefined)
      throw new ValidationError('--reason goes with reject or fail', '--reason');
    if (!values.script)
      throw new ValidationError('runs edit needs --script <edited-script.json>', '--script');
    return { command: 'edit', runId, scriptFile: values.script };
  }
  if (name === 'approve') {
    if (values.reason !== undefined)
      throw new ValidationError('--reason goes with reject or fail', '--reason');
    return { command: 'approve', runId, ...(values.script ? { scriptFile: values.script } : {}) };
  }
  if (values.script !== undefined)
    throw new ValidationError('--script goes with approve or edit', '--script');
  const reason = values.reason?.trim();
  if (!reason)
    throw new ValidationError('runs reject needs --reason "<why the script is rejected>"', '--reason');
  return { command: 'reject', runId, reason };
}

/** An edited script file larger than this is refused before it is read (a script is tens of KiB). */
export const MAX_SCRIPT_FILE_BYTES = 1024 * 1024;

/** The edited script file as JSON; an unreadable, oversized or non-JSON file is named in the error. */
export async function readScriptFile(file: string, cwd: string): Promise<unknown> {
  let text: string;
  try {
    const resolved = path.resolve(cwd, file);
    const { size, isFile } = await stat(resolved).then((s) => ({ size: s.size, isFile: s.isFile() }));
    if (!isFile) throw new ValidationError(`--script ${file}: not a file`, '--script');
    if (size > MAX_SCRIPT_FILE_BYTES)
      throw new ValidationError(
        `--script ${file}: ${size} bytes, over the ${MAX_SCRIPT_FILE_BYTES}-byte limit for a script`,
        '--script'
      );
    text = await readFile(resolved, 'utf8');
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(`--script ${file}: cannot read it (${(error as Error).message})`, '--script');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValidationError(`--script ${file}: not valid JSON (${(error as Error).message})`, '--script');
  }
}

export async function decideApproval(
  command: ApprovalCommand,
  deps: StageDeps,
  context: { cwd: string; notifier?: () => TaskTokenNotifier }
): Promise<string[]> {
  const notifier = context.notifier?.();
  if (command.command === 'reject') {
    const rejected = await rejectRun(
      command.runId,
      { reason: command.reason, ...(notifier ? { notifier } : {}) },
      deps
    );
    return [
      `run ${command.runId} rejected: ${rejected.error.message} (the run is failed: ${rejected.error.name})`,
    ];
  }
  if (command.command === 'edit') {
    const edited = await editPublishedScript(
      command.runId,
      await readScriptFile(command.scriptFile, context.cwd),
      deps
    );
    return [
      `run ${command.runId} edited: attempt ${edited.runAttempt} re-renders episode ${edited.episodeId} with ${edited.scriptKey}`,
      ...edited.fixes.map((fix) => `  review fixed: ${fix}`),
      ...(edited.mode === 'distributed'
        ? [
            // A closed execution keeps its name: the rerun is a new execution of the run's input.
            `rerun it to publish the new version: a new execution of the run's input under a new name: aws stepfunctions describe-execution --execution-arn <execution ${command.runId}'s ARN> --query input --output text > input.json && aws stepfunctions start-execution --state-machine-arn <arn> --name ${rerunExecutionName(command.runId, edited.runAttempt)} --input file://input.json`,
          ]
        : [`rerun it to publish the new version: npm run orchestrator -- --resume ${command.runId}`]),
    ];
  }
  const script = command.scriptFile ? await readScriptFile(command.scriptFile, context.cwd) : undefined;
  const granted = await approveRun(
    command.runId,
    { ...(script !== undefined ? { script } : {}), ...(notifier ? { notifier } : {}) },
    deps
  );
  return [
    `run ${command.runId} approved${granted.edited ? ' with the edited script' : ''}: it goes on with ${granted.scriptKey}`,
    ...granted.fixes.map((fix) => `  review fixed: ${fix}`),
  ];
}

/** A name for the rerun's execution: the runId (cut to fit Step Functions' 80 characters) and the attempt. */
export function rerunExecutionName(runId: string, runAttempt: number): string {
  const suffix = `-r${runAttempt}`;
  return `${runId.slice(0, 80 - suffix.length)}${suffix}`;
}
