import { podcastConfigSchema } from '../../../stages/shared/config-schema';
import {
  REVIEW_TOLERANCE,
  estimateSeconds,
  lengthPlan,
  lengthProblem,
  lengthRange,
  pauseSeconds,
  plannedWords,
  reviewBudget,
  storiesThatFit,
} from '../../../stages/shared/length-plan';
import { MIX_TIMING, PACING_SCALE } from '../../../stages/shared/mix-timing';
import {
  MESPEAK_SPEED_FACTORS,
  MESPEAK_WORDS_PER_SECOND,
  speedFactor,
  sentencesOf,
  countSpokenWords,
  isEnglishText,
} from '../../../stages/shared/speaking-rates';
import { voiceSlotOf } from '../../../stages/shared/voice-cast';
import { loadExamplePodcast } from '../stages/content-fixtures';

const solo = (overrides = {}) =>
  loadExamplePodcast({ hosts: [{ id: 'lena', name: 'Lena', role: 'lead', voice: {} }], ...overrides });

describe('speaking rates', () => {
  it('counts a number as its digits and each part of a hyphenated word', () => {
    expect(countSpokenWords('A 128-core chip ships in 2027.')).toBe(1 + 3 + 1 + 1 + 1 + 1 + 4);
    expect(countSpokenWords('Version 3.8 is out')).toBe(1 + 3 + 2);
    expect(countSpokenWords('word12 H100')).toBe(3 + 4);
  });

  it('tells English sentences from the podcast language', () => {
    expect(isEnglishText('The company said that it is ready.', 'de')).toBe(true);
    expect(isEnglishText('Das ist die neue Version und sie ist schnell.', 'de')).toBe(false);
  });

  it('gives each host the measured rate of its voice slot, scaled by a pinned speed', () => {
    const podcast = solo({ language: 'de' });
    const slot = voiceSlotOf('lena', podcast);
    expect(lengthPlan(podcast).rates.get('lena')?.own).toBeCloseTo(
      MESPEAK_WORDS_PER_SECOND.de.own[slot] ?? 0,
      6
    );
    const slow = solo({
      language: 'de',
      hosts: [{ id: 'lena', name: 'Lena', role: 'lead', voice: { speed: 110 } }],
    });
    // In proportion to the speed, corrected by the measured factor at 110 (between 80 and 120).
    const factor = 0.95 + ((1.006 - 0.95) * (110 - 80)) / (120 - 80);
    expect(speedFactor(MESPEAK_SPEED_FACTORS.de.own, 110)).toBeCloseTo(factor, 9);
    expect(lengthPlan(slow).rates.get('lena')?.own).toBeCloseTo(
      ((MESPEAK_WORDS_PER_SECOND.de.own[slot] ?? 0) * 110) / 165 / factor,
      6
    );
  });
});

