/**
 * The offline writer's monologue, for a solo show: the host welcomes the listeners, names the
 * date and the sources, then presents each story's facts (real sentences from its summary,
 * attributed to the source) one turn per fact, linked by transitions instead of a co-host's
 * questions, closes each story with a line of their own and signs off. One turn per fact keeps
 * the script trimmable fact by fact (review drops inner turns to fit the length budget).
 */
import type { Host } from '../../config-schema';
import type { OutlineSegment, Script, StorySummary } from '../../content-types';
import { FatalStageError } from '../../errors';
import {
  type ScriptInput,
  ScriptBuilder,
  type SegmentWriter,
  canFollowComma,
  leadHost,
  takeOpeningFact,
  lowerFirst,
  writeScript,
} from './script-builder';
import { BRIEF_FRAME_WORDS } from './text-fit';
import { wordCount } from './text-sentences';

/** The one-host script for the outline. */
export function buildMonologue(input: ScriptInput): Script {
  return writeScript(input, new MonologueWriter(input.podcast, input.episodeDate));
}

class MonologueWriter extends ScriptBuilder implements SegmentWriter {
  private readonly host: Host = leadHost(this.podcast);

  intro(segment: OutlineSegment, stories: OutlineSegment[], summaries: readonly StorySummary[]): void {
    const values = {
      show: this.podcast.title,
      lead: this.host.name,
      date: this.forms.date(this.episodeDate),
      count: this.forms.storyCount(stories.length),
      sources: this.sourceNames(stories, summaries),
    };
    const lines = [this.pick('soloWelcome', segment.id, values)];
    if (segment.targetWords >= BRIEF_FRAME_WORDS)
      lines.push(this.pick('dateLine', segment.id, values), this.pick('soloSources', segment.id, values));
    this.say(segment, this.host, lines.join(' '));
  }

  story(segment: OutlineSegment, summary: StorySummary, storyIndex: number, brief: boolean): void {
    const facts = [...summary.sentences];
    const key = `${summary.storyId}:${segment.id}`;
    const context = [summary.title, ...summary.sentences];
    /** Templates that put the sentence after a comma suit only sentences that can follow one. */
    const fits = (sentence: string) => (template: string) =>
      !template.includes('{lc}') || canFollowComma(sentence, context);
    const values = (sentence: string) => ({
      source: summary.sourceName,
      s: sentence,
      lc: lowerFirst(sentence),
    });

    const first = takeOpeningFact(facts, segment.targetWords, brief ? summary.keyPoints : []);
    if (first === undefined)
      throw new FatalStageError(`story ${summary.storyId} has no sentences to present`);
    const leadIn = this.pick(storyIndex === 0 ? 'firstStory' : 'nextStory', key, {
      title: summary.title.replace(/[.!?]+$/, ''),
    });
    const opening = this.pick('present', `${key}:present:0`, values(first), fits(first));
    let words = this.say(segment, this.host, `${leadIn} ${opening}`, [summary.storyId]);
    for (let round = 1; facts.length > 0; round++) {
      const next = facts[0] ?? '';
      if (
        round >= 1 &&
        (words >= segment.targetWords || words + wordCount(next) > segment.targetWords * 1.25)
      )
        break;
      facts.shift();
      const line = this.pick('soloContinues', `${key}:continue:${round}`, values(next), fits(next));
      words += this.say(segment, this.host, line, [summary.storyId]);
    }
    if (!brief) this.say(segment, this.host, this.pick('soloWrapUps', `${key}:wrap`, {}));
  }

  /** The close: links in the show notes are promised only when the notes hold one for every story. */
  outro(segment: OutlineSegment, storyTotal: number, linked: boolean): void {
    const values = { show: this.podcast.title, count: this.forms.storyCount(storyTotal) };
    const lines = [this.pick('outroLead', segment.id, values)];
    if (segment.targetWords < BRIEF_FRAME_WORDS) {
      // Brief: the close and the sign-off in one turn (one clip, no pause between them).
      this.say(segment, this.host, `${lines.join(' ')} ${this.pick('soloSignOff', segment.id, values)}`);
      return;
    }
    lines.push(this.pick(linked ? 'outroCohost' : 'outroCohostUnlinked', segment.id, values));
    this.say(segment, this.host, lines.join(' '));
    this.say(segment, this.host, this.pick('soloSignOff', segment.id, values));
  }
}
