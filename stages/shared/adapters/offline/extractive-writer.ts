/**
 * ExtractiveWriter: the offline Writer. It really reads the sources: summaries are the story's
 * own best sentences, the outline shares the target length among the stories, and the script is
 * a host dialogue built from those sentences with attributed facts and templated banter.
 * Deterministic: the same input gives byte-identical output (choices are hashes of ids).
 */
import type { Outline, Script, ScrapedStory, StorySummary } from '../../content-types';
import type { Writer, WriterContext } from '../../providers';
import { buildDialogue } from './text-dialogue';
import { buildOutline } from './text-outline';
import { summarizeStory, summaryBudget } from './text-summary';

export class ExtractiveWriter implements Writer {
  readonly name = 'offline';

  async summarize(story: ScrapedStory, ctx: WriterContext): Promise<StorySummary> {
    const budget = summaryBudget(ctx.podcast.targetMinutes, ctx.podcast.maxStories);
    return summarizeStory(story, budget, ctx.podcast.style.bannedPhrases);
  }

  async outline(
    summaries: StorySummary[],
    ctx: WriterContext & { targetWords: number; title?: string }
  ): Promise<Outline> {
    return buildOutline(summaries, ctx.targetWords, ctx.title);
  }

  async script(outline: Outline, summaries: StorySummary[], ctx: WriterContext): Promise<Script> {
    return buildDialogue({ outline, summaries, podcast: ctx.podcast, episodeDate: ctx.episodeDate });
  }
}
