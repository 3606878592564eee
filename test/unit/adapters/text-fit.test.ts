/**
 * The offline writer's fit (text-fit.ts) never hands on a script the mix's pacing cannot bring
 * within the review tolerance of its target: when no shorter variant of the material comes close,
 * the unit fails naming the closest duration and what to change.
 */
import { fitScript } from '../../../stages/shared/adapters/offline/text-fit';
import type { ScriptInput } from '../../../stages/shared/adapters/offline/script-builder';
import type { Outline, Script } from '../../../stages/shared/content-types';
import { podcastConfig } from '../../fixtures/podcast-config';

const outline: Outline = {
  episodeTitle: 'T',
  targetWords: 120,
  segments: [
    { id: 'intro', kind: 'intro', title: 'Intro', targetWords: 30 },
    { id: 'story-1', kind: 'story', title: 'A', storyId: 'a', targetWords: 60 },
    { id: 'outro', kind: 'outro', title: 'Outro', targetWords: 30 },
  ],
};

/** A writer whose every variant says the same long turns, whatever the outline asks for. */
function stubbornWriter(words: number): (input: ScriptInput) => Script {
  const text = `${'word '.repeat(words - 1)}end.`;
  return () => ({
    episodeTitle: 'T',
    turns: [0, 1, 2].map((index) => ({
      index,
      segmentId: 'story-1',
      speaker: 'ava',
      text,
      sourceIds: ['a'],
    })),
    wordCount: words * 3,
  });
}

describe('fitScript', () => {
  it('fails naming the closest duration when no variant of the material fits the target', () => {
    const input: ScriptInput = {
      outline,
      summaries: [],
      podcast: podcastConfig({ targetMinutes: 1, minStories: 1, maxStories: 1 }),
      episodeDate: '2026-11-23',
    };

    const attempt = () => fitScript(input, stubbornWriter(150));

    expect(attempt).toThrow(
      /^the closest script this material allows lasts about \d+ s, more than 7% off the 1-minute target even with the mix's pacing: raise targetMinutes/
    );
  });

  it('hands on a script that fits', () => {
    const input: ScriptInput = {
      outline,
      summaries: [],
      podcast: podcastConfig({ targetMinutes: 1, minStories: 1, maxStories: 1 }),
      episodeDate: '2026-11-23',
    };

    // 135 words at the host's rate, with their pauses and the beds: within a tenth of a minute.
    const script = fitScript(input, stubbornWriter(45));

    expect(script.turns).toHaveLength(3);
  });
});
