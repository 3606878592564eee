/** Review's speaker check: turns are said by host ids; a host's name maps to its id, ids first. */
import { reviewScript } from '../../../stages/review/script-checks';
import type { Script } from '../../../stages/shared/content-types';
import { podcastConfig } from '../../fixtures/podcast-config';

const turn = (index: number, speaker: string, text: string) => ({
  index,
  segmentId: 'intro',
  speaker,
  text,
  sourceIds: [],
});

function review(script: Script, hosts: { id: string; name: string }[]) {
  const podcast = podcastConfig({
    hosts: hosts.map((h, i) => ({ ...h, role: i === 0 ? 'lead' : 'co-host' })),
  });
  return reviewScript(script, {
    hosts: podcast.hosts,
    bannedPhrases: [],
    knownStoryIds: new Set(),
    targetWords: 12,
    tolerance: 0.9,
  });
}

describe('review: speakers', () => {
  it("keeps each host's turns when a host is named like another host's id", () => {
    const script: Script = {
      episodeTitle: 'T',
      turns: [
        turn(0, 'ava', 'Hello, I am Ben.'),
        turn(1, 'ben', 'And I am Ava.'),
        turn(2, 'ava', 'Let us start.'),
      ],
      wordCount: 11,
    };

    const outcome = review(script, [
      { id: 'ava', name: 'Ben' },
      { id: 'ben', name: 'Ava' },
    ]);

    expect(outcome.failure).toBeUndefined();
    expect(outcome.script.turns.map((t) => t.speaker)).toEqual(['ava', 'ben', 'ava']);
  });

  it("maps a host's name to its id", () => {
    const script: Script = {
      episodeTitle: 'T',
      turns: [turn(0, 'Ava', 'Hello there, everyone.'), turn(1, 'ben', 'Hi, good to be here today.')],
      wordCount: 9,
    };

    const outcome = review(script, [
      { id: 'ava', name: 'Ava' },
      { id: 'ben', name: 'Ben' },
    ]);

    expect(outcome.script.turns.map((t) => t.speaker)).toEqual(['ava', 'ben']);
  });
});
