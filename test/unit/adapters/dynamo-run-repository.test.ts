import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoRunRepository } from '../../../stages/shared/adapters/aws/dynamo-run-repository';
import { toRunRecord } from '../../../stages/shared/adapters/aws/run-item';
import { ConflictError, ValidationError } from '../../../stages/shared/errors';
import { sha256 } from '../../../stages/shared/hashing';
import type { NewRun } from '../../../stages/shared/ports';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const TABLE = 'runs-table';
const NOW = '2025-03-01T10:00:00.000Z';
const newRun: NewRun = {
  runId: 'run-1',
  podcastId: 'tech',
  mode: 'monolithic',
  inputHash: 'h1',
  input: { podcastId: 'tech' },
};
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

function storedItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...newRun,
    status: 'running',
    runAttempt: 1,
    createdAt: NOW,
    updatedAt: NOW,
    stageAttempts: {},
    progressPoints: 0,
    usage: {},
    ...overrides,
  };
}

function repo(): DynamoRunRepository {
  return new DynamoRunRepository(client, TABLE);
}

afterEach(() => ddb.reset());

describe('DynamoRunRepository.claim', () => {
  it('creates the run with a conditional put', async () => {
    ddb.on(PutCommand).resolves({});

    const result = await repo().claim(newRun, NOW);

    const put = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put).toMatchObject({ TableName: TABLE, ConditionExpression: 'attribute_not_exists(runId)' });
    expect(put?.Item).toMatchObject({
      runId: 'run-1',
      status: 'running',
      runAttempt: 1,
      stageAttempts: {},
      usage: {},
    });
    expect(result.outcome).toBe('created');
    expect(result.run).toMatchObject({
      status: 'running',
      doneUnits: [],
      progressPercent: 0,
      createdAt: NOW,
    });
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
  });

  it.each([
    ['running', 'already-running'],
    ['succeeded', 'already-succeeded'],
    ['skipped', 'already-skipped'],
  ])('returns an existing %s run as %s without writing', async (status, outcome) => {
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: storedItem({ status }) });

    const result = await repo().claim(newRun, NOW);

    expect(result.outcome).toBe(outcome);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('rejects a reused runId with a different input as a ValidationError naming runId', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: storedItem({ inputHash: 'other' }) });

    const error = await repo()
      .claim(newRun, NOW)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('runId');
    expect((error as Error).message).toContain('run-1');
  });

  it('resumes a failed run with a conditional update that bumps runAttempt and clears the error', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb
      .on(GetCommand)
      .resolves({ Item: storedItem({ status: 'failed', error: { name: 'X', message: 'boom' } }) });
    ddb
      .on(UpdateCommand)
      .resolves({ Attributes: storedItem({ status: 'running', runAttempt: 2, updatedAt: 'later' }) });

    const result = await repo().claim(newRun, 'later');

    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update?.ConditionExpression).toBe('#status = :failed AND inputHash = :inputHash');
    expect(update?.UpdateExpression).toContain('runAttempt = runAttempt + :one');
    expect(update?.UpdateExpression).toContain('REMOVE #error');
    expect(update?.ExpressionAttributeValues).toMatchObject({ ':inputHash': 'h1', ':now': 'later' });
    expect(result).toMatchObject({ outcome: 'resumed', run: { runAttempt: 2, status: 'running' } });
    expect(result.run.error).toBeUndefined();
  });

  it('re-reads when another process resumed the run first', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: storedItem({ status: 'failed' }) })
      .resolves({ Item: storedItem({ status: 'running', runAttempt: 2 }) });
    ddb.on(UpdateCommand).rejects(conditionFailed());

    const result = await repo().claim(newRun, NOW);

    expect(result).toMatchObject({ outcome: 'already-running', run: { runAttempt: 2 } });
  });
});

