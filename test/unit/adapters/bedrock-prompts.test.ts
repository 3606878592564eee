/**
 * What the Bedrock prompts ask for, by cast and language: the podcast's language named in every
 * prompt (story sentences copied as they are), a monologue for a solo show, turns for two hosts
 * and a panel for three or four.
 */
import {
  languageName,
  outlinePrompt,
  scriptSegmentPrompt,
  summaryPrompt,
} from '../../../stages/shared/adapters/cloud/bedrock-prompts';
import type { Outline, StorySummary } from '../../../stages/shared/content-types';
import { podcastConfig } from '../../fixtures/podcast-config';

const SUMMARY: StorySummary = {
  storyId: 's1',
  title: 'Chips ship',
  sourceName: 'Ledger',
  url: 'https://example.com/s1',
  sentences: ['The chip ships in May.'],
  keyPoints: ['Chip ships in May'],
  wordCount: 5,
};
const OUTLINE: Outline = {
  episodeTitle: 'Chips',
  targetWords: 300,
  segments: [
    { id: 'intro', kind: 'intro', title: 'Intro', targetWords: 30 },
    { id: 'story-1', kind: 'story', title: 'Chips ship', storyId: 's1', targetWords: 240 },
    { id: 'outro', kind: 'outro', title: 'Outro', targetWords: 30 },
  ],
};
const host = (id: string, role: 'lead' | 'co-host' = 'co-host') => ({ id, name: id.toUpperCase(), role });

function segmentPrompt(hosts: ReturnType<typeof host>[], language = 'en-us', segment = 1) {
  const podcast = podcastConfig({ hosts, language });
  return scriptSegmentPrompt({
    podcast,
    outline: OUTLINE,
    segment: OUTLINE.segments[segment] ?? OUTLINE.segments[0]!,
    summaries: [SUMMARY],
    previous: [],
    episodeDate: '2026-11-23',
  });
}

describe('Bedrock prompts', () => {
  it("name the podcast's language in every prompt and keep story sentences as written", () => {
    const podcast = podcastConfig({ language: 'de-at' });
    const story = {
      id: 's1',
      sourceId: 'x',
      sourceName: 'Ledger',
      title: 'Chips ship',
      url: 'https://example.com/s1',
      text: 'The chip ships in May.',
      wordCount: 5,
    };
    const prompts = [
      summaryPrompt(story, podcast),
      outlinePrompt([SUMMARY], podcast, 300),
      segmentPrompt([host('ava', 'lead'), host('ben')], 'de-at'),
    ];

    expect(languageName('de-at')).toBe('German (de-at)');
    for (const prompt of prompts) {
      expect(prompt.system).toContain('Language: German (de-at).');
      expect(prompt.system).toContain('everything the hosts say in German (de-at)');
      expect(prompt.system).toContain('stay exactly as the story has them');
    }
    expect(prompts[2]?.user).toMatch(/^Write the dialogue of one segment .* in German \(de-at\)\./);
  });

  it('ask a solo show for a monologue by its one host', () => {
    const { user } = segmentPrompt([host('ava', 'lead')], 'fr');

    expect(user).toMatch(/^Write the monologue of one segment/);
    expect(user).toContain('The host (use the id as "speaker"):');
    expect(user).toContain('This is a solo show: a monologue. Every turn is spoken by "ava"');
    expect(user).not.toContain('take turns');
    expect(segmentPrompt([host('ava', 'lead')], 'fr', 0).user).not.toContain('speaks first');
  });

  it('ask two hosts to take turns and a panel to give every host a say', () => {
    const duo = segmentPrompt([host('ava', 'lead'), host('ben')]).user;
    const panel = segmentPrompt([host('ava', 'lead'), host('ben'), host('cleo'), host('dan')]).user;

    expect(duo).toContain('The two hosts take turns; no host speaks twice in a row.');
    expect(panel).toContain('A panel: AVA leads and every host speaks in every story segment');
    for (const id of ['ava', 'ben', 'cleo', 'dan']) expect(panel).toContain(`- "${id}": ${id.toUpperCase()}`);
    expect(segmentPrompt([host('ava', 'lead'), host('ben')], 'en-us', 0).user).toContain(
      'AVA ("ava") speaks first.'
    );
  });
});
