import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { runnableStage } from '../../../stages/stage-modules';
import { BedrockWriter } from '../../../stages/shared/adapters/cloud/bedrock-writer';
import { createCloudProviders } from '../../../stages/shared/adapters/cloud/create-cloud-providers';
import { PollySpeech } from '../../../stages/shared/adapters/cloud/polly-speech';
import { createProviders } from '../../../stages/shared/adapters/create-providers';
import { ExtractiveWriter } from '../../../stages/shared/adapters/offline/extractive-writer';
import { MespeakSpeech } from '../../../stages/shared/adapters/offline/mespeak-speech';
import type { Outline, ScrapedStory, StorySummary } from '../../../stages/shared/content-types';
import { COST_USAGE_KEY } from '../../../stages/shared/cost/estimate-cost';
import { refreshRunCost } from '../../../stages/shared/cost/run-cost';
import { DEFAULT_BEDROCK_MODEL_ID } from '../../../stages/shared/cost/price-constants';
import { FatalStageError, RetryableStageError } from '../../../stages/shared/errors';
import type { ProviderUsage, WriterContext } from '../../../stages/shared/providers';
import { runStageUnit } from '../../../stages/shared/stage-runner';
import { podcastConfig } from '../../fixtures/podcast-config';
import { prepareWorld, runContentStages, stageInput } from '../stages/content-fixtures';

const bedrock = mockClient(BedrockRuntimeClient);
afterEach(() => bedrock.reset());

const MODEL = 'amazon.nova-lite-v1:0';
const podcast = podcastConfig({
  providers: { writer: 'bedrock', speech: 'offline', bedrockModelId: MODEL },
  style: { tone: 'formal', bannedPhrases: ['game changer'] },
});
const story: ScrapedStory = {
  id: 's1',
  sourceId: 'news',
  sourceName: 'News',
  title: 'Kernel ships faster scheduler',
  url: 'https://news.example.com/kernel',
  text: 'The kernel team shipped a new scheduler on Monday. It cuts latency by a third on busy servers. Benchmarks ran on 64-core machines. Maintainers expect distributions to adopt it next year.',
  wordCount: 33,
};

function answer(
  text: string,
  stopReason: ConverseCommandOutput['stopReason'] = 'end_turn'
): ConverseCommandOutput {
  return {
    $metadata: {},
    output: { message: { role: 'assistant', content: [{ text }] } },
    stopReason,
    usage: { inputTokens: 1200, outputTokens: 300, totalTokens: 1500 },
    metrics: { latencyMs: 10 },
  };
}

const summaryJson = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    storyId: 's1',
    title: 'Kernel ships faster scheduler',
    sourceName: 'News',
    url: story.url,
    sentences: [
      'The kernel team shipped a new scheduler on Monday.',
      'It cuts latency by a third on busy servers.',
    ],
    keyPoints: ['New scheduler', 'Lower latency'],
    wordCount: 2,
    ...overrides,
  });

/** A throttle as the SDK throws it once its own retries are spent (it records the attempts made). */
const throttled = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 429, attempts: 3 },
  });

function writerContext(usage: ProviderUsage[] = []): WriterContext {
  return { podcast, episodeDate: '2026-11-23', onUsage: (u) => usage.push(u) };
}

function writer(): BedrockWriter {
  return new BedrockWriter({ modelId: MODEL });
}

const sentInputs = () =>
  bedrock.commandCalls(ConverseCommand).map((call) => call.args[0].input as ConverseCommandInput);
const userText = (input: ConverseCommandInput | undefined) => input?.messages?.[0]?.content?.[0]?.text ?? '';