describe('length plan', () => {
  const turns = [
    { speaker: 'lena', segmentId: 'intro', text: 'Hallo und willkommen.' },
    { speaker: 'lena', segmentId: 'story-1', text: 'Die erste Geschichte ist kurz.' },
    { speaker: 'lena', segmentId: 'story-1', text: 'Und das ist alles.' },
  ];

  it('adds the beds and the pauses the mix puts after each turn', () => {
    expect(pauseSeconds(turns)).toBeCloseTo(
      (MIX_TIMING.segmentPauseMs * 2 + MIX_TIMING.turnPauseMs) / 1000,
      6
    );
    const plan = lengthPlan(solo({ language: 'de' }));
    const rate = plan.rates.get('lena')?.own ?? 0;
    // Each sentence also costs the voice's measured pause.
    const sentences = turns.reduce((sum, t) => sum + sentencesOf(t.text).length, 0);
    const speech = 12 / rate + sentences * (plan.rates.get('lena')?.sentenceSeconds ?? 0);
    expect(estimateSeconds(turns, plan)).toBeCloseTo(8 + speech + pauseSeconds(turns), 6);
  });

  it('plans fewer words for a slower voice and for more segments', () => {
    const en = lengthPlan(solo({ language: 'en-us', targetMinutes: 3 }));
    const es = lengthPlan(solo({ language: 'es', targetMinutes: 3 }));
    expect(plannedWords(es, 4)).toBeLessThan(plannedWords(en, 4));
    expect(plannedWords(en, 8)).toBeLessThan(plannedWords(en, 2));
    // The words at the mean rate fill the target less the beds and pauses.
    expect(plannedWords(en, 4) / en.meanRate).toBeLessThan(180 - 8);
  });

  it('keeps only the top-ranked stories a short episode has room for, never fewer than minStories', () => {
    const short = lengthPlan(loadExamplePodcast({ targetMinutes: 1 }));
    expect(storiesThatFit(short, 4, 2)).toBe(2);
    const long = lengthPlan(loadExamplePodcast({ targetMinutes: 3 }));
    expect(storiesThatFit(long, 4, 2)).toBe(4);
    expect(storiesThatFit(long, 1, 2)).toBe(1);
  });

  it('gives review the words that make the target with this draft', () => {
    const plan = lengthPlan(solo({ language: 'de', targetMinutes: 1 }));
    const { targetWords, tolerance } = reviewBudget(turns, plan);
    const rate = plan.rates.get('lena')?.own ?? 0;
    const sentences = turns.reduce((sum, t) => sum + sentencesOf(t.text).length, 0);
    const clips = sentences * (plan.rates.get('lena')?.sentenceSeconds ?? 0);
    // This draft's pace (its 12 words over their speech and clips) fills what the beds and pauses leave.
    const pace = 12 / (12 / rate + clips);
    expect(targetWords).toBeCloseTo((60 - 8 - pauseSeconds(turns)) * pace, -1);
    expect(targetWords).toBeLessThan((60 - 8) * rate);
    // 7% of the minute, and what the mix's pacing absorbs either way (the smaller: its squeeze).
    const fixed = 8 + pauseSeconds(turns);
    expect(tolerance).toBeCloseTo(
      (REVIEW_TOLERANCE * 60 + fixed * Math.min(PACING_SCALE.max - 1, 1 - PACING_SCALE.min)) / (60 - fixed),
      6
    );
  });
});

describe('configs that cannot fit', () => {
  it('accepts the example at 1 and 3 minutes, and a solo show of 30 minutes with enough stories', () => {
    expect(lengthProblem({ ...loadExamplePodcast({ targetMinutes: 1 }), minStories: 2 })).toBeUndefined();
    expect(lengthProblem({ ...loadExamplePodcast(), minStories: 2 })).toBeUndefined();
    expect(lengthProblem({ ...solo({ targetMinutes: 30, maxStories: 12 }), minStories: 2 })).toBeUndefined();
  });

  it('refuses a target too short for minStories and too long for maxStories, saying what to change', () => {
    const raw = { ...loadExamplePodcast() };
    const tooShort = podcastConfigSchema.safeParse({ ...raw, targetMinutes: 1, minStories: 4 });
    expect(tooShort.success).toBe(false);
    expect(tooShort.error?.issues.map((i) => i.message).join()).toMatch(
      /targetMinutes 1 is too short for minStories 4: .* raise targetMinutes to \d+ or set minStories to \d/
    );
    const tooLong = podcastConfigSchema.safeParse({ ...raw, targetMinutes: 30, maxStories: 4 });
    expect(tooLong.error?.issues.find((i) => i.path[0] === 'targetMinutes')?.message).toMatch(
      /targetMinutes 30 is too long for maxStories 4: .*raise maxStories to (9|10)/
    );
  });

  it('bounds the shortest and longest episode by the story count', () => {
    const plan = lengthPlan(loadExamplePodcast());
    const two = lengthRange(plan, 2);
    expect(two.min).toBeGreaterThan(8);
    expect(two.max).toBeGreaterThan(two.min);
    expect(lengthRange(plan, 4).min).toBeGreaterThan(two.min);
  });
});
