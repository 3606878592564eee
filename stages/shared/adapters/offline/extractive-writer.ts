/**
 * ExtractiveWriter: the offline Writer. It really reads the sources: summaries are the story's
 * own best sentences, the outline shares the target length among the stories, the script is fitted
 * to the target duration at the hosts' measured speaking rates (text-fit.ts), and it is
 * a host dialogue (a monologue for a solo show) built from those sentences with attributed facts
 * and templated banter, phrased in the podcast's language (the story sentences stay in theirs).
 * Deterministic: the same input gives byte-identical output (choices are hashes of ids).
 */
import { minimumStories } from '../../config-schema';
import type { Outline, Script, ScrapedStory, StorySummary } from '../../content-types';
import { lengthPlan, plannedWords, storiesThatFit } from '../../length-plan';
import type { Writer, WriterContext } from '../../providers';
import { buildDialogue } from './text-dialogue';
import { buildMonologue } from './text-monologue';
import { fitScript } from './text-fit';
import { buildOutline } from './text-outline';
import { summarizeStory, summaryBudget } from './text-summary';

export class ExtractiveWriter implements Writer {
  readonly name = 'offline';

  async summarize(story: ScrapedStory, ctx: WriterContext): Promise<StorySummary> {
    const plan = lengthPlan(ctx.podcast);
    // Sized for the stories the episode will really have: fewer found than maxStories get more each.
    const available = Math.min(ctx.podcast.maxStories, ctx.storiesFound ?? ctx.podcast.maxStories);
    const stories = storiesThatFit(plan, Math.max(1, available), minimumStories(ctx.podcast));
    const budget = summaryBudget(plannedWords(plan, stories) / stories);
    return summarizeStory(story, budget, ctx.podcast.style.bannedPhrases);
  }

  async outline(
    summaries: StorySummary[],
    ctx: WriterContext & { targetWords: number; title?: string }
  ): Promise<Outline> {
    return buildOutline(summaries, ctx.targetWords, ctx.title, ctx.podcast.language);
  }

  async script(outline: Outline, summaries: StorySummary[], ctx: WriterContext): Promise<Script> {
    const input = { outline, summaries, podcast: ctx.podcast, episodeDate: ctx.episodeDate };
    return fitScript(input, ctx.podcast.hosts.length === 1 ? buildMonologue : buildDialogue);
  }
}
