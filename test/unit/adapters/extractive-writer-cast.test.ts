/**
 * The offline writer for every cast and language: a solo show is a monologue with transitions,
 * a panel of three or four shares the turns, and German, French and Spanish podcasts get their
 * own phrasing around the (untranslated) story sentences. Every script passes the review checks.
 */
import { spokenForms } from '../../../stages/shared/adapters/offline/spoken-forms';
import { reviewScript } from '../../../stages/review/script-checks';
import { ExtractiveWriter } from '../../../stages/shared/adapters/offline/extractive-writer';
import { PHRASE_BANKS } from '../../../stages/shared/adapters/offline/text-templates';
import type { Host, PodcastConfig } from '../../../stages/shared/config-schema';
import type { Script, StorySummary } from '../../../stages/shared/content-types';
import {
  EPISODE_DATE,
  EXAMPLE_ARTICLE_SLUGS,
  exampleStory,
  loadExamplePodcast,
} from '../stages/content-fixtures';

const HOSTS: Host[] = [
  { id: 'ava', name: 'Ava', role: 'lead', voice: {} },
  { id: 'ben', name: 'Ben', role: 'co-host', voice: {} },
  { id: 'cleo', name: 'Cleo', role: 'co-host', voice: {} },
  { id: 'dan', name: 'Dan', role: 'co-host', voice: {} },
];

async function write(
  hostCount: number,
  language = 'en-us',
  tone: PodcastConfig['style']['tone'] = 'conversational'
) {
  const base = loadExamplePodcast();
  const podcast = loadExamplePodcast({
    hosts: HOSTS.slice(0, hostCount),
    language,
    style: { ...base.style, tone },
  });
  const writer = new ExtractiveWriter();
  const ctx = { podcast, episodeDate: EPISODE_DATE };
  const summaries: StorySummary[] = [];
  for (const slug of EXAMPLE_ARTICLE_SLUGS.slice(0, 3))
    summaries.push(await writer.summarize(exampleStory(slug), ctx));
  const targetWords = podcast.targetMinutes * 150;
  const outline = await writer.outline(summaries, { ...ctx, targetWords });
  const script = await writer.script(outline, summaries, ctx);
  const review = reviewScript(script, {
    hosts: podcast.hosts,
    bannedPhrases: podcast.style.bannedPhrases,
    knownStoryIds: new Set(summaries.map((s) => s.storyId)),
    targetWords,
  });
  return { podcast, summaries, outline, script, review };
}

const said = (script: Script) => script.turns.map((t) => t.text).join(' ');

