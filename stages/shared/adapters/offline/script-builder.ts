/**
 * What the offline script writers share (text-dialogue.ts for two to four hosts,
 * text-monologue.ts for one): the walk over the outline's segments, the phrase bank and spoken
 * forms of the podcast's language and tone, hashed template choice, and how a turn is added.
 * Every choice is a hash of ids, so the same input always gives the same script.
 */
import type { Host, PodcastConfig } from '../../config-schema';
import type { Outline, OutlineSegment, Script, ScriptTurn, StorySummary } from '../../content-types';
import { FatalStageError } from '../../errors';
import { safeHttpUrl } from '../../http-links';
import { type SpokenForms, spokenForms } from './spoken-forms';
import { type PhraseBank, fill, phraseBank } from './text-templates';
import { countSpokenWords } from '../../speaking-rates';
import { wordCount } from './text-sentences';
import { STOPWORDS, pickByHash } from './text-terms';

/**
 * A quantity worth reacting to: a percentage, a multiple, a large or unit-bearing number (in the
 * writer's four languages: the figures come from the stories).
 */
export const FIGURE =
  /\d[\d,.]*\s?(%|percent|Prozent|pour cent|por ciento|times|x\b|million|millones|milliard|billion|trillion|thousand)|\d{1,3}(,\d{3})+|\d+(\.\d+)?[-\s]?(gigabytes?|terabytes?|terabits?|gigahertz|watts?|megawatts?|kilowatt-hours|gigawatt-hours|cores?|nanometers?)\b/i;

/** A quotation in a story sentence, in any of the writer's languages' quotation marks. */
export const QUOTATION = /[“"„«]/;

export interface ScriptInput {
  outline: Outline;
  summaries: readonly StorySummary[];
  podcast: PodcastConfig;
  episodeDate: string;
  /**
   * Story segments told in brief (the fit's last lever before a story goes, text-fit.ts): no
   * wrap-up line, and the opening fact may be a clause of a sentence.
   */
  brief?: ReadonlySet<string>;
}

/** What a script writer does per kind of segment. */
export interface SegmentWriter {
  readonly turns: ScriptTurn[];
  intro(segment: OutlineSegment, stories: OutlineSegment[], summaries: readonly StorySummary[]): void;
  /** `brief`: tell the story in brief (ScriptInput.brief). */
  story(segment: OutlineSegment, summary: StorySummary, storyIndex: number, brief: boolean): void;
  /** `linked`: the show notes will link every story covered (so the close may promise links). */
  outro(segment: OutlineSegment, storyTotal: number, linked: boolean): void;
}

/** Writes every segment of the outline with `writer` and returns the script. */
export function writeScript({ outline, summaries, brief }: ScriptInput, writer: SegmentWriter): Script {
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
      writer.story(segment, summary, storySegments.indexOf(segment), brief?.has(segment.id) === true);
    }
  }
  const turns = writer.turns;
  return {
    episodeTitle: outline.episodeTitle,
    turns,
    wordCount: turns.reduce((sum, t) => sum + wordCount(t.text), 0),
  };
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

/**
 * Takes the fact a story opens with from `facts`: the first, or the shortest when the story's word
 * target is too small for the first (a short episode then still fits its stories). A story told
 * in brief (ScriptInput.brief) may open with one of `clauses` instead, its summary's key points:
 * a key point is a sentence cut at a clause boundary (text-summary.ts), a finer grain than whole
 * sentences; one cut mid-clause (ending in an ellipsis) or holding a quotation (its end may be
 * cut) is never spoken.
 */
export function takeOpeningFact(
  facts: string[],
  targetWords: number,
  clauses: readonly string[] = []
): string | undefined {
  const first = facts[0];
  if (first !== undefined && wordCount(first) + 12 <= targetWords) return facts.shift();
  const spoken = clauses
    .filter((p) => p.length > 0 && !/…$/.test(p) && !/["“”„«»]/.test(p))
    .map((p) => `${p}.`);
  const shortest = [...facts, ...spoken].reduce<string | undefined>(
    (best, f) => (best === undefined || countSpokenWords(f) < countSpokenWords(best) ? f : best),
    undefined
  );
  if (shortest !== undefined && facts.includes(shortest)) facts.splice(facts.indexOf(shortest), 1);
  return shortest;
}

/** The lead host: the one with the lead role, else the first. */
export function leadHost(podcast: PodcastConfig): Host {
  const lead = podcast.hosts.find((h) => h.role === 'lead') ?? podcast.hosts[0];
  if (!lead) throw new FatalStageError(`podcast ${podcast.podcastId} has no hosts`);
  return lead;
}

export class ScriptBuilder {
  readonly turns: ScriptTurn[] = [];
  protected readonly bank: PhraseBank;
  protected readonly forms: SpokenForms;
  /** Templates already used in this script, per bank: the writer varies its lines before repeating one. */
  private readonly used = new Map<keyof PhraseBank, Set<string>>();

  constructor(
    protected readonly podcast: PodcastConfig,
    protected readonly episodeDate: string
  ) {
    this.bank = phraseBank(podcast.language, podcast.style.tone);
    this.forms = spokenForms(podcast.language);
  }

  /** The names of the sources the episode's stories come from (the show's title when none). */
  protected sourceNames(stories: readonly OutlineSegment[], summaries: readonly StorySummary[]): string {
    const told = new Set(stories.map((s) => s.storyId));
    const sources = [...new Set(summaries.filter((s) => told.has(s.storyId)).map((s) => s.sourceName))];
    return this.forms.joinNames(sources.length > 0 ? sources : [this.podcast.title]);
  }

  protected pick(
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
  protected say(segment: OutlineSegment, host: Host, text: string, sourceIds: string[] = []): number {
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

/** Lower-cases the first letter only when the first word is a common (English) word ("The" -> "the"). */
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
  if (/^["“‘'„«]/.test(sentence)) return false;
  if (lowerFirst(sentence) !== sentence) return true;
  const first = /^[\p{L}\p{N}][\p{L}\p{N}.-]*/u.exec(sentence)?.[0] ?? '';
  if (!first || first === 'I') return false;
  if (/^\p{Ll}/u.test(first) || /\d/.test(first) || /\p{Lu}/u.test(first.slice(1))) return true;
  const midSentence = new RegExp(`[\\p{L}\\p{N},;:] ${first.replace(/\./g, '\\.')}\\b`, 'u');
  return context.some((text) => midSentence.test(text));
}
