import { buildDialogue } from '../../../stages/shared/adapters/offline/text-dialogue';
import { ExtractiveWriter } from '../../../stages/shared/adapters/offline/extractive-writer';
import { canFollowComma, lowerFirst } from '../../../stages/shared/adapters/offline/script-builder';
import { spokenForms } from '../../../stages/shared/adapters/offline/spoken-forms';
import { splitParagraphSentences, wordCount } from '../../../stages/shared/adapters/offline/text-sentences';
import { PHRASE_BANKS } from '../../../stages/shared/adapters/offline/text-templates';
import type { PodcastConfig } from '../../../stages/shared/config-schema';
import type { StorySummary } from '../../../stages/shared/content-types';
import type { WriterContext } from '../../../stages/shared/providers';
import {
  EPISODE_DATE,
  EXAMPLE_ARTICLE_SLUGS,
  exampleStory,
  loadExamplePodcast,
} from '../stages/content-fixtures';

function context(podcast: PodcastConfig = loadExamplePodcast()): WriterContext {
  return { podcast, episodeDate: EPISODE_DATE };
}

async function writeAll(podcast: PodcastConfig = loadExamplePodcast(), title?: string) {
  const writer = new ExtractiveWriter();
  const ctx = context(podcast);
  const summaries: StorySummary[] = [];
  for (const slug of EXAMPLE_ARTICLE_SLUGS) summaries.push(await writer.summarize(exampleStory(slug), ctx));
  const outline = await writer.outline(summaries, {
    ...ctx,
    targetWords: podcast.targetMinutes * 150,
    ...(title ? { title } : {}),
  });
  const script = await writer.script(outline, summaries, ctx);
  return { summaries, outline, script };
}

describe('sentence splitting', () => {
  it('keeps abbreviations, initials and decimals inside their sentence', () => {
    const text =
      'Dr. Ana Ruiz of Acme Inc. said the chip runs at 3.2 GHz, e.g. faster than before. J. R. Smith agreed. ' +
      'Sales rose 4.5 percent in the U.S. The board met at 9 a.m. Monday. “It works,” she said! Is it shipping?';
    expect(splitParagraphSentences(text)).toEqual([
      'Dr. Ana Ruiz of Acme Inc. said the chip runs at 3.2 GHz, e.g. faster than before.',
      'J. R. Smith agreed.',
      'Sales rose 4.5 percent in the U.S.',
      'The board met at 9 a.m. Monday.',
      '“It works,” she said!',
      'Is it shipping?',
    ]);
  });
});

