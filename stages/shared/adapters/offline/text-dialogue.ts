/**
 * The offline writer's dialogue, for two to four hosts: the lead host opens the show, presents
 * each story's facts (real sentences from its summary, attributed to the source), a co-host
 * reacts, asks, or adds a fact, and the show closes with an outro. In a panel (three or four
 * hosts) each story has its own co-host, who opens the exchange and closes the story, and the
 * other co-hosts take the later rounds in turn, so every voice is heard on every long story.
 * A solo show is a monologue instead (text-monologue.ts).
 */
import type { Host } from '../../config-schema';
import type { OutlineSegment, Script, StorySummary } from '../../content-types';
import { FatalStageError } from '../../errors';
import {
  FIGURE,
  QUOTATION,
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
import { hashIndex } from './text-terms';

/** The two-to-four-host script for the outline. */
export function buildDialogue(input: ScriptInput): Script {
  return writeScript(input, new DialogueWriter(input.podcast, input.episodeDate));
}

class DialogueWriter extends ScriptBuilder implements SegmentWriter {
  private readonly lead: Host;
  private readonly coHosts: Host[];

  constructor(...args: ConstructorParameters<typeof ScriptBuilder>) {
    super(...args);
    this.lead = leadHost(this.podcast);
    this.coHosts = this.podcast.hosts.filter((h) => h.id !== this.lead.id);
    if (this.coHosts.length === 0)
      throw new FatalStageError(`podcast ${this.podcast.podcastId}: a dialogue needs a co-host`);
  }

  intro(segment: OutlineSegment, stories: OutlineSegment[], summaries: readonly StorySummary[]): void {
    const values = {
      show: this.podcast.title,
      lead: this.lead.name,
      cohosts: this.forms.joinNames(this.coHosts.map((h) => h.name)),
      date: this.forms.date(this.episodeDate),
      count: this.forms.storyCount(stories.length),
      sources: this.sourceNames(stories, summaries),
    };
    if (segment.targetWords < BRIEF_FRAME_WORDS) {
      this.say(segment, this.lead, this.pick('welcome', segment.id, values));
      return;
    }
    this.say(
      segment,
      this.lead,
      `${this.pick('welcome', segment.id, values)} ${this.pick('dateLine', segment.id, values)}`
    );
    this.say(segment, this.coHost(0), this.pick('cohostHello', segment.id, values));
    for (const extra of this.coHosts.slice(1))
      this.say(segment, extra, this.pick('extraHello', extra.id, { name: extra.name }));
  }

  story(segment: OutlineSegment, summary: StorySummary, storyIndex: number, brief: boolean): void {
    const coHost = this.coHost(storyIndex);
    /** Who reacts in a round: the story's co-host first, then the panel's others in turn. */
    const reactor = (round: number) => this.coHost(storyIndex + round - 1);
    const facts = [...summary.sentences];
    const key = `${summary.storyId}:${segment.id}`;
    const context = [summary.title, ...summary.sentences];
    /** Templates that put the sentence after a comma suit only sentences that can follow one. */
    const fits = (sentence: string) => (template: string) =>
      !template.includes('{lc}') || canFollowComma(sentence, context);
    const present = (sentence: string, round: number) =>
      this.pick(
        'present',
        `${key}:present:${round}`,
        { source: summary.sourceName, s: sentence, lc: lowerFirst(sentence) },
        fits(sentence)
      );

    const first = takeOpeningFact(facts, segment.targetWords, brief ? summary.keyPoints : []);
    if (first === undefined)
      throw new FatalStageError(`story ${summary.storyId} has no sentences to present`);
    const leadIn = this.pick(storyIndex === 0 ? 'firstStory' : 'nextStory', key, {
      title: summary.title.replace(/[.!?]+$/, ''),
    });
    let words = this.say(segment, this.lead, `${leadIn} ${present(first, 0)}`, [summary.storyId]);
    let lastFact = first;
    let factsUsed = 1;
    for (let round = 1; facts.length > 0; round++) {
      const next = facts[0] ?? '';
      const nextWords = wordCount(next);
      if (factsUsed >= 1 && (words >= segment.targetWords || words + nextWords > segment.targetWords * 1.25))
        break;
      const coHostAdds =
        facts.length >= 2 &&
        round % 2 === 0 &&
        hashIndex(`${key}:adds:${round}`, 3) > 0 &&
        words + nextWords < segment.targetWords * 0.8;
      if (coHostAdds) {
        const values = { source: summary.sourceName, s: next, lc: lowerFirst(next) };
        words += this.say(
          segment,
          reactor(round),
          this.pick('cohostAdds', `${key}:add:${round}`, values, fits(next)),
          [summary.storyId]
        );
        facts.shift();
        factsUsed++;
        const after = facts.shift();
        if (after === undefined) break;
        words += this.say(segment, this.lead, `${this.pick('leadAcks', `${key}:ack:${round}`, {})}${after}`, [
          summary.storyId,
        ]);
        lastFact = after;
        factsUsed++;
        continue;
      }
      words += this.say(segment, reactor(round), this.reaction(lastFact, `${key}:react:${round}`));
      const opener = this.pick(
        'answerOpeners',
        `${key}:answer:${round}`,
        {},
        (t) => !t.endsWith(', ') || canFollowComma(next, context)
      );
      facts.shift();
      words += this.say(
        segment,
        this.lead,
        opener.endsWith(', ') ? `${opener}${lowerFirst(next)}` : `${opener}${next}`,
        [summary.storyId]
      );
      lastFact = next;
      factsUsed++;
    }
    if (!brief) this.say(segment, coHost, this.pick('wrapUps', `${key}:wrap`, {}));
  }

  /** The close: the co-host promises links in the show notes only when the notes hold one for every story. */
  outro(segment: OutlineSegment, storyTotal: number, linked: boolean): void {
    const values = {
      show: this.podcast.title,
      count: this.forms.storyCount(storyTotal),
      cohosts: this.forms.joinNames(this.coHosts.map((h) => h.name)),
    };
    if (segment.targetWords < BRIEF_FRAME_WORDS) {
      const close = `${this.pick('outroLead', segment.id, values)} ${this.pick('signOff', segment.id, values)}`;
      this.say(segment, this.lead, close);
      return;
    }
    this.say(segment, this.lead, this.pick('outroLead', segment.id, values));
    this.say(
      segment,
      this.coHost(0),
      this.pick(linked ? 'outroCohost' : 'outroCohostUnlinked', segment.id, values)
    );
    this.say(segment, this.lead, this.pick('signOff', segment.id, values));
  }

  /** A co-host reaction that fits the fact just heard: to a quote, a figure, or a question/remark. */
  private reaction(fact: string, key: string): string {
    if (QUOTATION.test(fact) && hashIndex(`${key}:q`, 2) === 0) return this.pick('quoteReactions', key, {});
    if (FIGURE.test(fact) && hashIndex(`${key}:n`, 2) === 0) return this.pick('numberReactions', key, {});
    return hashIndex(`${key}:kind`, 4) === 0
      ? this.pick('remarks', key, {})
      : this.pick('questions', key, {});
  }

  private coHost(index: number): Host {
    return this.coHosts[index % this.coHosts.length] as Host;
  }
}