describe('BedrockWriter.summarize', () => {
  it('sends the story text to the configured model with a system prompt and an inference config', async () => {
    // Prepare
    bedrock.on(ConverseCommand).resolves(answer(summaryJson()));
    const usage: ProviderUsage[] = [];

    // Act
    const summary = await writer().summarize(story, writerContext(usage));

    // Assess
    const [input] = sentInputs();
    expect(input).toMatchObject({
      modelId: MODEL,
      inferenceConfig: { temperature: 0.2, maxTokens: expect.any(Number) },
    });
    expect(input?.system?.[0]?.text).toContain('Answer with exactly one JSON object');
    expect(input?.messages).toHaveLength(1);
    expect(userText(input)).toContain(story.text);
    expect(userText(input)).toContain('Story id: s1');
    expect(userText(input)).toContain('"game changer"');
    expect(summary.sentences).toEqual([
      'The kernel team shipped a new scheduler on Monday.',
      'It cuts latency by a third on busy servers.',
    ]);
    expect(summary.wordCount).toBe(18);
    expect(usage).toEqual([{ provider: 'bedrock', model: MODEL, inputTokens: 1200, outputTokens: 300 }]);
  });

  it('accepts an answer in a fenced ```json block with prose around it', async () => {
    bedrock
      .on(ConverseCommand)
      .resolves(answer(`Here is the summary:\n\`\`\`json\n${summaryJson()}\n\`\`\`\nHope it helps.`));
    await expect(writer().summarize(story, writerContext())).resolves.toMatchObject({ storyId: 's1' });
  });

  it('rejects a malformed answer with a clear FatalStageError, without retrying', async () => {
    bedrock.on(ConverseCommand).resolves(answer(summaryJson({ sentences: [] })));
    const error = await writer()
      .summarize(story, writerContext())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalStageError);
    expect((error as Error).message).toBe(
      `bedrock model ${MODEL} returned a malformed summary of story s1: sentences: the summary has no sentences`
    );
    expect(sentInputs()).toHaveLength(1);
  });

  it('rejects an answer that is not JSON, quoting its start', async () => {
    bedrock.on(ConverseCommand).resolves(answer('Sure! The kernel shipped a scheduler.'));
    await expect(writer().summarize(story, writerContext())).rejects.toThrow(
      /returned a summary of story s1 that is not JSON \(.+\); the answer began "Sure! The kernel/
    );
  });

  it('rejects a summary of another story and an answer cut off at maxTokens', async () => {
    bedrock
      .on(ConverseCommand)
      .resolvesOnce(answer(summaryJson({ storyId: 's9' })))
      .resolvesOnce(answer('{"storyId": "s1", "sent', 'max_tokens'));
    await expect(writer().summarize(story, writerContext())).rejects.toThrow(
      `bedrock model ${MODEL} returned a summary for story "s9" when asked for "s1"`
    );
    await expect(writer().summarize(story, writerContext())).rejects.toThrow(
      /was cut off at \d+ output tokens writing the summary of story s1/
    );
  });

  // aws-sdk-client-mock replaces `send`, so the SDK's retry middleware does not run here: one
  // `send` is one provider request, whatever the SDK does inside it (provider-retry-budget.test.ts
  // counts those calls on real clients).
  it('makes one send per request and turns a throttle the SDK gave up on into a RetryableStageError, so the plan retry applies', async () => {
    bedrock.on(ConverseCommand).rejects(throttled());
    const error = await writer()
      .summarize(story, writerContext())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableStageError);
    expect((error as Error).message).toBe(
      `bedrock model ${MODEL} (summary of story s1): still failing after 3 attempts (ThrottlingException: Rate exceeded)`
    );
    expect(sentInputs()).toHaveLength(1);
  });

  it('treats an unavailable model as transient too', async () => {
    bedrock
      .on(ConverseCommand)
      .rejects(Object.assign(new Error('not ready'), { name: 'ModelNotReadyException', $retryable: {} }));
    const error = await writer()
      .summarize(story, writerContext())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableStageError);
    expect((error as Error).message).toBe(
      `bedrock model ${MODEL} (summary of story s1): still failing after the SDK's retries (ModelNotReadyException: not ready)`
    );
  });

  it('turns a rejected request into a FatalStageError naming the model, without retrying', async () => {
    bedrock.on(ConverseCommand).rejects(
      Object.assign(new Error('Malformed input request'), {
        name: 'ValidationException',
        $metadata: { httpStatusCode: 400, attempts: 1 },
      })
    );
    const error = await writer()
      .summarize(story, writerContext())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalStageError);
    expect((error as Error).message).toBe(
      `bedrock model ${MODEL} rejected the request for the summary of story s1 (ValidationException: Malformed input request); check providers.bedrockModelId`
    );
    expect(sentInputs()).toHaveLength(1);
  });

  it('hands the caller abort signal to the SDK, and sends no options without one', async () => {
    bedrock.on(ConverseCommand).resolves(answer(summaryJson()));
    const signal = new AbortController().signal;
    await writer().summarize(story, { ...writerContext(), signal });
    await writer().summarize(story, writerContext());
    // The mock's call records type only the command; `send` got the options as its second argument.
    const [withSignal, without] = bedrock
      .commandCalls(ConverseCommand)
      .map((call) => (call.args as unknown[])[1] as { abortSignal?: AbortSignal });
    expect(withSignal?.abortSignal).toBe(signal);
    expect(without).toEqual({});
  });

  it('turns access denied into a FatalStageError that says what to grant', async () => {
    bedrock.on(ConverseCommand).rejects(
      Object.assign(new Error('not authorized to perform bedrock:InvokeModel'), {
        name: 'AccessDeniedException',
      })
    );
    await expect(writer().summarize(story, writerContext())).rejects.toThrow(
      /access denied for the summary of story s1 .*podcast-platform:bedrockModelId/
    );
    expect(sentInputs()).toHaveLength(1);
  });
});

