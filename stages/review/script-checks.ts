/**
 * The review checks, pure over a Script: valid speaker turns, banned phrases, claims tied to known
 * stories, and the length budget. Each check fixes what it can (and says what it did) or fails
 * with a reason; the stage turns a failure into a FatalStageError.
 */
import type { Host } from '../shared/config-schema';
import type { Script, ScriptTurn } from '../shared/content-types';
import { countWords } from '../scrape/html-text';

export type CheckName = 'speakers' | 'banned-phrases' | 'sources' | 'length';

export interface CheckResult {
  name: CheckName;
  status: 'pass' | 'fixed' | 'failed';
  details: string[];
}

export interface ReviewRules {
  hosts: readonly Host[];
  bannedPhrases: readonly string[];
  /** Stories the script may cite (those that were scraped and summarized). */
  knownStoryIds: ReadonlySet<string>;
  targetWords: number;
  /** Allowed deviation from targetWords, as a fraction. @default 0.35 */
  tolerance?: number;
}

export interface ReviewOutcome {
  script: Script;
  checks: CheckResult[];
  fixes: string[];
  /** Set when a check failed and could not be fixed. */
  failure?: string;
  wordsBefore: number;
  minWords: number;
  maxWords: number;
}

export function reviewScript(original: Script, rules: ReviewRules): ReviewOutcome {
  const checks = new Map<CheckName, CheckResult>(
    (['speakers', 'banned-phrases', 'sources', 'length'] as const).map((name) => [
      name,
      { name, status: 'pass', details: [] },
    ])
  );
  const failures: string[] = [];
  const fixes: string[] = [];
  const fix = (name: CheckName, detail: string) => {
    record(checks, name, 'fixed', detail);
    fixes.push(`${name}: ${detail}`);
  };
  const fail = (name: CheckName, detail: string) => {
    record(checks, name, 'failed', detail);
    failures.push(`${name}: ${detail}`);
  };
  let turns: ScriptTurn[] = original.turns.map((t) => ({ ...t, sourceIds: [...t.sourceIds] }));

  // Speakers: host ids only (a host's name is mapped to its id), no empty turns.
  // Ids win over names: a host named like another host's id keeps that id for the other host.
  const hostIds = new Map<string, string>();
  for (const host of rules.hosts) hostIds.set(host.name.toLowerCase(), host.id);
  for (const host of rules.hosts) hostIds.set(host.id.toLowerCase(), host.id).set(host.id, host.id);
  turns = turns.flatMap((turn) => {
    if (turn.text.trim().length === 0) {
      fix('speakers', `turn ${turn.index}: dropped, its text is empty`);
      return [];
    }
    if (hostIds.get(turn.speaker) === turn.speaker) return [turn];
    const mapped = hostIds.get(turn.speaker.trim().toLowerCase());
    if (mapped) {
      fix('speakers', `turn ${turn.index}: speaker "${turn.speaker}" is host "${mapped}"`);
      return [{ ...turn, speaker: mapped }];
    }
    fail(
      'speakers',
      `turn ${turn.index}: speaker "${turn.speaker}" is not a host (${rules.hosts.map((h) => h.id).join(', ')})`
    );
    return [turn];
  });

  // Banned phrases: the sentence that holds one goes; a turn left empty goes too.
  const banned = rules.bannedPhrases.map((phrase) => ({ phrase, pattern: phrasePattern(phrase) }));
  turns = turns.flatMap((turn) => {
    const hits = banned.filter((b) => b.pattern.test(turn.text));
    if (hits.length === 0) return [turn];
    const kept = splitTurnSentences(turn.text).filter(
      (sentence) => !banned.some((b) => b.pattern.test(sentence))
    );
    const phrases = hits.map((h) => `"${h.phrase}"`).join(', ');
    if (kept.length === 0) {
      fix('banned-phrases', `turn ${turn.index}: dropped, every sentence held ${phrases}`);
      return [];
    }
    fix('banned-phrases', `turn ${turn.index}: removed the sentence(s) with ${phrases}`);
    return [{ ...turn, text: kept.join(' ') }];
  });

  // Sources: a turn citing a story that was not scraped and summarized carries an unsupported claim.
  turns = turns.filter((turn) => {
    const unknown = turn.sourceIds.filter((id) => !rules.knownStoryIds.has(id));
    if (unknown.length === 0) return true;
    fix(
      'sources',
      `turn ${turn.index}: dropped, it cites unknown stor${unknown.length > 1 ? 'ies' : 'y'} ${unknown.map((id) => `"${id}"`).join(', ')}`
    );
    return false;
  });
  // A dialogue's consecutive turns by one host become one turn; a solo show's turns all belong to
  // its one host and stay apart (one turn per fact, so the length check can drop facts one by one).
  const solo = rules.hosts.length === 1;
  if (!solo) turns = mergeConsecutive(turns, (detail) => fix('speakers', detail));

  // Length: trim the lowest-value turns when long; too short cannot be fixed.
  const tolerance = rules.tolerance ?? 0.35;
  const minWords = Math.ceil(rules.targetWords * (1 - tolerance));
  const maxWords = Math.floor(rules.targetWords * (1 + tolerance));
  const wordsBefore = words(original.turns);
  if (words(turns) > maxWords) {
    turns = trimToBudget(turns, maxWords, (detail) => fix('length', detail));
    if (!solo) turns = mergeConsecutive(turns, (detail) => fix('speakers', detail));
  }
  const total = words(turns);
  if (total > maxWords)
    fail('length', `${total} words is over the ${maxWords}-word maximum and no more turns can be trimmed`);
  if (total < minWords)
    fail(
      'length',
      `${total} words is under the ${minWords}-word minimum (${Math.round((1 - tolerance) * 100)}% of the ${rules.targetWords}-word target); too short to fix`
    );
  else
    checks
      .get('length')
      ?.details.push(`${total} words (target ${rules.targetWords}, allowed ${minWords}-${maxWords})`);
  if (turns.length === 0) fail('speakers', 'no turns are left');
  const cited = new Set(turns.flatMap((t) => t.sourceIds));
  checks
    .get('sources')
    ?.details.push(
      `${turns.filter((t) => t.sourceIds.length > 0).length} of ${turns.length} turns cite ${cited.size} known stories`
    );

  const script: Script = { ...original, turns: turns.map((t, index) => ({ ...t, index })), wordCount: total };
  const results = [...checks.values()];
  const failure = failures.length > 0 ? failures.join('; ') : undefined;
  return { script, checks: results, fixes, wordsBefore, minWords, maxWords, ...(failure ? { failure } : {}) };
}

