/**
 * The offline writer's phrase banks: per language (phrases-<code>.ts), one per tone.
 * Placeholders in braces are filled by the script writers (text-dialogue.ts, text-monologue.ts);
 * they pick among the variants by a hash of ids, never at random. Lines that carry no claim from
 * a source (greetings, questions, remarks) are "banter".
 *
 * `{lc}` puts a story sentence after a comma with its first word lower-cased, which only the
 * English banks do (the rule for which words may be lower-cased is English: lowerFirst in
 * script-builder.ts); the other languages put a sentence after a full stop or a colon, as is.
 * An opener ending in ", " lower-cases what follows in the same way, so only English has those.
 */
import type { PodcastConfig } from '../../config-schema';
import { type LanguageCode, languageOf } from '../../languages';
import { GERMAN } from './phrases-de';
import { ENGLISH } from './phrases-en';
import { SPANISH } from './phrases-es';
import { FRENCH } from './phrases-fr';

export type Tone = PodcastConfig['style']['tone'];

export interface PhraseBank {
  /** Lead, first line: {show} {lead} {cohosts}. */
  welcome: string[];
  /** Lead, same turn: {date} {count}. */
  dateLine: string[];
  /** First co-host's reply to the welcome: {lead} {sources}. */
  cohostHello: string[];
  /** Further co-hosts introduce themselves: {name}. */
  extraHello: string[];
  /** Lead-in to the first story: {title}. */
  firstStory: string[];
  /** Lead-in to later stories: {title}. */
  nextStory: string[];
  /** Presenting a fact; "{s}" keeps the sentence as is, "{lc}" follows a comma. */
  present: string[];
  /** Co-host questions after a fact. */
  questions: string[];
  /** Co-host reactions to a figure in the last fact. */
  numberReactions: string[];
  /** Co-host reactions to a quotation in the last fact. */
  quoteReactions: string[];
  /** Co-host linking remarks (statements, not questions). */
  remarks: string[];
  /** Lead's opener before answering; "" answers directly. A trailing comma lower-cases what follows. */
  answerOpeners: string[];
  /** Co-host presenting a further fact: {source} {s} {lc}. */
  cohostAdds: string[];
  /** Lead acknowledging the co-host's fact before the next one. */
  leadAcks: string[];
  /** Co-host closing a story. */
  wrapUps: string[];
  /** Lead opening the outro: {show} {count}. */
  outroLead: string[];
  /** Co-host in the outro (the lead alone in a solo show), when the show notes link every story covered. */
  outroCohost: string[];
  /** The same, when some story has no link the notes could publish (no promise of links). */
  outroCohostUnlinked: string[];
  /** Lead's last words: {cohosts} (every co-host's name). */
  signOff: string[];
  /** A solo host's welcome: {show} {lead}. */
  soloWelcome: string[];
  /** A solo host names the sources, after the date line: {sources}. */
  soloSources: string[];
  /** A solo host going on to the story's next fact: {source} {s} {lc}. */
  soloContinues: string[];
  /** A solo host closing a story. */
  soloWrapUps: string[];
  /** A solo host's last words. */
  soloSignOff: string[];
}

export const PHRASE_BANKS: Record<LanguageCode, Record<Tone, PhraseBank>> = {
  en: ENGLISH,
  de: GERMAN,
  fr: FRENCH,
  es: SPANISH,
};

/** The bank for a podcast's language tag and tone. */
export function phraseBank(languageTag: string, tone: Tone): PhraseBank {
  return PHRASE_BANKS[languageOf(languageTag).code][tone];
}

/** Fills {placeholders}; an unknown placeholder is a programming error, so it throws. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder {${name}} has no value in "${template}"`);
    return value;
  });
}