describe('ExtractiveWriter.summarize', () => {
  it('picks real sentences of the story, in the story order, within the length plan budget', async () => {
    // Prepare
    const story = exampleStory('meridian-db-5');

    // Act
    const summary = await new ExtractiveWriter().summarize(story, context());

    // Assess
    expect(summary.storyId).toBe(story.id);
    expect(summary.sentences.length).toBeGreaterThanOrEqual(3);
    expect(summary.sentences.length).toBeLessThanOrEqual(7);
    const positions = summary.sentences.map((s) => story.text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(summary.wordCount).toBe(summary.sentences.reduce((n, s) => n + wordCount(s), 0));
    expect(summary.wordCount).toBeGreaterThan(60);
    // Half again the about 110 words the length plan gives each of 4 stories in 3 minutes.
    expect(summary.wordCount).toBeLessThan(200);
    expect(summary.sentences[0]).toMatch(/^The Meridian Data Foundation released Meridian DB 5\.0/);
    expect(summary.keyPoints).toHaveLength(3);
    for (const point of summary.keyPoints) expect(wordCount(point)).toBeLessThanOrEqual(24);
  });

  it('never picks a sentence holding a banned phrase', async () => {
    const story = exampleStory('halvorsen-tern-risc-v');
    const banned = story.text.split(/(?<=[.!?”])\s+/).find((s) => /revolutionary/i.test(s));
    expect(banned).toBeDefined();
    const strict = loadExamplePodcast({
      style: { tone: 'conversational', bannedPhrases: ['revolutionary', 'data center'] },
    });
    const summary = await new ExtractiveWriter().summarize(story, context(strict));
    expect(summary.sentences.join(' ')).not.toMatch(/revolutionary|data center/i);
    expect(summary.keyPoints.join(' ')).not.toMatch(/revolutionary/i);
  });
});

describe('ExtractiveWriter.outline', () => {
  it('plans intro, one segment per story in rank order and outro, adding up to the target', async () => {
    const { summaries, outline } = await writeAll();
    expect(outline.segments.map((s) => s.kind)).toEqual([
      'intro',
      'story',
      'story',
      'story',
      'story',
      'outro',
    ]);
    expect(outline.segments.filter((s) => s.kind === 'story').map((s) => s.storyId)).toEqual(
      summaries.map((s) => s.storyId)
    );
    const total = outline.segments.reduce((n, s) => n + s.targetWords, 0);
    expect(Math.abs(total - 450)).toBeLessThanOrEqual(6);
    expect(outline.targetWords).toBe(450);
    expect(outline.episodeTitle).toMatch(
      /^Halvorsen unveils Tern, QuillMQ moves to a source-available license and more$/
    );
  });

  it('uses the episode title when the run gives one', async () => {
    const { outline } = await writeAll(loadExamplePodcast(), 'Chips and licenses');
    expect(outline.episodeTitle).toBe('Chips and licenses');
  });
});

describe('ExtractiveWriter.script', () => {
  it('writes a two-host dialogue from the summaries with attributed, sourced facts', async () => {
    const { summaries, script } = await writeAll();
    const [first, second] = script.turns;
    expect(first?.speaker).toBe('ava');
    expect(first?.text).toMatch(
      /^Hey, and welcome to Tech Weekly\. I'm Ava, and with me as always is Ben\. It's Monday, November 23/
    );
    expect(second?.speaker).toBe('ben');
    for (const [i, turn] of script.turns.entries()) {
      expect(turn.index).toBe(i);
      if (i > 0) expect(turn.speaker).not.toBe(script.turns[i - 1]?.speaker);
    }
    // Every summary sentence the script speaks is attributed to its story; banter cites nothing.
    const normalise = (s: string) => s.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
    for (const summary of summaries) {
      const storyTurns = script.turns.filter((t) => t.sourceIds.includes(summary.storyId));
      // A story may be one fact long when the script is fitted to the duration.
      expect(storyTurns.length).toBeGreaterThanOrEqual(1);
      expect(storyTurns[0]?.text).toContain(summary.sourceName);
      const spoken = summary.sentences
        .map(normalise)
        .filter((s) => storyTurns.some((t) => t.text.includes(s.slice(1))));
      expect(spoken.length).toBeGreaterThanOrEqual(1);
    }
    for (const turn of script.turns.filter((t) => t.sourceIds.length === 0))
      expect(turn.text.length).toBeLessThan(160);
    expect(script.wordCount).toBeGreaterThanOrEqual(300);
    expect(script.wordCount).toBeLessThanOrEqual(600);
  });

  it('is deterministic: the same input gives byte-identical output', async () => {
    const a = await writeAll();
    const b = await writeAll();
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('chooses its templates by tone and rotates co-hosts when there are more than two hosts', async () => {
    const base = loadExamplePodcast();
    const formal = await writeAll({ ...base, style: { ...base.style, tone: 'formal' } });
    expect(formal.script.turns[0]?.text).toMatch(
      /^(Welcome to Tech Weekly\. I am Ava|This is Tech Weekly\. I am Ava)/
    );
    expect(formal.script.turns.map((t) => t.text).join(' ')).not.toMatch(/Hey|Huh|Ooh/);

    const trio = await writeAll({
      ...base,
      hosts: [...base.hosts, { id: 'cleo', name: 'Cleo', role: 'co-host', voice: { pitch: 45, speed: 170 } }],
    });
    const speakers = new Set(trio.script.turns.map((t) => t.speaker));
    expect(speakers).toEqual(new Set(['ava', 'ben', 'cleo']));
    const storyCoHosts = trio.outline.segments
      .filter((s) => s.kind === 'story')
      .map((s) => trio.script.turns.find((t) => t.segmentId === s.id && t.speaker !== 'ava')?.speaker);
    expect(storyCoHosts).toEqual(['ben', 'cleo', 'ben', 'cleo']);
  });
});

describe('the outro', () => {
  const outroText = (script: { turns: { segmentId: string; text: string }[] }) =>
    script.turns
      .filter((t) => t.segmentId === 'outro')
      .map((t) => t.text)
      .join(' ');

  it.each(['conversational', 'formal', 'playful'] as const)(
    'promises links in the show notes only when every story has one (%s)',
    async (tone) => {
      // Prepare
      // The dialogue as the outline plans it (the fit may shorten a tight outro to its brief form,
      // which makes no promise: text-fit.ts).
      const base = loadExamplePodcast();
      const podcast = { ...base, style: { ...base.style, tone } };
      const { summaries, outline } = await writeAll(podcast);
      const unlinked = summaries.map((s, i) =>
        i === 1 ? { ...s, url: 'file:///srv/show/articles/x.html' } : s
      );
      const write = (stories: typeof summaries) =>
        buildDialogue({ outline, summaries: stories, podcast, episodeDate: '2026-11-23' });

      // Act
      const linked = outroText(write(summaries));
      const withoutLinks = outroText(write(unlinked));

      // Assess
      expect(linked).toMatch(/show notes/);
      expect(withoutLinks).toMatch(/show notes/);
      expect(withoutLinks).not.toMatch(/link/i);
      const bank = PHRASE_BANKS.en[tone];
      const said = (text: string) => (line: string) => text.includes(line.replace(/’/g, "'"));
      expect(bank.outroCohost.some(said(linked))).toBe(true);
      expect(bank.outroCohostUnlinked.some(said(withoutLinks))).toBe(true);
      for (const line of bank.outroCohostUnlinked) expect(line).not.toMatch(/link/i);
    }
  );
});

describe('dialogue helpers', () => {
  it('lower-cases only common first words and knows which sentences can follow a comma', () => {
    expect(lowerFirst('The chip ships in May.')).toBe('the chip ships in May.');
    expect(lowerFirst('Halvorsen said so.')).toBe('Halvorsen said so.');
    expect(lowerFirst('AMD said so.')).toBe('AMD said so.');
    const context = ['Analysts say Halvorsen is ahead.'];
    expect(canFollowComma('Halvorsen said so.', context)).toBe(true);
    expect(canFollowComma('Versions up to 3.8 stay free.', context)).toBe(false);
    expect(canFollowComma('“It works,” she said.', context)).toBe(false);
    expect(canFollowComma('QuillMQ is popular.', context)).toBe(true);
    expect(canFollowComma('Seawater-cooled sites are rare.', context)).toBe(false);
    expect(canFollowComma('Seawater-cooled sites are rare.', ['Visit the Seawater-cooled Hall.'])).toBe(true);
    expect(spokenForms('en-us').date('2026-11-23')).toBe('Monday, November 23');
  });
});