function record(
  checks: Map<CheckName, CheckResult>,
  name: CheckName,
  status: 'fixed' | 'failed',
  detail: string
): void {
  const check = checks.get(name);
  if (!check) return;
  if (status === 'failed' || check.status === 'pass') check.status = status;
  check.details.push(detail);
}

function words(turns: readonly ScriptTurn[]): number {
  return turns.reduce((sum, t) => sum + countWords(t.text), 0);
}

/** Case-insensitive, whole-word match of a phrase (spacing inside it is flexible). */
export function phrasePattern(phrase: string): RegExp {
  const body = phrase
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s-]+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'iu');
}

/**
 * Sentences of a spoken turn: terminal punctuation (and closing quotes) followed by a space and
 * a capital or digit (after an opening quote, or Spanish ¿ and ¡).
 */
export function splitTurnSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?]["'”’»)]?)\s+(?=["'“‘„«(¿¡]?[\p{Lu}\p{N}])/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Joins turns by the same speaker that follow each other inside one segment. */
export function mergeConsecutive(
  turns: readonly ScriptTurn[],
  onMerge: (detail: string) => void
): ScriptTurn[] {
  const out: ScriptTurn[] = [];
  for (const turn of turns) {
    const last = out[out.length - 1];
    if (last && last.speaker === turn.speaker && last.segmentId === turn.segmentId) {
      onMerge(
        `turns ${last.index} and ${turn.index} (${turn.speaker}): merged consecutive turns by the same speaker`
      );
      out[out.length - 1] = {
        ...last,
        text: `${last.text} ${turn.text}`,
        sourceIds: [...new Set([...last.sourceIds, ...turn.sourceIds])],
      };
    } else {
      out.push(turn);
    }
  }
  return out;
}

/**
 * Drops turns until the script fits `maxWords`. The first and last segments (intro and outro) and
 * the first and last turn of every segment are kept; among the rest, the latest exchange (a pair
 * of turns by different speakers, so the dialogue keeps alternating) of the longest segment goes
 * first, then single turns.
 */
export function trimToBudget(
  turns: readonly ScriptTurn[],
  maxWords: number,
  onTrim: (detail: string) => void
): ScriptTurn[] {
  let current = [...turns];
  const segmentOrder = [...new Set(current.map((t) => t.segmentId))];
  const protectedSegments = new Set([segmentOrder[0], segmentOrder[segmentOrder.length - 1]]);
  while (words(current) > maxWords) {
    const removable = removableRuns(current, protectedSegments);
    if (removable.length === 0) break;
    const segmentWords = new Map<string, number>();
    for (const t of current)
      segmentWords.set(t.segmentId, (segmentWords.get(t.segmentId) ?? 0) + countWords(t.text));
    removable.sort(
      (a, b) =>
        b.length - a.length ||
        (segmentWords.get(b.segmentId) ?? 0) - (segmentWords.get(a.segmentId) ?? 0) ||
        b.start - a.start
    );
    const pick = removable[0];
    if (!pick) break;
    const dropped = current.slice(pick.start, pick.start + pick.length);
    onTrim(
      `dropped turn${dropped.length > 1 ? 's' : ''} ${dropped.map((t) => t.index).join(' and ')} of segment ${pick.segmentId} to fit the length budget`
    );
    current = [...current.slice(0, pick.start), ...current.slice(pick.start + pick.length)];
  }
  return current;
}

interface Run {
  start: number;
  length: number;
  segmentId: string;
}

function removableRuns(
  turns: readonly ScriptTurn[],
  protectedSegments: ReadonlySet<string | undefined>
): Run[] {
  const runs: Run[] = [];
  const inner = (i: number) => {
    const turn = turns[i];
    if (!turn || protectedSegments.has(turn.segmentId)) return false;
    return turns[i - 1]?.segmentId === turn.segmentId && turns[i + 1]?.segmentId === turn.segmentId;
  };
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i];
    if (!turn || !inner(i)) continue;
    const next = turns[i + 1];
    if (next && inner(i + 1) && next.speaker !== turn.speaker)
      runs.push({ start: i, length: 2, segmentId: turn.segmentId });
    runs.push({ start: i, length: 1, segmentId: turn.segmentId });
  }
  return runs;
}