describe('BedrockWriter.outline and script', () => {
  const summaries: StorySummary[] = [
    {
      storyId: 's1',
      title: 'Kernel ships faster scheduler',
      sourceName: 'News',
      url: story.url,
      sentences: ['The kernel team shipped a new scheduler on Monday.'],
      keyPoints: ['Lower latency'],
      wordCount: 9,
    },
  ];
  const outline: Outline = {
    episodeTitle: 'The scheduler week',
    targetWords: 450,
    segments: [
      { id: 'intro', kind: 'intro', title: 'Welcome', targetWords: 50 },
      { id: 'story-1', kind: 'story', title: 'A faster scheduler', storyId: 's1', targetWords: 350 },
      { id: 'outro', kind: 'outro', title: 'Goodbye', targetWords: 50 },
    ],
  };

  it('plans the outline from the summaries, keeping the fixed title and our target length', async () => {
    bedrock
      .on(ConverseCommand)
      .resolves(answer(JSON.stringify({ ...outline, episodeTitle: 'Model title', targetWords: 999 })));
    const result = await writer().outline(summaries, {
      ...writerContext(),
      targetWords: 450,
      title: 'Fixed title',
    });
    expect(result).toMatchObject({
      episodeTitle: 'Fixed title',
      targetWords: 450,
      segments: outline.segments,
    });
    expect(userText(sentInputs()[0])).toContain('story "s1": "Kernel ships faster scheduler" (News)');
  });

  it('rejects an outline citing a story it was not given', async () => {
    const bad = {
      ...outline,
      segments: [
        ...outline.segments.slice(0, 1),
        { id: 'x', kind: 'story', title: 'X', storyId: 'nope', targetWords: 100 },
      ],
    };
    bedrock.on(ConverseCommand).resolves(answer(JSON.stringify(bad)));
    await expect(writer().outline(summaries, { ...writerContext(), targetWords: 450 })).rejects.toThrow(
      'segment x names unknown story "nope"'
    );
  });

  it('writes the script one segment per call, from the story material, numbering the turns', async () => {
    // Prepare: the "model" answers for whichever segment the prompt asks about.
    bedrock.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
      const segmentId = /Every turn has "segmentId": "([^"]+)"/.exec(userText(input))?.[1] ?? '?';
      const sourceIds = segmentId === 'story-1' ? ['s1'] : [];
      return answer(
        JSON.stringify({
          turns: [
            { speaker: 'ava', text: `Ava on ${segmentId}.`, sourceIds, segmentId },
            { speaker: 'ben', text: 'Ben agrees.', sourceIds: [], segmentId },
          ],
        })
      );
    });
    const usage: ProviderUsage[] = [];

    // Act
    const script = await writer().script(outline, summaries, writerContext(usage));

    // Assess
    const prompts = sentInputs().map(userText);
    expect(prompts).toHaveLength(3);
    expect(prompts[1]).toContain('- The kernel team shipped a new scheduler on Monday.');
    expect(prompts[1]).toContain('"ava": Ava, lead');
    expect(prompts[2]).toContain('The episode so far ends with:');
    expect(script.turns.map((t) => [t.index, t.segmentId, t.speaker])).toEqual([
      [0, 'intro', 'ava'],
      [1, 'intro', 'ben'],
      [2, 'story-1', 'ava'],
      [3, 'story-1', 'ben'],
      [4, 'outro', 'ava'],
      [5, 'outro', 'ben'],
    ]);
    expect(script.turns[2]?.sourceIds).toEqual(['s1']);
    expect(script).toMatchObject({ episodeTitle: 'The scheduler week', wordCount: 15 });
    expect(usage).toHaveLength(3);
  });

  it('rejects a segment answer whose turns belong to another segment', async () => {
    bedrock
      .on(ConverseCommand)
      .resolves(
        answer(
          JSON.stringify({ turns: [{ speaker: 'ava', text: 'Hi.', sourceIds: [], segmentId: 'elsewhere' }] })
        )
      );
    await expect(writer().script(outline, summaries, writerContext())).rejects.toThrow(
      `bedrock model ${MODEL} returned a malformed script of segment intro: a turn is in segment "elsewhere"`
    );
  });
});

