/**
 * BedrockWriter: the cloud Writer, on Amazon Bedrock's Converse API. One call per story summary,
 * one for the outline and one per outline segment for the script (so a long episode never hits the
 * model's output limit). Every answer is parsed as JSON and checked with the stage's own zod
 * schema; a malformed, truncated or filtered answer is a FatalStageError naming the model and what
 * is wrong. Throttling and an unavailable model are retried by the SDK inside the call (one budget,
 * sdk-clients.ts); what outlives it becomes a RetryableStageError for the plan's retry policy.
 * `ctx.signal` aborts the call. Token usage of every call is reported through `ctx.onUsage`.
 *
 * IAM: `bedrock:InvokeModel` on the model (Converse is authorized by InvokeModel); the stack
 * grants the models it is configured with (infra/constructs/provider-access.ts).
 */
import type { ConverseCommandInput, ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import * as z from 'zod';
import { outlineSchema } from '../../../outline/schema';
import { countWords } from '../../../scrape/html-text';
import { scriptSchema, scriptTurnSchema } from '../../../script/schema';
import { storySummarySchema } from '../../../summarize/schema';
import type { Outline, Script, ScrapedStory, ScriptTurn, StorySummary } from '../../content-types';
import { FatalStageError, ValidationError } from '../../errors';
import type { Writer, WriterContext } from '../../providers';
import { outlinePrompt, type Prompt, scriptSegmentPrompt, summaryPrompt } from './bedrock-prompts';
import { checkAnswer, parseJsonAnswer } from './json-answer';
import { describeProviderError, retryableIfTransient } from './provider-errors';
import { bedrockRuntimeClient, loadBedrockSdk } from './sdk-clients';

/** What the writer needs of a Bedrock Runtime client (the SDK client, or a test double). */
export interface ConverseClient {
  send(
    command: InstanceType<ReturnType<typeof loadBedrockSdk>['ConverseCommand']>,
    options?: { abortSignal?: AbortSignal }
  ): Promise<ConverseCommandOutput>;
}

export interface BedrockWriterOptions {
  /** Foundation-model id, inference-profile id or ARN (podcast config, else the stack's default). */
  modelId: string;
  /** @default the process's lazily created BedrockRuntimeClient (its SDK retry settings: sdk-clients.ts) */
  client?: ConverseClient;
  /** @default 0.2 (close to deterministic; the checkpoint makes a rerun reuse the first answer) */
  temperature?: number;
}

/** How many of the previous turns a segment prompt repeats for continuity. */
const CONTEXT_TURNS = 3;

const segmentAnswerSchema = z.object({
  turns: z.array(scriptTurnSchema.omit({ index: true })).min(1, 'the segment has no turns'),
});

export class BedrockWriter implements Writer {
  readonly name = 'bedrock';
  readonly modelId: string;

  constructor(private readonly options: BedrockWriterOptions) {
    if (!options.modelId.trim())
      throw new ValidationError(
        'providers.bedrockModelId: a Bedrock model id is required',
        'providers.bedrockModelId'
      );
    this.modelId = options.modelId.trim();
  }

  async summarize(story: ScrapedStory, ctx: WriterContext): Promise<StorySummary> {
    const what = `summary of story ${story.id}`;
    const answer = checkAnswer(
      storySummarySchema,
      await this.converseJson(summaryPrompt(story, ctx.podcast), what, ctx),
      this.source,
      what
    );
    if (answer.storyId !== story.id)
      throw new FatalStageError(
        `${this.source} returned a summary for story "${answer.storyId}" when asked for "${story.id}"`
      );
    // What the story is, we already know; the model contributes the sentences and key points.
    return {
      ...answer,
      title: story.title,
      sourceName: story.sourceName,
      url: story.url,
      wordCount: countWords(answer.sentences.join(' ')),
    };
  }

  async outline(
    summaries: StorySummary[],
    ctx: WriterContext & { targetWords: number; title?: string }
  ): Promise<Outline> {
    const prompt = outlinePrompt(summaries, ctx.podcast, ctx.targetWords, ctx.title);
    const outline = checkAnswer(
      outlineSchema,
      await this.converseJson(prompt, 'outline', ctx),
      this.source,
      'outline'
    );
    const known = new Set(summaries.map((s) => s.storyId));
    const unknown = outline.segments.find((s) => s.storyId !== undefined && !known.has(s.storyId));
    if (unknown)
      throw new FatalStageError(
        `${this.source} returned a malformed outline: segment ${unknown.id} names unknown story "${unknown.storyId}"`
      );
    return { ...outline, targetWords: ctx.targetWords, ...(ctx.title ? { episodeTitle: ctx.title } : {}) };
  }

  async script(outline: Outline, summaries: StorySummary[], ctx: WriterContext): Promise<Script> {
    const turns: ScriptTurn[] = [];
    for (const segment of outline.segments) {
      const what = `script of segment ${segment.id}`;
      const prompt = scriptSegmentPrompt({
        podcast: ctx.podcast,
        outline,
        segment,
        summaries,
        previous: turns.slice(-CONTEXT_TURNS),
        episodeDate: ctx.episodeDate,
      });
      const answer = checkAnswer(
        segmentAnswerSchema,
        await this.converseJson(prompt, what, ctx),
        this.source,
        what
      );
      for (const turn of answer.turns) {
        if (turn.segmentId !== segment.id) {
          throw new FatalStageError(
            `${this.source} returned a malformed ${what}: a turn is in segment "${turn.segmentId}"`
          );
        }
        turns.push({ ...turn, index: turns.length, text: turn.text.trim() });
      }
    }
    const script = {
      episodeTitle: outline.episodeTitle,
      turns,
      wordCount: turns.reduce((sum, t) => sum + countWords(t.text), 0),
    };
    return checkAnswer(scriptSchema, script, this.source, 'script');
  }

  private get source(): string {
    return `bedrock model ${this.modelId}`;
  }

  /** One Converse call: the answer's text parsed as JSON, the usage reported. */
  private async converseJson(prompt: Prompt, what: string, ctx: WriterContext): Promise<unknown> {
    const sdk = loadBedrockSdk();
    const client = this.options.client ?? bedrockRuntimeClient();
    const input: ConverseCommandInput = {
      modelId: this.modelId,
      system: [{ text: prompt.system }],
      messages: [{ role: 'user', content: [{ text: prompt.user }] }],
      inferenceConfig: { maxTokens: prompt.maxTokens, temperature: this.options.temperature ?? 0.2 },
    };
    let output: ConverseCommandOutput;
    try {
      output = await client.send(
        new sdk.ConverseCommand(input),
        ctx.signal ? { abortSignal: ctx.signal } : {}
      );
    } catch (error) {
      throw this.mapError(error, what);
    }
    ctx.onUsage?.({
      provider: 'bedrock',
      model: this.modelId,
      inputTokens: output.usage?.inputTokens ?? 0,
      outputTokens: output.usage?.outputTokens ?? 0,
    });
    const text = (output.output?.message?.content ?? []).map((block) => block.text ?? '').join('');
    if (output.stopReason === 'max_tokens') {
      throw new FatalStageError(
        `${this.source} was cut off at ${prompt.maxTokens} output tokens writing the ${what}; the answer is incomplete JSON`
      );
    }
    if (output.stopReason === 'guardrail_intervened' || output.stopReason === 'content_filtered') {
      throw new FatalStageError(`${this.source} refused the ${what} (stop reason ${output.stopReason})`);
    }
    return parseJsonAnswer(text, this.source, what);
  }

  /**
   * Permanent request problems become FatalStageErrors that say what to fix; a transient error the
   * SDK gave up on becomes a RetryableStageError; the rest (an abort) pass through.
   */
  private mapError(error: unknown, what: string): unknown {
    const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
    const cause = describeProviderError(error);
    if (name === 'AccessDeniedException') {
      return new FatalStageError(
        `${this.source}: access denied for the ${what} (${cause}); the model must be enabled in the account's Bedrock model access and granted to this role (context podcast-platform:bedrockModelId / bedrockExtraModelIds)`,
        { cause: error }
      );
    }
    if (name === 'ValidationException' || name === 'ResourceNotFoundException') {
      return new FatalStageError(
        `${this.source} rejected the request for the ${what} (${cause}); check providers.bedrockModelId`,
        { cause: error }
      );
    }
    return retryableIfTransient(`${this.source} (${what})`, error);
  }
}
