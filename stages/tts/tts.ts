/**
 * tts (fan-out): one WAV per script turn, each spoken by the turn's host with their own voice.
 * Shard k of n takes the turns at positions i with i % n === k (all of them without a shard);
 * merge (mergeClips, merge.ts) puts the shards' clips back in turn order.
 */
import { artifactKeys } from '../shared/artifact-keys';
import { FatalStageError, PipelineError, RetryableStageError } from '../shared/errors';
import type { ProviderUsage, SpeechSynthesizer, SpokenClip } from '../shared/providers';
import { finalScriptKey, loadRunPodcast } from '../shared/run-context';
import { defineStage, type StageContext } from '../shared/stage';
import { clipFileName, hostForTurn, readFinalScript } from './final-script';
import { mergeClips } from './merge';
import { type TtsClip, ttsInputSchema, ttsOutputSchema } from './schema';

/**
 * Calls the synthesizer. Pipeline errors keep their retry meaning; programming errors are fatal;
 * anything else a provider throws (a reset connection, throttling) is transient.
 */
async function callSpeech(
  speech: SpeechSynthesizer,
  turnIndex: number,
  call: () => Promise<SpokenClip>
): Promise<SpokenClip> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof PipelineError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const what = `speech "${speech.name}" failed on turn ${turnIndex}: ${message}`;
    if (error instanceof TypeError || error instanceof RangeError)
      throw new FatalStageError(what, { cause: error });
    throw new RetryableStageError(what, { cause: error });
  }
}

/** A clip must be RIFF/WAVE audio with a real length (the mixer reads its header for timing). */
function checkedDuration(spoken: SpokenClip, provider: string, turnIndex: number): number {
  const isWav =
    spoken.wav.length > 44 &&
    spoken.wav.toString('ascii', 0, 4) === 'RIFF' &&
    spoken.wav.toString('ascii', 8, 12) === 'WAVE';
  if (!isWav)
    throw new FatalStageError(
      `speech "${provider}" returned audio for turn ${turnIndex} that is not a WAV file`
    );
  if (!Number.isFinite(spoken.durationMs) || spoken.durationMs <= 0) {
    throw new FatalStageError(
      `speech "${provider}" returned a clip of ${spoken.durationMs} ms for turn ${turnIndex}`
    );
  }
  return Math.round(spoken.durationMs);
}

/** Sums what a metered provider reported; nothing is recorded for offline speech. */
async function recordUsage(ctx: StageContext, unit: string, calls: ProviderUsage[]): Promise<void> {
  if (calls.length === 0) return;
  const totals: Record<string, { calls: number; characters: number }> = {};
  for (const call of calls) {
    const name = call.model ? `${call.provider}/${call.model}` : call.provider;
    const total = (totals[name] ??= { calls: 0, characters: 0 });
    total.calls++;
    total.characters += call.characters ?? 0;
  }
  await ctx.deps.runs.recordUsage(ctx.runId, unit, { speech: totals }, ctx.deps.clock.now().toISOString());
}

export const ttsStage = defineStage({
  id: 'tts',
  inputSchema: ttsInputSchema,
  outputSchema: ttsOutputSchema,
  merge: mergeClips,

  async run(input, ctx) {
    const { stages, shard } = input;
    if (shard && shard.index >= shard.count)
      throw new FatalStageError(`shard ${shard.index} is out of range for ${shard.count} shards`);
    const podcast = await loadRunPodcast(stages.prepare, ctx.deps);
    const scriptKey = finalScriptKey(stages);
    const script = await readFinalScript(ctx.deps.media, scriptKey);
    // Every speaker is checked up front, so no shard spends time on a script another shard rejects.
    const mine = script.turns
      .map((turn) => ({ turn, host: hostForTurn(podcast, turn) }))
      .filter((_, position) => !shard || position % shard.count === shard.index);
    const speech = ctx.deps.providers.speechFor(podcast);
    const usage: ProviderUsage[] = [];
    const clips: TtsClip[] = [];
    for (const [done, { turn, host }] of mine.entries()) {
      const spoken = await callSpeech(speech, turn.index, () =>
        speech.speak(turn.text, host, { onUsage: (u) => usage.push(u), signal: ctx.signal })
      );
      const durationMs = checkedDuration(spoken, speech.name, turn.index);
      const key = artifactKeys.stageFile(input.runId, 'tts', clipFileName(turn.index));
      await ctx.deps.media.put(key, spoken.wav, 'audio/wav');
      clips.push({ turnIndex: turn.index, speaker: host.id, segmentId: turn.segmentId, key, durationMs });
      ctx.logger.debug('turn spoken', {
        turnIndex: turn.index,
        speaker: host.id,
        durationMs,
        words: turn.text.split(/\s+/).length,
      });
      await ctx.progress((done + 1) / mine.length);
    }
    await recordUsage(ctx, shard ? `tts/${shard.index}` : 'tts', usage);
    ctx.logger.info('speech synthesized', {
      clips: clips.length,
      provider: speech.name,
      audioMs: clips.reduce((sum, c) => sum + c.durationMs, 0),
    });
    return { clips, scriptKey };
  },
});
