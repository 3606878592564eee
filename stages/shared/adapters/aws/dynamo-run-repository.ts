/**
 * RunRepository on DynamoDB. Every state change is one conditional write (no transactions:
 * DynamoDB Local servers such as dynalite do not have them), and a failed condition is mapped to
 * the same outcome the in-memory fake gives: created / resumed / already-running /
 * already-succeeded / already-skipped, a no-op, or a ConflictError (the extra GetItem only then).
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../errors';
import type {
  ClaimResult,
  NewRun,
  RunApproval,
  RunError,
  RunRecord,
  RunRepository,
  RunSkip,
  RunStatus,
} from '../../ports';
import { TABLES } from '../../tables';
import { collectPages, isConditionalCheckFailed } from './dynamo-errors';
import { claimRun } from './dynamo-run-claim';
import { rejectedRunItem, toRunRecord } from './run-item';
import {
  approvalUpdate,
  attemptUpdate,
  completeUnitUpdate,
  endUpdate,
  ownClaimCondition,
  type PutCondition,
  reopenUpdate,
  resumeUpdate,
  usageUpdate,
  unitsAttemptUpdate,
} from './run-item-updates';

const BY_STATUS = TABLES.runs.indexes[0].name;
const DEFAULT_LIST_LIMIT = 50;

export class DynamoRunRepository implements RunRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string
  ) {}

  async get(runId: string): Promise<RunRecord | undefined> {
    const item = await this.item(runId);
    return item && toRunRecord(item);
  }

  async claim(run: NewRun, now: string): Promise<ClaimResult> {
    return claimRun(
      {
        create: (item) => this.putIfAbsent(item),
        read: (runId) => this.item(runId),
        resume: (token) => this.update(run.runId, resumeUpdate(run, now, token)),
      },
      run,
      now
    );
  }

  async recordRejected(run: NewRun, error: RunError, now: string, replacesClaim = false): Promise<void> {
    await this.putIfAbsent(
      rejectedRunItem(run, now, error),
      replacesClaim ? ownClaimCondition(run, now) : undefined
    );
  }

  async beginUnit(runId: string, unit: string, stage: string, now: string): Promise<number> {
    const attempt = await this.incrementAttempt(runId, unit, stage, now, false);
    if (attempt === undefined) throw new ConflictError(`run "${runId}" does not exist`);
    return attempt;
  }

  async beginUnitUnlessDone(
    runId: string,
    unit: string,
    stage: string,
    now: string
  ): Promise<number | 'done'> {
    const attempt = await this.incrementAttempt(runId, unit, stage, now, true);
    if (attempt !== undefined) return attempt;
    // Refused: the unit is done, or there is no such run (which beginUnit reports as a ConflictError).
    await this.require(runId);
    return 'done';
  }

  async beginUnits(
    runId: string,
    units: readonly string[],
    stage: string,
    now: string
  ): Promise<number[] | undefined> {
    const result = await this.update(runId, unitsAttemptUpdate(units, stage, now));
    if (!result) return undefined;
    const attempts = result.stageAttempts as Record<string, unknown> | undefined;
    return units.map((unit) => {
      const attempt = attempts?.[unit];
      if (typeof attempt !== 'number')
        throw new ConflictError(`run "${runId}": UpdateItem returned no attempt count for unit "${unit}"`);
      return attempt;
    });
  }

  /** The unit's attempt counter plus one (and currentStage, updatedAt); undefined when the condition refused it. */
  private async incrementAttempt(
    runId: string,
    unit: string,
    stage: string,
    now: string,
    unlessDone: boolean
  ): Promise<number | undefined> {
    const result = await this.update(runId, attemptUpdate(unit, stage, now, unlessDone));
    if (!result) return undefined;
    const attempt = (result.stageAttempts as Record<string, unknown> | undefined)?.[unit];
    if (typeof attempt !== 'number') {
      throw new ConflictError(`run "${runId}": UpdateItem returned no attempt count for unit "${unit}"`);
    }
    return attempt;
  }

  async completeUnit(
    runId: string,
    unit: string,
    weight: number,
    totalWeight: number,
    now: string
  ): Promise<number> {
    const result = await this.update(runId, completeUnitUpdate(unit, weight, totalWeight, now));
    if (result) return toRunRecord(result).progressPercent;
    // The unit was already done (or the run is missing): report the progress as it stands.
    return (await this.require(runId)).progressPercent;
  }

  async touch(runId: string, now: string): Promise<void> {
    const result = await this.update(runId, {
      UpdateExpression: 'SET updatedAt = :now',
      ConditionExpression: 'attribute_exists(runId)',
      ExpressionAttributeValues: { ':now': now },
      ReturnValues: 'UPDATED_NEW',
    });
    if (!result) throw new ConflictError(`run "${runId}" does not exist`);
  }

  async markSucceeded(
    runId: string,
    result: { episodeId: string; guid: string },
    now: string
  ): Promise<void> {
    const updated = await this.update(runId, endUpdate('succeeded', { ...result }, now));
    if (updated) return;
    const run = await this.require(runId);
    if (run.status === 'succeeded') return;
    throw new ConflictError(`run "${runId}" is ${run.status}, not running`);
  }

  async markSkipped(runId: string, skip: RunSkip, now: string): Promise<void> {
    const updated = await this.update(runId, endUpdate('skipped', { skipped: skip }, now));
    if (updated) return;
    const run = await this.require(runId);
    if (run.status === 'skipped') return;
    throw new ConflictError(`run "${runId}" is ${run.status}, not running`);
  }

  async markFailed(runId: string, error: RunError, now: string): Promise<void> {
    const updated = await this.update(runId, endUpdate('failed', { error }, now));
    // A run that is already final stays as it is; only a missing run is an error.
    if (!updated) await this.require(runId);
  }

  async putApproval(
    runId: string,
    approval: RunApproval,
    expected: RunApproval['state'] | undefined,
    now: string
  ): Promise<boolean> {
    const updated = await this.update(runId, approvalUpdate(approval, expected, now));
    return updated !== undefined;
  }

  async reopenForEdit(
    runId: string,
    expectedAttempt: number,
    approval: RunApproval,
    now: string,
    from: 'succeeded' | 'failed' = 'succeeded'
  ): Promise<RunRecord | undefined> {
    const item = await this.update(runId, reopenUpdate(expectedAttempt, approval, now, from));
    return item && toRunRecord(item);
  }

  async recordUsage(
    runId: string,
    stage: string,
    usage: Record<string, unknown>,
    now: string
  ): Promise<void> {
    const updated = await this.update(runId, usageUpdate(stage, usage, now));
    if (!updated) throw new ConflictError(`run "${runId}" does not exist`);
  }

  /**
   * With a status: a Query on the byStatus index, most recently updated first. Without one: a
   * single Scan of at most `limit` items (not the newest across the table, just one page of it),
   * sorted newest-created first; it is meant for small tables and operator listings.
   */
  async list(options: { limit?: number; status?: RunStatus } = {}): Promise<RunRecord[]> {
    const limit = options.limit ?? DEFAULT_LIST_LIMIT;
    if (options.status) {
      const status = options.status;
      const items = await collectPages(async (startKey) => {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: BY_STATUS,
            KeyConditionExpression: '#status = :status',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': status },
            ScanIndexForward: false,
            Limit: limit,
            ExclusiveStartKey: startKey,
          })
        );
        return page;
      }, limit);
      return items.map(toRunRecord);
    }
    const page = await this.client.send(new ScanCommand({ TableName: this.tableName, Limit: limit }));
    return (page.Items ?? []).map(toRunRecord).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  private async item(runId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { runId }, ConsistentRead: true })
    );
    return Item;
  }

  private async require(runId: string): Promise<RunRecord> {
    const run = await this.get(runId);
    if (!run) throw new ConflictError(`run "${runId}" does not exist`);
    return run;
  }

  /** Conditional put of a new item; false when the run already exists. */
  /** A put that creates the item (or meets `condition` instead); false when the condition refused it. */
  private async putIfAbsent(
    item: Record<string, unknown>,
    condition: PutCondition = { ConditionExpression: 'attribute_not_exists(runId)' }
  ): Promise<boolean> {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition }));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** One conditional UpdateItem on the run; returns its Attributes, or undefined when the condition failed. */
  private async update(
    runId: string,
    params: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>
  ): Promise<Record<string, unknown> | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({ TableName: this.tableName, Key: { runId }, ...params })
      );
      return Attributes ?? {};
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }
}