describe('DynamoRunRepository.recordRejected', () => {
  it('writes a failed run only when absent and swallows the failed condition', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());

    await expect(
      repo().recordRejected(newRun, { name: 'ValidationError', message: 'bad' }, NOW)
    ).resolves.toBeUndefined();

    const put = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put?.ConditionExpression).toBe('attribute_not_exists(runId)');
    expect(put?.Item).toMatchObject({ status: 'failed', error: { name: 'ValidationError', message: 'bad' } });
  });

  it("stores the input's size and sha256 and the error, never the input itself", async () => {
    ddb.on(PutCommand).resolves({});
    const json = JSON.stringify(newRun.input);

    await repo().recordRejected(
      newRun,
      { stage: 'prepare', name: 'ValidationError', message: 'input.episode.title: too long' },
      NOW
    );

    const item = ddb.commandCalls(PutCommand)[0]?.args[0].input.Item as Record<string, unknown>;
    expect(item).not.toHaveProperty('input');
    expect(item.rejectedInput).toEqual({ bytes: Buffer.byteLength(json), sha256: sha256(json) });
    expect(toRunRecord(item)).toMatchObject({
      status: 'failed',
      input: null,
      rejectedInput: { bytes: Buffer.byteLength(json) },
      error: { message: 'input.episode.title: too long' },
    });
  });

  it('lets other errors through', async () => {
    ddb.on(PutCommand).rejects(new Error('ProvisionedThroughputExceeded'));

    await expect(repo().recordRejected(newRun, { name: 'E', message: 'm' }, NOW)).rejects.toThrow(
      'ProvisionedThroughputExceeded'
    );
  });
});

describe('DynamoRunRepository units', () => {
  it('beginUnit is one UpdateItem that increments the unit attempt and returns it', async () => {
    ddb
      .on(UpdateCommand)
      .resolves({ Attributes: { stageAttempts: { 'tts/1': 3 }, currentStage: 'tts', updatedAt: NOW } });

    const attempt = await repo().beginUnit('run-1', 'tts/1', 'tts', NOW);

    expect(attempt).toBe(3);
    expect(ddb.calls()).toHaveLength(1);
    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update).toMatchObject({
      Key: { runId: 'run-1' },
      UpdateExpression:
        'SET stageAttempts.#unit = if_not_exists(stageAttempts.#unit, :zero) + :one, currentStage = :stage, updatedAt = :now',
      ConditionExpression: 'attribute_exists(runId)',
      ExpressionAttributeNames: { '#unit': 'tts/1' },
      ReturnValues: 'UPDATED_NEW',
    });
  });

  it('beginUnit on a missing run is a ConflictError', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());

    await expect(repo().beginUnit('nope', 'prepare', 'prepare', NOW)).rejects.toBeInstanceOf(ConflictError);
  });

  it('completeUnit adds the unit to a string set under a NOT contains condition and derives the percent', async () => {
    ddb.on(UpdateCommand).resolves({
      Attributes: storedItem({
        doneUnits: new Set(['prepare', 'discover']),
        progressPoints: 3,
        progressTotal: 7,
      }),
    });

    const percent = await repo().completeUnit('run-1', 'discover', 2, 7, NOW);

    expect(percent).toBe(42.9);
    expect(ddb.calls()).toHaveLength(1);
    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update?.UpdateExpression).toBe(
      'ADD doneUnits :unitSet, progressPoints :weight SET progressTotal = :total, updatedAt = :now'
    );
    expect(update?.ConditionExpression).toBe('attribute_exists(runId) AND NOT contains(doneUnits, :unit)');
    expect(update?.ExpressionAttributeValues?.[':unitSet']).toEqual(new Set(['discover']));
    expect(update?.ReturnValues).toBe('ALL_NEW');
  });

  it('completeUnit of a unit already done reads the progress instead of counting it twice', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({
      Item: storedItem({ doneUnits: new Set(['prepare']), progressPoints: 1, progressTotal: 3 }),
    });

    await expect(repo().completeUnit('run-1', 'prepare', 1, 3, NOW)).resolves.toBe(33.3);
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
      Key: { runId: 'run-1' },
      ConsistentRead: true,
    });
  });

  it('completeUnit on a missing run is a ConflictError', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({});

    await expect(repo().completeUnit('nope', 'prepare', 1, 3, NOW)).rejects.toBeInstanceOf(ConflictError);
  });

  it('touch and recordUsage are conditional on the run existing', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { updatedAt: NOW } });

    await repo().touch('run-1', NOW);
    await repo().recordUsage('run-1', 'script', { tokens: 12 }, NOW);

    const [touch, usage] = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(touch).toMatchObject({
      UpdateExpression: 'SET updatedAt = :now',
      ConditionExpression: 'attribute_exists(runId)',
    });
    expect(usage).toMatchObject({
      UpdateExpression: 'SET #usage.#stage = :usage, updatedAt = :now',
      ExpressionAttributeNames: { '#usage': 'usage', '#stage': 'script' },
      ExpressionAttributeValues: { ':usage': { tokens: 12 } },
    });
  });
});

