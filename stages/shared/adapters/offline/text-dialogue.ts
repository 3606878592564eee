/**
 * The offline writer's dialogue: the lead host opens the show, presents each story's facts (real
 * sentences from its summary, attributed to the source), a co-host reacts, asks, or adds a fact,
 * and the show closes with an outro. Every choice is a hash of ids, so the same input always
 * gives the same script.
 */
import type { Host, PodcastConfig } from '../../config-schema';
import { FatalStageError } from '../../errors';
import { safeHttpUrl } from '../../http-links';
import type { Outline, OutlineSegment, Script, ScriptTurn, StorySummary } from '../../content-types';
import { type PhraseBank, PHRASE_BANKS, fill } from './text-templates';
import { wordCount } from './text-sentences';
import { STOPWORDS, hashIndex, pickByHash } from './text-terms';

/** A quantity worth reacting to: a percentage, a multiple, a large or unit-bearing number. */
const FIGURE =
  /\d[\d,.]*\s?(%|percent|times|x\b|million|billion|trillion|thousand)|\d{1,3}(,\d{3})+|\d+(\.\d+)?[-\s]?(gigabytes?|terabytes?|terabits?|gigahertz|watts?|megawatts?|kilowatt-hours|gigawatt-hours|cores?|nanometers?)\b/i;

