/**
 * review (optional): checks the draft script (speaker turns, banned phrases, claims tied to known
 * stories, length budget), fixes what it can and writes the reviewed script that tts reads, a
 * transcript and a report. A problem it cannot fix fails the stage with the reason (the report
 * is still written, so the run's artifacts show every check).
 */
import { artifactKeys, getJson, putJson } from '../shared/artifact-keys';
import { FatalStageError } from '../shared/errors';
import { lengthPlan, reviewBudget } from '../shared/length-plan';
import { loadRunPodcast } from '../shared/run-context';
import { defineStage } from '../shared/stage';
import { parseOrThrow } from '../shared/validation';
import { scriptSchema } from '../script/schema';
import { scriptText } from '../script/script';
import { reviewInputSchema, reviewOutputSchema } from './schema';
import { type ReviewOutcome, reviewScript } from './script-checks';

export const reviewStage = defineStage({
  id: 'review',
  inputSchema: reviewInputSchema,
  outputSchema: reviewOutputSchema,

  async run(input, ctx) {
    const { stages } = input;
    if (stages.prepare.enabled.review === false) return { skipped: true } as const;
    const podcast = await loadRunPodcast(stages.prepare, ctx.deps);
    const draft = parseOrThrow(
      scriptSchema,
      await getJson<unknown>(ctx.deps.media, stages.script.key),
      'script'
    );
    // The length plan's rates and the mix's pauses turn the target duration into this draft's words.
    const { targetWords, tolerance } = reviewBudget(draft.turns, lengthPlan(podcast));

    const outcome = reviewScript(draft, {
      hosts: podcast.hosts,
      bannedPhrases: podcast.style.bannedPhrases,
      knownStoryIds: new Set(stages.summarize.summaries.map((s) => s.storyId)),
      targetWords,
      tolerance,
    });

    const reportKey = artifactKeys.stageFile(input.runId, 'review', 'report.json');
    await putJson(ctx.deps.media, reportKey, report(outcome, draft.turns.length, targetWords));
    if (outcome.failure) {
      ctx.logger.warn('review failed', { failure: outcome.failure, reportKey });
      throw new FatalStageError(`review failed: ${outcome.failure}`);
    }

    const key = artifactKeys.stageFile(input.runId, 'review', 'script.json');
    const textKey = artifactKeys.stageFile(input.runId, 'review', 'script.txt');
    await putJson(ctx.deps.media, key, outcome.script);
    await ctx.deps.media.put(textKey, scriptText(outcome.script, podcast), 'text/plain; charset=utf-8');
    ctx.logger.info('script reviewed', {
      turns: outcome.script.turns.length,
      words: outcome.script.wordCount,
      fixes: outcome.fixes.length,
    });
    return {
      key,
      textKey,
      turns: outcome.script.turns.length,
      words: outcome.script.wordCount,
      fixes: outcome.fixes,
      reportKey,
    };
  },
  // A script edit approved after review (runs approve --script, or runs edit after publishing) is
  // what tts, notes and publish read from then on, in both modes; the checkpoint keeps review's own.
  async handOut(output, { runId, deps }) {
    if (!('key' in output)) return output;
    const approval = (await deps.runs.get(runId))?.approval;
    return approval?.state === 'approved' ? reviewOutputSchema.parse(approval.review) : output;
  },
});

function report(outcome: ReviewOutcome, turnsBefore: number, targetWords: number) {
  return {
    passed: outcome.failure === undefined,
    ...(outcome.failure ? { failure: outcome.failure } : {}),
    targetWords,
    allowedWords: { min: outcome.minWords, max: outcome.maxWords },
    before: { turns: turnsBefore, words: outcome.wordsBefore },
    after: { turns: outcome.script.turns.length, words: outcome.script.wordCount },
    checks: outcome.checks,
    fixes: outcome.fixes,
  };
}