describe('DynamoRunRepository final states', () => {
  it('markSucceeded is conditional on status running', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { status: 'succeeded' } });

    await repo().markSucceeded('run-1', { episodeId: '2025-03-01', guid: 'g' }, NOW);

    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update).toMatchObject({
      ConditionExpression: '#status = :running',
      ExpressionAttributeNames: { '#status': 'status' },
    });
    expect(update?.UpdateExpression).toBe('SET #status = :status, #f0 = :f0, #f1 = :f1, updatedAt = :now');
    expect(update?.ExpressionAttributeNames).toMatchObject({ '#f0': 'episodeId', '#f1': 'guid' });
    expect(update?.ExpressionAttributeValues).toMatchObject({
      ':status': 'succeeded',
      ':f0': '2025-03-01',
      ':f1': 'g',
    });
  });

  it('markSucceeded is a no-op on a succeeded run and a ConflictError on a failed one', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: storedItem({ status: 'succeeded' }) })
      .resolves({ Item: storedItem({ status: 'failed' }) });

    await expect(repo().markSucceeded('run-1', { episodeId: 'e', guid: 'g' }, NOW)).resolves.toBeUndefined();
    await expect(repo().markSucceeded('run-1', { episodeId: 'e', guid: 'g' }, NOW)).rejects.toThrow(
      'run "run-1" is failed, not running'
    );
  });

  it('markSkipped is conditional on status running and stores the stage and the reason', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { status: 'skipped' } });

    await repo().markSkipped('run-1', { stage: 'discover', reason: 'no new stories' }, NOW);

    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update).toMatchObject({
      UpdateExpression: 'SET #status = :status, #f0 = :f0, updatedAt = :now',
      ConditionExpression: '#status = :running',
      ExpressionAttributeNames: { '#status': 'status', '#f0': 'skipped' },
    });
    expect(update?.ExpressionAttributeValues).toMatchObject({
      ':status': 'skipped',
      ':f0': { stage: 'discover', reason: 'no new stories' },
    });
  });

  it('markSkipped is a no-op on a skipped run and a ConflictError on one that ended otherwise', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: storedItem({ status: 'skipped' }) })
      .resolves({ Item: storedItem({ status: 'failed' }) });
    const skip = { stage: 'discover', reason: 'r' };

    await expect(repo().markSkipped('run-1', skip, NOW)).resolves.toBeUndefined();
    await expect(repo().markSkipped('run-1', skip, NOW)).rejects.toThrow(
      'run "run-1" is failed, not running'
    );
  });

  it('putApproval is conditional on the run running and the approval state it expects', async () => {
    const approval = {
      what: 'script' as const,
      state: 'approved' as const,
      requestedAt: NOW,
      deadline: NOW,
      review: { key: 'runs/run-1/review/edits/abc.json' },
      rules: { configKey: 'runs/run-1/prepare/podcast.json', knownStoryIds: ['s1'], targetWords: 400 },
    };
    ddb.on(UpdateCommand).resolvesOnce({ Attributes: {} }).rejects(conditionFailed());

    await expect(repo().putApproval('run-1', approval, 'awaiting', NOW)).resolves.toBe(true);
    await expect(repo().putApproval('run-1', approval, undefined, NOW)).resolves.toBe(false);

    const [decide, first] = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(decide).toMatchObject({
      ConditionExpression: '#status = :running AND #approval.#state = :expected',
      ExpressionAttributeValues: { ':expected': 'awaiting', ':approval': approval },
    });
    expect(first?.ConditionExpression).toBe('#status = :running AND attribute_not_exists(#approval)');
    expect(toRunRecord(storedItem({ approval })).approval).toEqual(approval);
    expect(toRunRecord(storedItem({ approval: { state: 'bogus' } })).approval).toBeUndefined();
  });

  it('markFailed never moves a final run and only complains about a missing one', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: storedItem({ status: 'succeeded' }) })
      .resolves({});

    await expect(
      repo().markFailed('run-1', { stage: 'mix', name: 'E', message: 'm' }, NOW)
    ).resolves.toBeUndefined();
    await expect(repo().markFailed('gone', { name: 'E', message: 'm' }, NOW)).rejects.toBeInstanceOf(
      ConflictError
    );
    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update).toMatchObject({
      ConditionExpression: '#status = :running',
      ExpressionAttributeNames: { '#f0': 'error' },
    });
  });
});

