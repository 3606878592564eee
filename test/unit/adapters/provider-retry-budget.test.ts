/**
 * One retry layer per concern (issue 12): the SDK retries inside a provider call, the plan retries
 * the stage. aws-sdk-client-mock replaces the client's `send`, so the SDK's retry middleware never
 * runs under it; these tests use real clients built by sdk-clients.ts instead, with a request
 * handler in place of the network that answers every request with a 429 throttle, and count the
 * requests that reach it.
 */
import { shouldRetry } from '../../../containers/orchestrator/engine/retry-policy';
import { getStage, STAGES } from '../../../stages/pipeline-plan';
import { BedrockWriter } from '../../../stages/shared/adapters/cloud/bedrock-writer';
import { PollySpeech } from '../../../stages/shared/adapters/cloud/polly-speech';
import {
  bedrockRuntimeClient,
  createBedrockRuntimeClient,
  createPollyClient,
  pollyClient,
  PROVIDER_CALLING_STAGES,
  PROVIDER_SDK_MAX_ATTEMPTS,
  secretsManagerClient,
  WORST_CASE_PROVIDER_CALLS,
  WORST_CASE_PROVIDER_CALLS_BY_STAGE,
} from '../../../stages/shared/adapters/cloud/sdk-clients';
import type { Host } from '../../../stages/shared/config-schema';
import { FatalStageError, RetryableStageError } from '../../../stages/shared/errors';
import type { ScrapedStory } from '../../../stages/shared/content-types';
import { podcastConfig } from '../../fixtures/podcast-config';

const MODEL = 'amazon.nova-lite-v1:0';
const podcast = podcastConfig({ providers: { writer: 'bedrock', speech: 'polly', bedrockModelId: MODEL } });
const story: ScrapedStory = {
  id: 's1',
  sourceId: 'news',
  sourceName: 'News',
  title: 'Kernel news',
  url: 'https://news.example.com/k',
  text: 'The kernel shipped. It is fast.',
  wordCount: 6,
};
const ava: Host = { id: 'ava', name: 'Ava', role: 'lead', voice: { pitch: 50, speed: 165 } };

/**
 * Stands in for the network: every request is throttled (HTTP 429, ThrottlingException). Like the
 * SDK's NodeHttpHandler, it refuses to send when the request's abort signal has already fired.
 */
