/**
 * An edited script offered with an approval: checked by the script schema and the review stage's
 * own rules (stages/review/script-checks.ts) against the run's podcast, stories and length budget,
 * then stored beside the reviewed script under a name made from its content and the decision it
 * is offered for (`runs/<runId>/review/edits/<hash>.json`): the review manifest the run goes on
 * with names that key, so tts, notes and every later stage's input hash change with the edit.
 * Nothing is written for an edit that fails a check, and the original reviewed script is never
 * overwritten. An edit whose decision another one took first (two `runs approve --script` or
 * `runs edit` at once) has its files removed again (discardLostEdit); since the name includes the
 * decision, they are never the files of an earlier decision with the same script.
 */
import { lengthPlan, reviewBudget } from '../length-plan';
import { reviewScript } from '../../review/script-checks';
import * as z from 'zod';
import { scriptSchema, scriptTurnSchema } from '../../script/schema';
import { text } from '../config-schema';
import { scriptText } from '../../script/script';
import { artifactKeys, putJson } from '../artifact-keys';
import { describeError, ValidationError } from '../errors';
import { hashJson } from '../hashing';
import type { RunApproval } from '../ports';
import { loadRunPodcast } from '../run-context';
import type { StageDeps } from '../stage';
import { parseOrThrow } from '../validation';

/** Bounds of an edited script: a person's text, held to the config's text rule and sizes a record and a tag can hold. */
export const EDITED_TITLE_MAX = 200;
export const EDITED_TURN_MAX = 4000;
export const EDITED_TURNS_MAX = 1000;

const editedScriptSchema = scriptSchema.extend({
  episodeTitle: text(1, EDITED_TITLE_MAX)
    .refine((title) => title.trim().length > 0, 'the title is blank')
    .transform((title) => title.trim()),
  turns: z
    .array(scriptTurnSchema.extend({ text: text(0, EDITED_TURN_MAX) }))
    .min(1, 'the script has no turns')
    .max(EDITED_TURNS_MAX, `a script has at most ${EDITED_TURNS_MAX} turns`),
});

export interface EditedScript {
  /** The review manifest the run goes on with (the edit's keys, turns, words and fixes). */
  review: Record<string, unknown>;
  /** What the review rules fixed in the edit (e.g. a host's name mapped to its id). */
  fixes: string[];
}

/**
 * Checks and stores an edit. `decision` names the decision it is offered for (one approval
 * request, or the published attempt an edit reopens), so two offers for one decision with the
 * same script share their files and offers for different decisions never do.
 */
export async function acceptEditedScript(
  runId: string,
  approval: Pick<RunApproval, 'review' | 'rules'>,
  raw: unknown,
  deps: Pick<StageDeps, 'media'>,
  decision: string
): Promise<EditedScript> {
  const edit = parseOrThrow(editedScriptSchema, raw, 'script');
  const podcast = await loadRunPodcast({ configKey: approval.rules.configKey }, deps);
  // The edit's length is held to the budget review uses: the podcast's target duration through the
  // hosts' measured speaking rates and the mix's pauses (length-plan.ts), for the edit's own turns.
  const { targetWords, tolerance } = reviewBudget(edit.turns, lengthPlan(podcast));
  const outcome = reviewScript(edit, {
    hosts: podcast.hosts,
    bannedPhrases: podcast.style.bannedPhrases,
    knownStoryIds: new Set(approval.rules.knownStoryIds),
    targetWords,
    tolerance,
  });
  if (outcome.failure)
    throw new ValidationError(`the edited script fails review: ${outcome.failure}`, 'script');

  const name = hashJson({ decision, script: outcome.script }).slice(0, 16);
  const key = artifactKeys.stageFile(runId, 'review', `edits/${name}.json`);
  const textKey = artifactKeys.stageFile(runId, 'review', `edits/${name}.txt`);
  await putJson(deps.media, key, outcome.script);
  await deps.media.put(textKey, scriptText(outcome.script, podcast), 'text/plain; charset=utf-8');
  return {
    review: {
      ...approval.review,
      key,
      textKey,
      turns: outcome.script.turns.length,
      words: outcome.script.wordCount,
      fixes: outcome.fixes,
    },
    fixes: outcome.fixes,
  };
}

/**
 * After an edit lost its decision to another (the conditional write refused it): its files are
 * removed, unless the decision that won names them (the same script offered twice). A failure to
 * remove them is logged, not thrown: the caller reports the lost race.
 */
export async function discardLostEdit(
  runId: string,
  edit: EditedScript,
  deps: Pick<StageDeps, 'media' | 'runs' | 'logger'>
): Promise<void> {
  const keys = [edit.review.key, edit.review.textKey].map(String);
  try {
    const winner = (await deps.runs.get(runId))?.approval?.review.key;
    if (winner === edit.review.key) return;
    await Promise.all(keys.map((key) => deps.media.delete(key)));
  } catch (error) {
    deps.logger.warn('could not remove the files of an edit that lost its race', {
      runId,
      keys,
      error: describeError(error),
    });
  }
}
