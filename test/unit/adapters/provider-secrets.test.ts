import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { runnableStage } from '../../../stages/stage-modules';
import { cloudProvidersFromEnv } from '../../../stages/shared/adapters/cloud/create-cloud-providers';
import { ProviderSecrets } from '../../../stages/shared/adapters/cloud/provider-secrets';
import {
  REDACTED,
  redactDeps,
  redactingPort,
  SecretRedactor,
} from '../../../stages/shared/adapters/cloud/secret-redaction';
import { ExtractiveWriter } from '../../../stages/shared/adapters/offline/extractive-writer';
import type { Outline, ScrapedStory, StorySummary } from '../../../stages/shared/content-types';
import { describeError, FatalStageError, RetryableStageError } from '../../../stages/shared/errors';
import type { Logger } from '../../../stages/shared/ports';
import type { Writer, WriterContext } from '../../../stages/shared/providers';
import { failRun } from '../../../stages/shared/run-lifecycle';
import type { StageDeps } from '../../../stages/shared/stage';
import { runStageUnit } from '../../../stages/shared/stage-runner';
import { prepareWorld, providers, RUN_ID, runContentStages, stageInput } from '../stages/content-fixtures';

const secretsManager = mockClient(SecretsManagerClient);
afterEach(() => secretsManager.reset());

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:podcast-provider-keys-AbCdEf';
const KEY = 'sk-live-5f2b9c0e1d7a';
const secretString = (values: Record<string, unknown>) => ({
  SecretString: JSON.stringify(values),
  $metadata: {},
});

function secrets(redactor = new SecretRedactor()): ProviderSecrets {
  return new ProviderSecrets({ secretArn: ARN, redactor });
}

describe('ProviderSecrets', () => {
  it('reads the secret once per process: one GetSecretValue for sequential and concurrent callers', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand)
      .resolves(secretString({ 'acme-writer': KEY, 'other-tts': 'tts-key-123456' }));
    const store = secrets();

    // Act
    const concurrent = await Promise.all([
      store.getSecret('acme-writer'),
      store.getSecret('other-tts'),
      store.getSecret('acme-writer'),
    ]);
    const later = await store.getSecret('other-tts');

    // Assess
    expect(concurrent).toEqual([KEY, 'tts-key-123456', KEY]);
    expect(later).toBe('tts-key-123456');
    const calls = secretsManager.commandCalls(GetSecretValueCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({ SecretId: ARN });
  });

  it('names a missing key and the keys it has, never a value', async () => {
    secretsManager.on(GetSecretValueCommand).resolves(secretString({ 'acme-writer': KEY }));
    const error = await secrets()
      .getSecret('acme-tts')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalStageError);
    expect((error as Error).message).toBe(
      'provider secret "acme-tts" is not in the provider secret (it holds acme-writer)'
    );
  });

  it('does not cache a failed read: the next caller tries again', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(throttled)
      .resolves(secretString({ 'acme-writer': KEY }));
    const store = secrets();
    await expect(store.getSecret('acme-writer')).rejects.toBeInstanceOf(RetryableStageError);
    await expect(store.getSecret('acme-writer')).resolves.toBe(KEY);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('fails clearly on access denied, a secret that is not a JSON object, and a process without the ARN', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }))
      .resolves({ SecretString: `not json ${KEY}`, $metadata: {} });
    await expect(secrets().getSecret('x')).rejects.toThrow(
      `could not read the provider secret ${ARN} (AccessDeniedException: not authorized)`
    );
    const notJson: Error = await secrets()
      .getSecret('x')
      .then(
        () => new Error('resolved'),
        (e: unknown) => e as Error
      );
    expect(notJson.message).toBe(`the provider secret ${ARN} is not a JSON object of provider keys`);
    expect(notJson.message).not.toContain(KEY);
    await expect(new ProviderSecrets({ redactor: new SecretRedactor() }).getSecret('x')).rejects.toThrow(
      'PROVIDER_SECRET_ARN is not set'
    );
  });

  it('is wired from the environment the stack sets (PROVIDER_SECRET_ARN)', async () => {
    secretsManager.on(GetSecretValueCommand).resolves(secretString({ 'acme-writer': KEY }));
    const cloud = cloudProvidersFromEnv({
      PROVIDER_SECRET_ARN: ARN,
      BEDROCK_MODEL_ID: 'amazon.nova-lite-v1:0',
    });
    await expect(cloud.secrets?.getSecret('acme-writer')).resolves.toBe(KEY);
    expect(secretsManager.commandCalls(GetSecretValueCommand)[0]?.args[0].input.SecretId).toBe(ARN);
  });
});