const NUMBER_WORDS = [
  'no',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface DialogueInput {
  outline: Outline;
  summaries: readonly StorySummary[];
  podcast: PodcastConfig;
  episodeDate: string;
}

/** Whether the show notes will link every story the episode covers (the same rule: safeHttpUrl). */
function linksEveryStory(
  storySegments: readonly OutlineSegment[],
  byId: ReadonlyMap<string, StorySummary>
): boolean {
  return storySegments.every((segment) => {
    const summary = segment.storyId ? byId.get(segment.storyId) : undefined;
    return safeHttpUrl(summary?.url) !== undefined;
  });
}

/** Builds the two-or-more-host script for the outline. */
export function buildDialogue({ outline, summaries, podcast, episodeDate }: DialogueInput): Script {
  const writer = new DialogueWriter(podcast, episodeDate);
  const byId = new Map(summaries.map((s) => [s.storyId, s]));
  const storySegments = outline.segments.filter((s) => s.kind === 'story');
  for (const segment of outline.segments) {
    if (segment.kind === 'intro') writer.intro(segment, storySegments, summaries);
    else if (segment.kind === 'outro')
      writer.outro(segment, storySegments.length, linksEveryStory(storySegments, byId));
    else {
      const summary = segment.storyId ? byId.get(segment.storyId) : undefined;
      if (!summary)
        throw new FatalStageError(
          `outline segment ${segment.id} names story "${segment.storyId ?? ''}" with no summary`
        );
      writer.story(segment, summary, storySegments.indexOf(segment));
    }
  }
  const turns = writer.turns;
  return {
    episodeTitle: outline.episodeTitle,
    turns,
    wordCount: turns.reduce((sum, t) => sum + wordCount(t.text), 0),
  };
}

class DialogueWriter {
  readonly turns: ScriptTurn[] = [];
  private readonly bank: PhraseBank;
  private readonly lead: Host;
  private readonly coHosts: Host[];
  /** Templates already used in this script, per bank: the writer varies its lines before repeating one. */
  private readonly used = new Map<keyof PhraseBank, Set<string>>();

  constructor(
    private readonly podcast: PodcastConfig,
    private readonly episodeDate: string
  ) {
    this.bank = PHRASE_BANKS[podcast.style.tone];
    const lead = podcast.hosts.find((h) => h.role === 'lead') ?? podcast.hosts[0];
    if (!lead) throw new FatalStageError(`podcast ${podcast.podcastId} has no hosts`);
    this.lead = lead;
    this.coHosts = podcast.hosts.filter((h) => h.id !== lead.id);
    if (this.coHosts.length === 0) throw new FatalStageError(`podcast ${podcast.podcastId} needs a co-host`);
  }

  intro(segment: OutlineSegment, stories: OutlineSegment[], summaries: readonly StorySummary[]): void {
    const told = new Set(stories.map((s) => s.storyId));
    const sources = [...new Set(summaries.filter((s) => told.has(s.storyId)).map((s) => s.sourceName))];
    const values = {
      show: this.podcast.title,
      lead: this.lead.name,
      cohosts: joinNames(this.coHosts.map((h) => h.name)),
      date: spokenDate(this.episodeDate),
      count: storyCount(stories.length),
      sources: joinNames(sources.length > 0 ? sources : [this.podcast.title]),
    };
    this.say(
      segment,
      this.lead,
      `${this.pick('welcome', segment.id, values)} ${this.pick('dateLine', segment.id, values)}`
    );
    this.say(segment, this.coHost(0), this.pick('cohostHello', segment.id, values));
    for (const extra of this.coHosts.slice(1))
      this.say(segment, extra, this.pick('extraHello', extra.id, { name: extra.name }));
  }

  story(segment: OutlineSegment, summary: StorySummary, storyIndex: number): void {
    const coHost = this.coHost(storyIndex);
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

    const first = facts.shift();
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
      if (factsUsed >= 2 && (words >= segment.targetWords || words + nextWords > segment.targetWords * 1.25))
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
          coHost,
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
      words += this.say(segment, coHost, this.reaction(lastFact, `${key}:react:${round}`));
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
    this.say(segment, coHost, this.pick('wrapUps', `${key}:wrap`, {}));
  }

  /** The close: the co-host promises links in the show notes only when the notes hold one for every story. */
  outro(segment: OutlineSegment, storyTotal: number, linked: boolean): void {
    const values = { show: this.podcast.title, count: storyCount(storyTotal), cohost: this.coHost(0).name };
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
    if (/[“"]/.test(fact) && hashIndex(`${key}:q`, 2) === 0) return this.pick('quoteReactions', key, {});
    if (FIGURE.test(fact) && hashIndex(`${key}:n`, 2) === 0) return this.pick('numberReactions', key, {});
    return hashIndex(`${key}:kind`, 4) === 0
      ? this.pick('remarks', key, {})
      : this.pick('questions', key, {});
  }

  private coHost(storyIndex: number): Host {
    return this.coHosts[storyIndex % this.coHosts.length] as Host;
  }

  private pick(
    bank: keyof PhraseBank,
    key: string,
    values: Record<string, string>,
    accept: (template: string) => boolean = () => true
  ): string {
    const options = this.bank[bank].filter(accept);
    const template = pickByHash(
      options.length > 0 ? options : this.bank[bank],
      `${this.podcast.podcastId}:${bank}:${key}`,
      this.usedFor(bank)
    );
    return fill(template, values);
  }

  /** Repeats are avoided per bank until every variant has been used once. */
  private usedFor(bank: keyof PhraseBank): Set<string> {
    const used = this.used.get(bank) ?? new Set<string>();
    if (this.bank[bank].every((v) => used.has(v))) used.clear();
    this.used.set(bank, used);
    return used;
  }

  /** Appends a turn and returns its word count. */
  private say(segment: OutlineSegment, host: Host, text: string, sourceIds: string[] = []): number {
    const clean = speakable(text);
    this.turns.push({
      index: this.turns.length,
      segmentId: segment.id,
      speaker: host.id,
      text: clean,
      sourceIds,
    });
    return wordCount(clean);
  }
}

/** Typographic quotes and apostrophes as plain ASCII, single spaces: what speech engines read best. */
export function speakable(text: string): string {
  return text.replace(/[‘’]/g, "'").replace(/[“”„]/g, '"').replace(/\s+/g, ' ').trim();
}

/** Lower-cases the first letter only when the first word is a common word ("The" -> "the"). */
export function lowerFirst(sentence: string): string {
  const first = /^[\p{L}']+/u.exec(sentence)?.[0] ?? '';
  if (first.length === 0 || first === 'I' || /\p{Lu}/u.test(first.slice(1))) return sentence;
  return STOPWORDS.has(first.toLowerCase()) ? sentence.charAt(0).toLowerCase() + sentence.slice(1) : sentence;
}

/**
 * Whether a sentence reads right after "According to X, ": its first word is a common word we
 * lower-case ("The"), or a name (an acronym, a word with digits or inner capitals, or a word the
 * story also capitalises mid-sentence, like "Halvorsen"). Quotations never follow a comma here.
 */
export function canFollowComma(sentence: string, context: readonly string[]): boolean {
  if (/^["“‘']/.test(sentence)) return false;
  if (lowerFirst(sentence) !== sentence) return true;
  const first = /^[\p{L}\p{N}][\p{L}\p{N}.-]*/u.exec(sentence)?.[0] ?? '';
  if (!first || first === 'I') return false;
  if (/^\p{Ll}/u.test(first) || /\d/.test(first) || /\p{Lu}/u.test(first.slice(1))) return true;
  const midSentence = new RegExp(`[\\p{L}\\p{N},;:] ${first.replace(/\./g, '\\.')}\\b`, 'u');
  return context.some((text) => midSentence.test(text));
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

function storyCount(n: number): string {
  return `${NUMBER_WORDS[n] ?? String(n)} ${n === 1 ? 'story' : 'stories'}`;
}

/** "Monday, November 23" for 2026-11-23 (computed in UTC: the date is a calendar date). */
export function spokenDate(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  return `${WEEKDAYS[parsed.getUTCDay()] ?? ''}, ${MONTHS[parsed.getUTCMonth()] ?? ''} ${parsed.getUTCDate()}`;
}