describe('a solo show', () => {
  it('is a monologue: one speaker, one turn per fact, transitions between the stories', async () => {
    const { script, summaries, review } = await write(1);

    expect(new Set(script.turns.map((t) => t.speaker))).toEqual(new Set(['ava']));
    expect(script.turns[0]?.text).toMatch(
      /^(Hey, and welcome to Tech Weekly\. I'm Ava\.|Hi everyone, this is Tech Weekly, and I'm Ava\.)/
    );
    expect(said(script)).not.toMatch(/with me|joined by|Thanks, Ben/);
    for (const summary of summaries) {
      const storyTurns = script.turns.filter((t) => t.sourceIds.includes(summary.storyId));
      expect(storyTurns.length).toBeGreaterThanOrEqual(2);
      expect(storyTurns[0]?.text).toMatch(
        /^(First up|Our first story|Next up|Let's move on to|Our next story|Now)/
      );
    }
    // Review keeps the turns apart (a dialogue's same-speaker turns would be merged) and passes.
    expect(review.failure).toBeUndefined();
    expect(review.checks.find((c) => c.name === 'speakers')?.status).toBe('pass');
    expect(review.script.turns).toHaveLength(script.turns.length);
  });

  it('stays within the length budget when review trims it, one fact at a time', async () => {
    const { script, summaries, podcast } = await write(1);
    const review = reviewScript(script, {
      hosts: podcast.hosts,
      bannedPhrases: [],
      knownStoryIds: new Set(summaries.map((s) => s.storyId)),
      targetWords: Math.round(script.wordCount / 1.6),
    });

    expect(review.failure).toBeUndefined();
    expect(review.script.wordCount).toBeLessThanOrEqual(review.maxWords);
    expect(review.fixes.length).toBeGreaterThan(0);
    expect(review.fixes.every((fix) => fix.startsWith('length: dropped turn '))).toBe(true);
  });
});

describe('a panel', () => {
  it.each([3, 4])(
    'of %i hosts: everyone speaks, no one twice in a row, and it passes review',
    async (count) => {
      const { script, outline, review } = await write(count);

      expect(new Set(script.turns.map((t) => t.speaker))).toEqual(
        new Set(HOSTS.slice(0, count).map((h) => h.id))
      );
      for (const [i, turn] of script.turns.entries())
        if (i > 0) expect(turn.speaker).not.toBe(script.turns[i - 1]?.speaker);
      // Every co-host has a story of their own to open with the lead.
      const storyCoHosts = outline.segments
        .filter((s) => s.kind === 'story')
        .map((s) => script.turns.find((t) => t.segmentId === s.id && t.speaker !== 'ava')?.speaker);
      expect(storyCoHosts).toEqual(count === 3 ? ['ben', 'cleo', 'ben'] : ['ben', 'cleo', 'dan']);
      expect(said(script)).toContain(count === 3 ? 'Ben and Cleo' : 'Ben, Cleo and Dan');
      expect(review.failure).toBeUndefined();
      expect(review.fixes).toEqual([]);
    }
  );
});

describe('languages', () => {
  const cases = [
    {
      language: 'de',
      intro: /^Hallo (und herzlich willkommen bei|zusammen, hier ist) Tech Weekly/,
      date: 'Montag, der 23. November',
      chapter: 'Einleitung',
    },
    {
      language: 'fr',
      intro: /^(Salut, et bienvenue dans|Bonjour à tous, ici) Tech Weekly/,
      date: 'lundi 23 novembre',
      chapter: 'Introduction',
    },
    {
      language: 'es',
      intro: /^Hola(, y bienvenidos a| a todos, esto es) Tech Weekly/,
      date: 'lunes, 23 de noviembre',
      chapter: 'Introducción',
    },
  ];

  it.each(cases)('$language: its own phrasing, the story sentences as the source wrote them', async (c) => {
    for (const hosts of [1, 2, 4]) {
      const { script, outline, summaries, review } = await write(hosts, c.language);

      expect(script.turns[0]?.text).toMatch(c.intro);
      // The date line (dropped when a brief intro makes the script fit) in the language's words.
      expect(spokenForms(c.language).date('2026-11-23')).toBe(c.date);
      expect(outline.segments[0]?.title).toBe(c.chapter);
      // No English template line slipped through; the English story sentences are spoken as they are.
      expect(said(script)).not.toMatch(/welcome|show notes|Next up|Our first story|See you next time/i);
      const first = summaries[0]?.sentences[0]?.replace(/[“”]/g, '"').replace(/’/g, "'") ?? '';
      expect(said(script)).toContain(first);
      expect(review.failure).toBeUndefined();
    }
  });

  it.each(['de', 'fr', 'es'] as const)('%s banks: every line filled in, no English-only forms', (code) => {
    const english = PHRASE_BANKS.en.conversational;
    const linkWord = { de: /Link|verlinkt/i, fr: /lien/i, es: /enlace/i }[code];
    for (const bank of Object.values(PHRASE_BANKS[code])) {
      for (const [name, lines] of Object.entries(bank) as [keyof typeof english, string[]][]) {
        expect(lines.length).toBeGreaterThan(0);
        // The same placeholders as the English bank (each writer fills exactly those).
        const allowed = new Set(english[name].flatMap((l) => [...l.matchAll(/\{(\w+)\}/g)].map((m) => m[1])));
        if (name === 'soloContinues' || name === 'cohostAdds' || name === 'present') allowed.add('source');
        for (const line of lines) {
          for (const [, placeholder] of line.matchAll(/\{(\w+)\}/g)) expect(allowed).toContain(placeholder);
          expect(line).not.toContain('{lc}');
          expect(line.endsWith(', ')).toBe(false);
        }
      }
      for (const line of bank.outroCohostUnlinked) expect(line).not.toMatch(linkWord);
    }
  });
});