describe('provider selection', () => {
  it('gives a podcast that selects bedrock and polly the cloud providers, with its own or the default model', () => {
    // Prepare
    const providers = createProviders({
      cloud: createCloudProviders({ defaultBedrockModelId: 'amazon.nova-pro-v1:0' }),
    });
    const cloud = podcastConfig({ providers: { writer: 'bedrock', speech: 'polly' } });
    const named = podcastConfig({ providers: { writer: 'bedrock', speech: 'polly', bedrockModelId: MODEL } });

    // Act
    const writerA = providers.writerFor(cloud);
    const writerB = providers.writerFor(named);

    // Assess
    expect(writerA).toBeInstanceOf(BedrockWriter);
    expect((writerA as BedrockWriter).modelId).toBe('amazon.nova-pro-v1:0');
    expect((writerB as BedrockWriter).modelId).toBe(MODEL);
    expect(providers.writerFor(named)).toBe(writerB);
    expect(providers.speechFor(cloud)).toBeInstanceOf(PollySpeech);
    expect(providers.writerFor(podcastConfig())).toBeInstanceOf(ExtractiveWriter);
    expect(providers.speechFor(podcastConfig())).toBeInstanceOf(MespeakSpeech);
    expect(createCloudProviders().modelIdFor(cloud)).toBe(DEFAULT_BEDROCK_MODEL_ID);
  });

  it('refuses a cloud provider in a process that offers none, naming the field', () => {
    const providers = createProviders();
    expect(() => providers.writerFor(podcastConfig({ providers: { writer: 'bedrock' } }))).toThrow(
      /providers.writer: "bedrock" is not available/
    );
  });
});

describe('the summarize stage on Bedrock', () => {
  it('summarizes the scraped stories from their real text and records tokens and cost on the run', async () => {
    // Prepare: the example run up to scrape; the "model" echoes the first two sentences of the text it is given.
    bedrock.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
      const prompt = userText(input);
      const id = /Story id: (\S+)/.exec(prompt)?.[1] ?? '';
      const text = /"""\n([\s\S]*?)\n"""/.exec(prompt)?.[1] ?? '';
      const sentences = text.split(/(?<=[.!?])\s+/).slice(0, 2);
      return answer(
        JSON.stringify({
          storyId: id,
          title: 't',
          sourceName: 's',
          url: 'u',
          sentences,
          keyPoints: ['k'],
          wordCount: 0,
        })
      );
    });
    const world = await runContentStages(await prepareWorld({ writer: writer() }), 'scrape');
    await world.deps.runs.claim(
      {
        runId: 'tech-weekly-2026-11-23',
        podcastId: 'tech-weekly',
        mode: 'monolithic',
        inputHash: 'h',
        input: {},
      },
      '2026-11-23T12:00:00.000Z'
    );

    // Act
    const manifest = (await runStageUnit(
      runnableStage('summarize'),
      stageInput(world, { index: 0, count: 1 }),
      world.deps
    )) as { summaries: { key: string }[] };

    // Assess
    expect(manifest.summaries.length).toBeGreaterThan(0);
    for (const entry of manifest.summaries)
      expect(world.deps.media.json<StorySummary>(entry.key).sentences.length).toBeGreaterThan(0);
    const run = await world.deps.runs.get('tech-weekly-2026-11-23');
    const calls = manifest.summaries.length;
    expect(run?.usage?.['summarize/0']).toEqual({
      writer: {
        [`bedrock/${DEFAULT_BEDROCK_MODEL_ID}`]: {
          calls,
          inputTokens: 1200 * calls,
          outputTokens: 300 * calls,
          characters: 0,
        },
      },
    });
    await refreshRunCost(world.deps.runs, 'tech-weekly-2026-11-23', '2026-11-23T12:00:00.000Z'); // done when the run ends
    const costed = await world.deps.runs.get('tech-weekly-2026-11-23');
    expect(costed?.usage?.[COST_USAGE_KEY]).toMatchObject({
      currency: 'USD',
      estimatedCostUsd: Number((calls * (1.2 * 0.00006 + 0.3 * 0.00024)).toFixed(6)),
    });
  });
});
