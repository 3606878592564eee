/**
 * A claim whose write landed but whose answer was lost (a socket timeout after DynamoDB applied
 * it): the SDK sends the same conditional write again, the retry fails its condition, and the
 * record read back must be recognised as this claim's own (its token), not as another process's
 * running run. Otherwise a fresh start would count as a takeover (no run.started, prepare begun
 * twice) and bad input would leave the run `running` instead of the one failed record.
 */
import { createDynamoDocumentClient } from '../../stages/shared/adapters/aws/aws-clients';
import { DynamoRunRepository } from '../../stages/shared/adapters/aws/dynamo-run-repository';
import { ENV } from '../../stages/shared/env';
import type { NewRun } from '../../stages/shared/ports';
import { startTestServers, type TestServers } from '../helpers/local-servers';

let local: TestServers;
beforeAll(async () => {
  local = await startTestServers();
});
afterAll(async () => {
  await local?.stop();
});

/** A repository whose client loses the answer of the first write of each `operation` (it still lands). */
function losingFirstAnswer(operation: 'PutItem' | 'UpdateItem'): {
  runs: DynamoRunRepository;
  lost: () => number;
} {
  const client = createDynamoDocumentClient(local.servers.env);
  let lost = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === `${operation}Command` && lost === 0) {
        lost++;
        throw Object.assign(new Error('the answer was lost after the write landed'), {
          name: 'TimeoutError',
        });
      }
      return result;
    },
    // Below the SDK's retry: the retry strategy sees the lost answer and sends the request again.
    { step: 'deserialize', name: 'loseFirstAnswer', priority: 'low' }
  );
  return {
    runs: new DynamoRunRepository(client, local.servers.env[ENV.runsTable] as string),
    lost: () => lost,
  };
}

const NOW = '2026-11-27T10:00:00.000Z';
const run = (runId: string): NewRun => ({
  runId,
  podcastId: 'pod',
  mode: 'distributed',
  inputHash: 'hash-a',
  input: { runId },
  firstUnit: { unit: 'prepare', stage: 'prepare' },
});

describe('a claim whose answer is lost and re-sent by the SDK', () => {
  it('still reports the run it created as created, with its first unit begun once', async () => {
    const { runs, lost } = losingFirstAnswer('PutItem');

    const result = await runs.claim(run('lost-create'), NOW);

    expect(lost()).toBe(1);
    expect(result.outcome).toBe('created');
    expect(result.run).toMatchObject({ status: 'running', runAttempt: 1, stageAttempts: { prepare: 1 } });
  });

  it('still reports the failed run it resumed as resumed, one attempt further', async () => {
    const plain = local.persistence.runs;
    await plain.claim(run('lost-resume'), NOW);
    await plain.markFailed('lost-resume', { stage: 'tts', name: 'Error', message: 'boom' }, NOW);
    const { runs, lost } = losingFirstAnswer('UpdateItem');

    const result = await runs.claim(run('lost-resume'), '2026-11-27T11:00:00.000Z');

    expect(lost()).toBe(1);
    expect(result.outcome).toBe('resumed');
    expect(result.run).toMatchObject({ status: 'running', runAttempt: 2 });
  });

  it("leaves another process's running run as already-running", async () => {
    await local.persistence.runs.claim(run('other-process'), NOW);

    const result = await losingFirstAnswer('PutItem').runs.claim(run('other-process'), NOW);

    expect(result.outcome).toBe('already-running');
  });
});