function throttlingHandler(
  onRequest: () => void = () => undefined,
  answer = { status: 429, errorType: 'ThrottlingException', message: 'Rate exceeded' }
) {
  const handler = {
    /** Requests that went "over the wire". */
    requests: 0,
    signals: [] as unknown[],
    async handle(_request: unknown, options: { abortSignal?: AbortSignal } = {}) {
      handler.signals.push(options.abortSignal);
      if (options.abortSignal?.aborted)
        throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      handler.requests++;
      onRequest();
      return {
        response: {
          statusCode: answer.status,
          headers: { 'content-type': 'application/json', 'x-amzn-errortype': answer.errorType },
          body: new TextEncoder().encode(JSON.stringify({ message: answer.message })),
        },
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };
  return handler;
}

const offline = (requestHandler: ReturnType<typeof throttlingHandler>) => ({
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  requestHandler,
});

// The SDK's backoff is `random() * base * 2^n`: no waiting in these tests, the attempts unchanged.
beforeEach(() => jest.spyOn(Math, 'random').mockReturnValue(0));
afterEach(() => jest.restoreAllMocks());

describe('the SDK retry configuration of the provider clients', () => {
  it('gives the Bedrock, Polly and Secrets Manager clients the standard strategy with the bounded budget', async () => {
    for (const client of [bedrockRuntimeClient(), pollyClient(), secretsManagerClient()]) {
      await expect(client.config.maxAttempts()).resolves.toBe(PROVIDER_SDK_MAX_ATTEMPTS);
      await expect(client.config.retryStrategy()).resolves.toMatchObject({ mode: 'standard' });
    }
    expect(PROVIDER_SDK_MAX_ATTEMPTS).toBe(3);
  });

  it('is not changed by AWS_MAX_ATTEMPTS / AWS_RETRY_MODE in the environment', async () => {
    process.env.AWS_MAX_ATTEMPTS = '10';
    process.env.AWS_RETRY_MODE = 'adaptive';
    try {
      const client = createBedrockRuntimeClient();
      await expect(client.config.maxAttempts()).resolves.toBe(PROVIDER_SDK_MAX_ATTEMPTS);
      await expect(client.config.retryStrategy()).resolves.toMatchObject({ mode: 'standard' });
    } finally {
      delete process.env.AWS_MAX_ATTEMPTS;
      delete process.env.AWS_RETRY_MODE;
    }
  });
});

describe('calls one provider request makes within one stage attempt', () => {
  it('Bedrock: a throttle that never ends costs exactly the SDK budget, then a RetryableStageError naming the model', async () => {
    const handler = throttlingHandler();
    const writer = new BedrockWriter({
      modelId: MODEL,
      client: createBedrockRuntimeClient(offline(handler)),
    });

    const error = await writer
      .summarize(story, { podcast, episodeDate: '2026-11-23' })
      .catch((e: unknown) => e);

    expect(handler.requests).toBe(PROVIDER_SDK_MAX_ATTEMPTS);
    expect(error).toBeInstanceOf(RetryableStageError);
    expect((error as Error).message).toBe(
      `bedrock model ${MODEL} (summary of story s1): still failing after 3 attempts (ThrottlingException: Rate exceeded)`
    );
  });

  it('Polly: the same budget per chunk, then a RetryableStageError naming the engine and voice', async () => {
    const handler = throttlingHandler();
    const speech = new PollySpeech({ client: createPollyClient(offline(handler)) });

    const error = await speech.speak('Hello there.', ava).catch((e: unknown) => e);

    expect(handler.requests).toBe(PROVIDER_SDK_MAX_ATTEMPTS);
    expect(error).toBeInstanceOf(RetryableStageError);
    expect((error as Error).message).toBe(
      'polly neural voice Joanna (chunk 1 of 1): still failing after 3 attempts (ThrottlingException: Rate exceeded)'
    );
  });

  it('a request the service rejects is not retried by the SDK: one call, a FatalStageError naming the model', async () => {
    const handler = throttlingHandler(undefined, {
      status: 400,
      errorType: 'ValidationException',
      message: 'The provided model identifier is invalid.',
    });
    const writer = new BedrockWriter({
      modelId: MODEL,
      client: createBedrockRuntimeClient(offline(handler)),
    });

    const error = await writer
      .summarize(story, { podcast, episodeDate: '2026-11-23' })
      .catch((e: unknown) => e);

    expect(handler.requests).toBe(1);
    expect(error).toBeInstanceOf(FatalStageError);
    expect((error as Error).message).toBe(
      `bedrock model ${MODEL} rejected the request for the summary of story s1 (ValidationException: The provided model identifier is invalid.); check providers.bedrockModelId`
    );
  });

  it('an unavailable service gets the same SDK budget as a throttle', async () => {
    const handler = throttlingHandler(undefined, {
      status: 503,
      errorType: 'ServiceUnavailableException',
      message: 'Try again',
    });
    const error = await new PollySpeech({ client: createPollyClient(offline(handler)) })
      .speak('Hi.', ava)
      .catch((e: unknown) => e);
    expect(handler.requests).toBe(PROVIDER_SDK_MAX_ATTEMPTS);
    expect(error).toBeInstanceOf(RetryableStageError);
  });
});

describe('the worst case per provider request', () => {
  it('is the SDK budget times the plan attempts of each stage that calls Bedrock or Polly', () => {
    expect(PROVIDER_CALLING_STAGES.map((s) => s.id)).toEqual(['summarize', 'outline', 'script', 'tts']);
    for (const stage of PROVIDER_CALLING_STAGES) {
      expect(WORST_CASE_PROVIDER_CALLS_BY_STAGE[stage.id]).toBe(
        PROVIDER_SDK_MAX_ATTEMPTS * stage.retry.maxAttempts
      );
    }
    // The number README's Providers section states; a plan or SDK budget change must update it.
    expect(WORST_CASE_PROVIDER_CALLS).toBe(9);
    expect(
      STAGES.filter((s) => !PROVIDER_CALLING_STAGES.includes(s)).every(
        (s) => WORST_CASE_PROVIDER_CALLS_BY_STAGE[s.id] === undefined
      )
    ).toBe(true);
  });

  it.each(['summarize', 'tts'])(
    'is what a request of %s really costs when the plan retry runs every attempt',
    async (stageId) => {
      // Prepare: the plan's policy, applied as the engine applies it (retry-policy.ts), around one request.
      const handler = throttlingHandler();
      const policy = getStage(stageId).retry;
      const request =
        stageId === 'tts'
          ? () => new PollySpeech({ client: createPollyClient(offline(handler)) }).speak('Hello there.', ava)
          : () =>
              new BedrockWriter({
                modelId: MODEL,
                client: createBedrockRuntimeClient(offline(handler)),
              }).summarize(story, { podcast, episodeDate: '2026-11-23' });

      // Act
      let attempt = 0;
      let last: unknown;
      for (;;) {
        attempt++;
        last = await request().catch((e: unknown) => e);
        if (!shouldRetry(policy, last, attempt)) break;
      }

      // Assess
      expect(attempt).toBe(policy.maxAttempts);
      expect(last).toBeInstanceOf(RetryableStageError);
      expect(handler.requests).toBe(WORST_CASE_PROVIDER_CALLS_BY_STAGE[stageId]);
      expect(handler.requests).toBe(9);
    }
  );
});

describe('the caller abort signal', () => {
  it('reaches the SDK request handler on every attempt', async () => {
    const handler = throttlingHandler();
    const signal = new AbortController().signal;
    const writer = new BedrockWriter({
      modelId: MODEL,
      client: createBedrockRuntimeClient(offline(handler)),
    });
    await writer.summarize(story, { podcast, episodeDate: '2026-11-23', signal }).catch(() => undefined);
    expect(handler.signals).toHaveLength(PROVIDER_SDK_MAX_ATTEMPTS);
    expect(handler.signals.every((s) => s === signal)).toBe(true);
  });

  it('stops the SDK retries: an aborted request is not sent, and an abort after the first throttle ends the call without retries', async () => {
    // Prepare
    const aborted = new AbortController();
    aborted.abort();
    const idle = throttlingHandler();
    const controller = new AbortController();
    const abortsOnFirst = throttlingHandler(() => controller.abort());

    // Act
    const before = await new PollySpeech({ client: createPollyClient(offline(idle)) })
      .speak('Hello.', ava, { signal: aborted.signal })
      .catch((e: unknown) => e);
    const during = await new BedrockWriter({
      modelId: MODEL,
      client: createBedrockRuntimeClient(offline(abortsOnFirst)),
    })
      .summarize(story, { podcast, episodeDate: '2026-11-23', signal: controller.signal })
      .catch((e: unknown) => e);

    // Assess
    expect(idle.requests).toBe(0);
    expect(idle.signals.every((s) => s === aborted.signal)).toBe(true);
    expect(before).toMatchObject({ name: 'AbortError' });
    expect(abortsOnFirst.requests).toBe(1);
    expect(during).toMatchObject({ name: 'AbortError' });
  });
});
