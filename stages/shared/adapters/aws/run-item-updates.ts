/**
 * The conditional UpdateItem parameters of the run repository's unit and approval moves
 * (dynamo-run-repository.ts sends them and maps a failed condition to its outcome).
 */
import type { PutCommandInput, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { NewRun, RunApproval } from '../../ports';

export type RunUpdate = Omit<UpdateCommandInput, 'TableName' | 'Key'>;

/** The unit's attempt counter plus one, currentStage and updatedAt; unless done: not for a done unit. */
export function attemptUpdate(unit: string, stage: string, now: string, unlessDone: boolean): RunUpdate {
  return {
    UpdateExpression:
      'SET stageAttempts.#unit = if_not_exists(stageAttempts.#unit, :zero) + :one, currentStage = :stage, updatedAt = :now',
    ConditionExpression: unlessDone
      ? 'attribute_exists(runId) AND NOT contains(doneUnits, :unitName)'
      : 'attribute_exists(runId)',
    ExpressionAttributeNames: { '#unit': unit },
    ExpressionAttributeValues: {
      ':zero': 0,
      ':one': 1,
      ':stage': stage,
      ':now': now,
      ...(unlessDone ? { ':unitName': unit } : {}),
    },
    ReturnValues: 'UPDATED_NEW',
  };
}

/** Several units' attempt counters plus one in one write, refused when any of them is done. */
export function unitsAttemptUpdate(units: readonly string[], stage: string, now: string): RunUpdate {
  const names = Object.fromEntries(units.map((unit, i) => [`#u${i}`, unit]));
  const values = Object.fromEntries(units.map((unit, i) => [`:n${i}`, unit]));
  return {
    UpdateExpression: `SET ${units
      .map((_, i) => `stageAttempts.#u${i} = if_not_exists(stageAttempts.#u${i}, :zero) + :one`)
      .join(', ')}, currentStage = :stage, updatedAt = :now`,
    ConditionExpression: [
      'attribute_exists(runId)',
      ...units.map((_, i) => `NOT contains(doneUnits, :n${i})`),
    ].join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':stage': stage, ':now': now, ...values },
    ReturnValues: 'UPDATED_NEW',
  };
}

/** Counts the unit done once (a set of unit names) and adds its weight to the run's progress. */
export function completeUnitUpdate(
  unit: string,
  weight: number,
  totalWeight: number,
  now: string
): RunUpdate {
  return {
    UpdateExpression:
      'ADD doneUnits :unitSet, progressPoints :weight SET progressTotal = :total, updatedAt = :now',
    ConditionExpression: 'attribute_exists(runId) AND NOT contains(doneUnits, :unit)',
    ExpressionAttributeValues: {
      ':unitSet': new Set([unit]),
      ':unit': unit,
      ':weight': weight,
      ':total': totalWeight,
      ':now': now,
    },
    ReturnValues: 'ALL_NEW',
  };
}

/** Sets the run's approval while it runs: the first (none yet) or the next from `expected`. */
export function approvalUpdate(
  approval: RunApproval,
  expected: RunApproval['state'] | undefined,
  now: string
): RunUpdate {
  return {
    UpdateExpression: 'SET #approval = :approval, updatedAt = :now',
    ConditionExpression: `#status = :running AND ${expected ? '#approval.#state = :expected' : 'attribute_not_exists(#approval)'}`,
    ExpressionAttributeNames: {
      '#status': 'status',
      '#approval': 'approval',
      ...(expected ? { '#state': 'state' } : {}),
    },
    ExpressionAttributeValues: {
      ':approval': approval,
      ':running': 'running',
      ':now': now,
      ...(expected ? { ':expected': expected } : {}),
    },
    ReturnValues: 'UPDATED_NEW',
  };
}

/** A succeeded run at `expectedAttempt` back to running as its next attempt, with the approved edit. */
export function reopenUpdate(
  expectedAttempt: number,
  approval: RunApproval,
  now: string,
  from: 'succeeded' | 'failed'
): RunUpdate {
  return {
    UpdateExpression:
      'SET #status = :running, runAttempt = runAttempt + :one, #approval = :approval, updatedAt = :now REMOVE #error',
    ConditionExpression: '#status = :from AND runAttempt = :expected',
    ExpressionAttributeNames: { '#status': 'status', '#approval': 'approval', '#error': 'error' },
    ExpressionAttributeValues: {
      ':running': 'running',
      ':from': from,
      ':expected': expectedAttempt,
      ':one': 1,
      ':approval': approval,
      ':now': now,
    },
    ReturnValues: 'ALL_NEW',
  };
}

/** A running run to its final status with the fields that go with it (episode, skip or error). */
export function endUpdate(
  status: 'succeeded' | 'skipped' | 'failed',
  fields: Record<string, unknown>,
  now: string
): RunUpdate {
  const names = Object.keys(fields);
  return {
    UpdateExpression: `SET #status = :status, ${names.map((_, i) => `#f${i} = :f${i}`).join(', ')}, updatedAt = :now`,
    ConditionExpression: '#status = :running',
    ExpressionAttributeNames: {
      '#status': 'status',
      ...Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
    },
    ExpressionAttributeValues: {
      ':status': status,
      ':running': 'running',
      ':now': now,
      ...Object.fromEntries(names.map((name, i) => [`:f${i}`, fields[name]])),
    },
    ReturnValues: 'UPDATED_NEW',
  };
}

/** One stage's provider usage (or the run's cost estimate) in the run's usage map. */
export function usageUpdate(stage: string, usage: Record<string, unknown>, now: string): RunUpdate {
  return {
    UpdateExpression: 'SET #usage.#stage = :usage, updatedAt = :now',
    ConditionExpression: 'attribute_exists(runId)',
    ExpressionAttributeNames: { '#usage': 'usage', '#stage': stage },
    ExpressionAttributeValues: { ':usage': usage, ':now': now },
    ReturnValues: 'UPDATED_NEW',
  };
}

export type PutCondition = Pick<
  PutCommandInput,
  'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
>;

/** A put over no item, or over the record a claim created at `now`, untouched since (recordRejected). */
export function ownClaimCondition(run: NewRun, now: string): PutCondition {
  return {
    ConditionExpression:
      'attribute_not_exists(runId) OR (#status = :running AND runAttempt = :one AND createdAt = :now AND updatedAt = :now AND inputHash = :hash)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':running': 'running', ':one': 1, ':now': now, ':hash': run.inputHash },
  };
}

/**
 * A failed run back to running as its next attempt, for the same input. The input is stored
 * (again): a run once rejected kept only its footprint, and its resume needs it. The claim's token
 * marks the resume as its own (a re-sent resume whose answer was lost is recognised by it).
 */
export function resumeUpdate(run: NewRun, now: string, claimToken: string): RunUpdate {
  return {
    UpdateExpression:
      'SET #status = :running, runAttempt = runAttempt + :one, updatedAt = :now, #input = :input, claimToken = :token REMOVE #error, rejectedInput',
    ConditionExpression: '#status = :failed AND inputHash = :inputHash',
    ExpressionAttributeNames: { '#status': 'status', '#error': 'error', '#input': 'input' },
    ExpressionAttributeValues: {
      ':running': 'running',
      ':failed': 'failed',
      ':one': 1,
      ':now': now,
      ':inputHash': run.inputHash,
      ':input': run.input ?? null,
      ':token': claimToken,
    },
    ReturnValues: 'ALL_NEW',
  };
}