describe('SecretRedactor', () => {
  it('scrubs registered values from strings, keys, arrays, nested objects and errors', () => {
    const redactor = new SecretRedactor();
    redactor.add(KEY);
    redactor.add('abc'); // too short to be treated as a secret
    const scrubbed = redactor.scrub({
      message: `bad key ${KEY}`,
      list: [KEY, 1, null],
      nested: { [KEY]: { deep: `x${KEY}y` } },
      error: new Error(`401: ${KEY}`),
      abc: 'abc',
    });
    expect(JSON.stringify(scrubbed)).not.toContain(KEY);
    expect(scrubbed).toMatchObject({
      message: `bad key ${REDACTED}`,
      list: [REDACTED, 1, null],
      nested: { [REDACTED]: { deep: `x${REDACTED}y` } },
      abc: 'abc',
    });
    expect((scrubbed.error as Error).message).toBe(`401: ${REDACTED}`);
  });

  it('passes values through untouched until a secret is loaded, and keeps the port methods working', () => {
    const redactor = new SecretRedactor();
    const value = { a: 1 };
    expect(redactor.scrub(value)).toBe(value);
    const lines: unknown[] = [];
    const logger = redactingPort<Logger & { appendKeys(keys: Record<string, unknown>): void }>(
      {
        debug: () => undefined,
        info: (m, e) => void lines.push([m, e]),
        warn: () => undefined,
        error: () => undefined,
        appendKeys: (keys) => void lines.push(keys),
      },
      redactor
    );
    redactor.add(KEY);
    logger.info(`using ${KEY}`, { key: KEY });
    logger.appendKeys({ apiKey: KEY });
    expect(lines).toEqual([[`using ${REDACTED}`, { key: REDACTED }], { apiKey: REDACTED }]);
  });
});

/** A third-party writer that authenticates with a key from the provider secret; its API echoes a revoked key back. */
class AcmeWriter implements Writer {
  readonly name = 'acme';
  private readonly offline = new ExtractiveWriter();
  constructor(private readonly keys: ProviderSecrets) {}

  async summarize(story: ScrapedStory, ctx: WriterContext): Promise<StorySummary> {
    await this.call('summarize');
    return this.offline.summarize(story, ctx);
  }
  async outline(
    summaries: StorySummary[],
    ctx: WriterContext & { targetWords: number; title?: string }
  ): Promise<Outline> {
    await this.call('outline');
    return this.offline.outline(summaries, ctx);
  }
  async script(): Promise<never> {
    throw new Error('not used');
  }
  private async call(operation: string): Promise<void> {
    const key = await this.keys.getSecret('acme-writer');
    if (operation === 'outline')
      throw new Error(`POST https://api.acme.test/v1/${operation} returned 401: key ${key} is revoked`);
  }
}

describe('a run that used a provider secret', () => {
  it('leaves the secret value out of every log line, event and the run record', async () => {
    // Prepare: the example run up to scrape; deps composed as register-runtime-deps does (redactDeps).
    secretsManager.on(GetSecretValueCommand).resolves(secretString({ 'acme-writer': KEY }));
    const world = await runContentStages(await prepareWorld(), 'scrape');
    const redactor = new SecretRedactor();
    const lines: string[] = [];
    const record = (level: string) => (message: string, extra?: Record<string, unknown>) =>
      void lines.push(JSON.stringify({ level, message, ...extra }));
    const logger: Logger = {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    };
    const deps: StageDeps = redactDeps(
      { ...world.deps, logger, providers: providers({ writer: new AcmeWriter(secrets(redactor)) }) },
      redactor
    );
    await deps.runs.claim(
      { runId: RUN_ID, podcastId: 'tech-weekly', mode: 'monolithic', inputHash: 'h', input: {} },
      '2026-11-23T12:00:00.000Z'
    );

    // Act: summarize uses the key; outline fails with the provider's answer quoting it; the run fails.
    world.stages.summarize = await runStageUnit(runnableStage('summarize'), stageInput(world), deps);
    const failure: Error = await runStageUnit(runnableStage('outline'), stageInput(world), deps).then(
      () => new Error('outline succeeded'),
      (e: unknown) => e as Error
    );
    await failRun(RUN_ID, { stage: 'outline', ...describeError(failure) }, deps);

    // Assess: the error really carried the key (the leak path was exercised)...
    expect(failure.message).toContain(KEY);
    const events = await world.deps.events.list(RUN_ID);
    const run = await world.deps.runs.get(RUN_ID);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['stage.succeeded', 'stage.failed', 'run.failed'])
    );
    expect(lines.length).toBeGreaterThan(2);
    // ...and no log line, event or run field holds it; the redaction marker stands in its place.
    for (const line of lines) expect(line).not.toContain(KEY);
    for (const event of events) expect(JSON.stringify(event)).not.toContain(KEY);
    expect(JSON.stringify(run)).not.toContain(KEY);
    expect(events.find((e) => e.type === 'stage.failed')?.error?.message).toContain(
      `key ${REDACTED} is revoked`
    );
    expect(run?.error?.message).toContain(REDACTED);
    expect(lines.some((line) => line.includes(REDACTED))).toBe(true);
  });
});
