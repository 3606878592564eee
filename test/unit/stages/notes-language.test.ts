/**
 * The notes stage in the podcast's language: the summary sentence, the headings and the intro and
 * outro chapter titles are German or Spanish for a German or Spanish podcast, story titles stay
 * as the sources wrote them, and the chapters stay a valid Podcasting 2.0 chapters document.
 */
import * as z from 'zod';
import { buildChapters } from '../../../stages/notes/chapters';
import { NOTES_PHRASES } from '../../../stages/notes/notes-phrases';
import { notesStage } from '../../../stages/notes/notes';
import { buildShowNotesModel, renderDescription } from '../../../stages/notes/show-notes';
import { LANGUAGE_CODES } from '../../../stages/shared/languages';
import { runCore } from '../../helpers/run-core';
import {
  HOSTILE_TITLE,
  podcastConfig,
  script,
  seedRun,
  stageContext,
  stageInput,
  summaries,
  timeline,
} from '../feed/publishing-fixtures';

/**
 * The Podcasting 2.0 JSON chapters format
 * (https://github.com/Podcastindex-org/podcast-namespace/blob/main/chapters/jsonChapters.md):
 * only the fields it defines, startTime required, chapters in playing order.
 */
const podcastChaptersSchema = z.strictObject({
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  chapters: z
    .array(
      z.strictObject({
        startTime: z.number().nonnegative(),
        title: z.string().min(1).optional(),
        url: z.url({ protocol: /^https?$/ }).optional(),
      })
    )
    .refine((list) => list.every((c, i) => i === 0 || c.startTime >= (list[i - 1]?.startTime ?? 0)), {
      message: 'chapters are not in playing order',
    }),
});

async function notesIn(language: string) {
  const run = await seedRun({ podcast: podcastConfig({ language }) });
  const manifest = await runCore(notesStage, stageInput(run), stageContext(run));
  return {
    chapters: podcastChaptersSchema.parse(run.deps.media.json(manifest.chaptersKey)),
    html: run.deps.media.text(manifest.htmlKey),
    markdown: run.deps.media.text(manifest.markdownKey),
    description: run.deps.media.text(manifest.descriptionKey),
  };
}

describe('notes in the podcast language', () => {
  it('writes a German podcast’s summary, headings and chapter titles in German', async () => {
    const notes = await notesIn('de');

    expect(notes.chapters.chapters.map((c) => c.title)).toEqual([
      'Einleitung',
      HOSTILE_TITLE,
      'Databases get faster',
      'Zum Schluss',
    ]);
    expect(notes.html).toContain(
      '<p>In dieser Folge von Tech Weekly vom 23. November 2026 sprechen Alex Rivera und Sam Lee über 2 Themen: „'
    );
    expect(notes.html).toContain('“ und „Databases get faster“.</p>');
    expect(notes.html).toContain('<h2>Themen</h2>');
    expect(notes.html).toContain('<h2>Kapitel</h2>');
    expect(notes.html).toMatch(/<li>\d\d:\d\d Einleitung<\/li>/);
    expect(notes.markdown).toContain('\n## Themen\n');
    expect(notes.markdown).toContain('\n## Kapitel\n');
    expect(notes.description).toContain('\n\nThemen:\n- ');
    for (const text of [notes.html, notes.markdown, notes.description])
      expect(text).not.toMatch(/\b(Stories|Chapters|Intro|Outro|episode of|talk through)\b/);
  });

  it('writes a Spanish podcast’s summary, headings and chapter titles in Spanish', async () => {
    const notes = await notesIn('es-mx');

    expect(notes.chapters.chapters.map((c) => c.title)).toEqual([
      'Introducción',
      HOSTILE_TITLE,
      'Databases get faster',
      'Despedida',
    ]);
    expect(notes.html).toContain(
      '<p>En este episodio de Tech Weekly del 23 de noviembre de 2026, Alex Rivera y Sam Lee repasan 2 noticias: «'
    );
    expect(notes.html).toContain('» y «Databases get faster».</p>');
    expect(notes.html).toContain('<h2>Noticias</h2>');
    expect(notes.html).toContain('<h2>Capítulos</h2>');
    expect(notes.markdown).toContain('\n## Capítulos\n');
    expect(notes.description).toContain('\n\nNoticias:\n- ');
    for (const text of [notes.html, notes.markdown, notes.description])
      expect(text).not.toMatch(/\b(Stories|Chapters|Intro|Outro|episode of|talk through)\b/);
  });

  it('keeps the English notes as they were', async () => {
    const notes = await notesIn('en-us');

    expect(notes.chapters.chapters.map((c) => c.title)).toEqual([
      'Intro',
      HOSTILE_TITLE,
      'Databases get faster',
      'Outro',
    ]);
    expect(notes.html).toContain('<p>In this 2026-11-23 episode of Tech Weekly, Alex Rivera and Sam Lee');
    expect(notes.html).toContain('<h2>Stories</h2>');
    expect(notes.description).toContain('\n\nStories:\n- ');
  });

  it('matches the verb to one host and the count to one story, and says "e" before an i sound', () => {
    const [first] = summaries();
    const model = (language: string, hostNames: string[], titles: string[]) =>
      buildShowNotesModel({
        podcastTitle: 'Tech Weekly',
        episodeTitle: 'E',
        date: '2026-12-01',
        language,
        hostNames,
        summaries: titles.map((title, i) => ({ ...first!, storyId: `s${i}`, title })),
        chapters: [],
      });

    expect(model('de', ['Alex'], ['Rust']).summary).toBe(
      'In dieser Folge von Tech Weekly vom 1. Dezember 2026 spricht Alex über ein Thema: „Rust“.'
    );
    expect(model('fr-ca', ['Alex'], ['Rust']).summary).toBe(
      'Dans cet épisode de Tech Weekly du 1er décembre 2026, Alex présente un sujet\u00a0: «\u00a0Rust\u00a0».'
    );
    expect(model('es', ['Alex', 'Inés'], ['Rust', 'Intel']).summary).toBe(
      'En este episodio de Tech Weekly del 1 de diciembre de 2026, Alex e Inés repasan 2 noticias: «Rust» e «Intel».'
    );
    expect(model('fr', ['Alex', 'Sam'], []).summary).toBe(
      'Alex et Sam présentent cet épisode de Tech Weekly du 1er décembre 2026.'
    );
    expect(renderDescription(model('fr', ['Alex'], ['Rust']))).toContain('\n\nSujets\u00a0:\n- Rust');
  });

  it('names intro, outro and unnamed segments in every language, never in English outside English', () => {
    const s = script();
    const unnamed = {
      ...s,
      turns: s.turns.map((t) => (t.segmentId === 'seg-2' ? { ...t, segmentId: '--', sourceIds: [] } : t)),
    };
    for (const code of LANGUAGE_CODES) {
      const phrases = NOTES_PHRASES[code];
      const chapters = buildChapters(timeline(unnamed), unnamed, summaries().slice(0, 1), phrases);
      expect(chapters.map((c) => c.title)).toEqual([
        phrases.introTitle,
        HOSTILE_TITLE,
        phrases.segmentTitle,
        phrases.outroTitle,
      ]);
      if (code === 'en') continue;
      for (const field of [
        'introTitle',
        'outroTitle',
        'segmentTitle',
        'storiesHeading',
        'chaptersHeading',
      ] as const)
        expect(phrases[field]).not.toBe(NOTES_PHRASES.en[field]);
    }
  });
});
