/**
 * mix: stitch the tts clips in turn order with pauses (longer between segments), an intro and an
 * outro bed, paced so the episode lands on targetMinutes (shared/mix-timing.ts), loudness to -16 LUFS, MP3 mono 96 kbps 44.1 kHz (the AudioMixer does the audio work;
 * publish adds the ID3 tag).
 * Writes the episode and its timeline (where each turn starts and ends in the final audio).
 * Runs as an ECS task in distributed mode; the module is the same in both modes.
 */
import { artifactKeys, putJson } from '../shared/artifact-keys';
import type { ClipTiming, ScriptTurn } from '../shared/content-types';
import { FatalStageError } from '../shared/errors';
import type { ArtifactStore } from '../shared/ports';
import type { MixClip } from '../shared/providers';
import { pacingAt, pacingScale, pausesAfter } from '../shared/mix-timing';
import { loadRunPodcast } from '../shared/run-context';
import { defineStage } from '../shared/stage';
import { readFinalScript } from '../tts/final-script';
import type { TtsClip } from '../tts/schema';
import { mixInputSchema, mixOutputSchema } from './schema';

/** Clip downloads in flight at once. */
const READ_CONCURRENCY = 16;

/** Pairs each script turn with its clip, in script order; a turn without a clip is fatal. */
export function clipsInTurnOrder(
  turns: readonly ScriptTurn[],
  clips: readonly TtsClip[]
): { turn: ScriptTurn; clip: TtsClip }[] {
  const byTurn = new Map(clips.map((clip) => [clip.turnIndex, clip]));
  const known = new Set(turns.map((turn) => turn.index));
  const stray = clips.find((clip) => !known.has(clip.turnIndex));
  if (stray) throw new FatalStageError(`tts clip for turn ${stray.turnIndex} has no turn in the script`);
  return [...turns]
    .sort((a, b) => a.index - b.index)
    .map((turn) => {
      const clip = byTurn.get(turn.index);
      if (!clip)
        throw new FatalStageError(
          `turn ${turn.index}: no tts clip (the tts manifest has ${clips.length} clips)`
        );
      return { turn, clip };
    });
}

/** The silence after each turn (shared/mix-timing.ts): re-exported for the mix's callers. */
export { pausesAfter };

async function readClips(
  store: ArtifactStore,
  pairs: { turn: ScriptTurn; clip: TtsClip }[]
): Promise<Buffer[]> {
  const bodies: Buffer[] = new Array<Buffer>(pairs.length);
  for (let start = 0; start < pairs.length; start += READ_CONCURRENCY) {
    await Promise.all(
      pairs.slice(start, start + READ_CONCURRENCY).map(async ({ turn, clip }, offset) => {
        const object = await store.get(clip.key);
        if (!object)
          throw new FatalStageError(`turn ${turn.index}: clip s3://${store.bucket}/${clip.key} is missing`);
        bodies[start + offset] = object.body;
      })
    );
  }
  return bodies;
}

export const mixStage = defineStage({
  id: 'mix',
  inputSchema: mixInputSchema,
  outputSchema: mixOutputSchema,
  /** The release gate reads the MP3's loudness: a checkpoint from before it was kept is redone. */
  async verifyCheckpoint(output) {
    return output.loudness
      ? undefined
      : 'the stored mix has no loudness measurement (the release gate needs one)';
  },

  async run(input, ctx) {
    const { stages } = input;
    const { scriptKey } = stages.tts; // the script tts spoke (review's, or an approved edit)
    const script = await readFinalScript(ctx.deps.media, scriptKey);
    const pairs = clipsInTurnOrder(script.turns, stages.tts.clips);
    const bodies = await readClips(ctx.deps.media, pairs);
    await ctx.progress(0.25);

    // The beds and pauses stretch or shrink (within PACING_SCALE) so that the episode lands on
    // targetMinutes by the clips' measured durations.
    const podcast = await loadRunPodcast(stages.prepare, ctx.deps);
    const turns = pairs.map((p) => p.turn);
    const speechMs = pairs.reduce((sum, p) => sum + p.clip.durationMs, 0);
    const scale = pacingScale(podcast.targetMinutes * 60_000, speechMs, turns);
    const pacing = pacingAt(scale);
    const pauses = pausesAfter(turns, pacing);
    const clips: MixClip[] = bodies.map((wav, i) => ({
      wav,
      pauseAfterMs: pauses[i] ?? pacing.segmentPauseMs,
    }));
    const result = await ctx.deps.providers.mixer.mix(clips, {
      introMs: pacing.introMs,
      outroMs: pacing.outroMs,
      signal: ctx.signal,
    });
    if (result.clipStartsMs.length !== pairs.length || result.clipDurationsMs.length !== pairs.length) {
      throw new FatalStageError(
        `mixer returned ${result.clipStartsMs.length} clip offsets for ${pairs.length} clips`
      );
    }
    await ctx.progress(0.9);

    const timeline: ClipTiming[] = pairs.map(({ turn, clip }, i) => {
      const startMs = result.clipStartsMs[i] ?? 0;
      const endMs = startMs + (result.clipDurationsMs[i] ?? 0);
      return {
        turnIndex: turn.index,
        speaker: clip.speaker,
        segmentId: turn.segmentId,
        startMs,
        endMs,
        text: turn.text,
      };
    });
    const key = artifactKeys.stageFile(input.runId, 'mix', 'episode.mp3');
    const timelineKey = artifactKeys.stageFile(input.runId, 'mix', 'timeline.json');
    await ctx.deps.media.put(key, result.mp3, 'audio/mpeg');
    await putJson(ctx.deps.media, timelineKey, timeline);
    ctx.logger.info('episode mixed', {
      clips: pairs.length,
      pacingScale: Math.round(scale * 1000) / 1000,
      durationMs: result.durationMs,
      bytes: result.mp3.length,
    });
    return {
      key,
      durationMs: Math.round(result.durationMs),
      bytes: result.mp3.length,
      timelineKey,
      loudness: {
        integratedLufs: Math.round(result.loudness.integratedLufs * 10) / 10,
        truePeakDbtp: Math.round(result.loudness.truePeakDbtp * 10) / 10,
      },
    };
  },
});