describe('DynamoRunRepository.list and mapping', () => {
  it('queries the byStatus index newest first when a status is given', async () => {
    ddb.on(QueryCommand).resolves({ Items: [storedItem({ runId: 'b' }), storedItem({ runId: 'a' })] });

    const runs = await repo().list({ status: 'running', limit: 2 });

    expect(runs.map((r) => r.runId)).toEqual(['b', 'a']);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'byStatus',
      KeyConditionExpression: '#status = :status',
      ExpressionAttributeValues: { ':status': 'running' },
      ScanIndexForward: false,
      Limit: 2,
    });
  });

  it('scans one limited page without a status, sorted newest created first', async () => {
    ddb.on(ScanCommand).resolves({
      Items: [
        storedItem({ runId: 'old', createdAt: '2025-01-01' }),
        storedItem({ runId: 'new', createdAt: '2025-02-01' }),
      ],
    });

    const runs = await repo().list({ limit: 10 });

    expect(runs.map((r) => r.runId)).toEqual(['new', 'old']);
    expect(ddb.commandCalls(ScanCommand)[0]?.args[0].input).toMatchObject({ TableName: TABLE, Limit: 10 });
  });

  it('maps sets to sorted arrays, fills defaults and reports 100% for a succeeded run', () => {
    const running = toRunRecord(
      storedItem({ doneUnits: new Set(['b', 'a']), progressPoints: 1, progressTotal: 4 })
    );
    const bare = toRunRecord({ runId: 'r', status: 'failed' });
    const done = toRunRecord(
      storedItem({ status: 'succeeded', progressPoints: 2, progressTotal: 4, episodeId: 'e', guid: 'g' })
    );

    expect(running).toMatchObject({ doneUnits: ['a', 'b'], progressPercent: 25 });
    expect(running.usage).toBeUndefined();
    expect(bare).toMatchObject({
      doneUnits: [],
      stageAttempts: {},
      progressPoints: 0,
      progressPercent: 0,
      runAttempt: 1,
    });
    expect(done).toMatchObject({ progressPercent: 100, episodeId: 'e', guid: 'g' });
  });

  it('reads a skipped run with its reason, complete (nothing left to do)', () => {
    const skipped = toRunRecord(
      storedItem({
        status: 'skipped',
        progressPoints: 4,
        progressTotal: 95,
        skipped: { stage: 'discover', reason: 'no new stories' },
      })
    );

    expect(skipped).toMatchObject({
      status: 'skipped',
      progressPercent: 100,
      skipped: { stage: 'discover', reason: 'no new stories' },
    });
    expect(toRunRecord(storedItem({ status: 'paused' })).status).toBe('failed');
  });
});
