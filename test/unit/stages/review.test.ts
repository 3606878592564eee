import { runCore } from '../../helpers/run-core';
import { reviewStage } from '../../../stages/review/review';
import type { ReviewManifest } from '../../../stages/review/schema';
import { putJson } from '../../../stages/shared/artifact-keys';
import type { Script, ScriptTurn } from '../../../stages/shared/content-types';
import { FatalStageError } from '../../../stages/shared/errors';
import type { PrepareManifest } from '../../../stages/prepare/schema';
import { estimateSeconds, lengthPlan } from '../../../stages/shared/length-plan';
import {
  loadExamplePodcast,
  prepareWorld,
  runContentStages,
  runStage,
  stageContext,
  stageInput,
  type ContentWorld,
} from './content-fixtures';

const RUN = 'tech-weekly-2026-11-23';

/** A sentence of exactly `n` words, starting with a capitalised label. */
function sentence(label: string, n: number): string {
  const fillers = n - label.split(' ').length;
  // Letter-only fillers (worda, wordb, ...): a spoken word each, as the length plan counts them.
  const filler = (i: number) =>
    `word${[...i.toString(26)].map((d) => String.fromCharCode(97 + parseInt(d, 26))).join('')}`;
  return `${label} ${Array.from({ length: fillers }, (_, i) => filler(i)).join(' ')}.`;
}

type TurnSpec = [segmentId: string, speaker: string, text: string, sourceIds?: string[]];

function script(specs: TurnSpec[]): Script {
  const turns: ScriptTurn[] = specs.map(([segmentId, speaker, text, sourceIds], index) => ({
    index,
    segmentId,
    speaker,
    text,
    sourceIds: sourceIds ?? [],
  }));
  return { episodeTitle: 'Test episode', turns, wordCount: 0 };
}

/** A well-formed 258-word script: intro, two stories (s1, s2) of three exchanges each, outro. */
function longSpecs(): TurnSpec[] {
  const story = (segment: string, id: string): TurnSpec[] => [
    [segment, 'ava', sentence(`Fact ${id} one`, 30), [id]],
    [segment, 'ben', sentence('Question', 6)],
    [segment, 'ava', sentence(`Fact ${id} two`, 30), [id]],
    [segment, 'ben', sentence('Question', 6)],
    [segment, 'ava', sentence(`Fact ${id} three`, 30), [id]],
    [segment, 'ben', sentence('Wrap', 6)],
  ];
  return [
    ['intro', 'ava', sentence('Welcome', 10)],
    ['intro', 'ben', sentence('Hello', 8)],
    ...story('story-1', 's1'),
    ...story('story-2', 's2'),
    ['outro', 'ava', sentence('Thanks', 10)],
    ['outro', 'ben', sentence('Links', 8)],
    ['outro', 'ava', sentence('Bye', 6)],
  ];
}

/** The targetMinutes the length plan (the example's hosts and rates) says `specs` last exactly. */
function fitMinutes(specs: TurnSpec[]): number {
  return estimateSeconds(script(specs).turns, lengthPlan(loadExamplePodcast())) / 60;
}

/** A world whose script stage produced `draft`, with stories s1 and s2 summarized and a 1-minute target. */
async function reviewWorld(draft: Script, targetMinutes = 1): Promise<ContentWorld> {
  const world = await prepareWorld({ podcast: loadExamplePodcast({ targetMinutes }) });
  const key = `runs/${RUN}/script/script.json`;
  await putJson(world.deps.media, key, draft);
  world.stages.script = {
    key,
    textKey: `runs/${RUN}/script/script.txt`,
    turns: draft.turns.length,
    words: 0,
  };
  world.stages.summarize = {
    summaries: ['s1', 's2'].map((storyId, i) => ({
      storyId,
      key: `runs/${RUN}/summarize/${storyId}.json`,
      rank: i + 1,
    })),
  };
  return world;
}

interface Report {
  passed: boolean;
  failure?: string;
  checks: { name: string; status: string; details: string[] }[];
  after: { words: number; turns: number };
  allowedWords: { min: number; max: number };
}

const reportOf = (world: ContentWorld) => world.deps.media.json<Report>(`runs/${RUN}/review/report.json`);
const statusOf = (world: ContentWorld, name: string) =>
  reportOf(world).checks.find((c) => c.name === name)?.status;

describe('review', () => {
  it('passes the shipped example script and writes the reviewed script, transcript and report', async () => {
    // Prepare
    const world = await runContentStages(await prepareWorld(), 'script');

    // Act
    const manifest = (await runStage(world, reviewStage)) as ReviewManifest;

    // Assess
    expect(manifest.key).toBe(`runs/${RUN}/review/script.json`);
    expect(manifest.reportKey).toBe(`runs/${RUN}/review/report.json`);
    const reviewed = world.deps.media.json<Script>(manifest.key);
    expect(reviewed.turns).toHaveLength(manifest.turns);
    expect(world.deps.media.text(manifest.textKey).startsWith('Ava: ')).toBe(true);
    expect(reportOf(world).passed).toBe(true);
    expect(manifest.words).toBeGreaterThanOrEqual(293);
    expect(manifest.words).toBeLessThanOrEqual(607);
    expect(world.deps.media.text(manifest.textKey)).not.toMatch(
      /game changer|revolutionary|needless to say/i
    );
  });

  it('removes sentences with banned phrases, drops emptied turns and merges the same speaker', async () => {
    const specs = longSpecs();
    specs[4] = [
      'story-1',
      'ava',
      `${sentence('Fact s1 two', 20)} It is a real GAME   changer for teams.`,
      ['s1'],
    ];
    specs[5] = ['story-1', 'ben', 'Needless to say, wow!'];
    const world = await reviewWorld(script(specs), fitMinutes(specs));

    const manifest = (await runStage(world, reviewStage)) as ReviewManifest;

    const reviewed = world.deps.media.json<Script>(manifest.key);
    const text = reviewed.turns.map((t) => t.text).join(' ');
    expect(text).not.toMatch(/game\s+changer|needless to say/i);
    expect(text).toContain(sentence('Fact s1 two', 20));
    expect(manifest.fixes).toEqual(
      expect.arrayContaining([
        'banned-phrases: turn 4: removed the sentence(s) with "game changer"',
        'banned-phrases: turn 5: dropped, every sentence held "needless to say"',
        'speakers: turns 4 and 6 (ava): merged consecutive turns by the same speaker',
      ])
    );
    reviewed.turns.forEach((t, i) => expect(t.index).toBe(i));
    expect(statusOf(world, 'banned-phrases')).toBe('fixed');
  });

  it('drops a claim citing an unknown story and maps a host name to its id', async () => {
    const specs = longSpecs();
    specs[9] = ['story-2', 'ben', sentence('Rumour', 12), ['ghost-story']];
    specs[10] = ['story-2', 'Ava', specs[10]?.[2] ?? '', ['s2']];
    specs.splice(3, 0, ['story-1', 'ben', '   ']);
    // The target the script lasts once the claim (12 words) is dropped.
    const world = await reviewWorld(script(specs), fitMinutes(specs.filter((_, i) => i !== 10)));

    const manifest = (await runStage(world, reviewStage)) as ReviewManifest;

    const reviewed = world.deps.media.json<Script>(manifest.key);
    expect(reviewed.turns.some((t) => t.sourceIds.includes('ghost-story'))).toBe(false);
    expect(reviewed.turns.every((t) => t.speaker === 'ava' || t.speaker === 'ben')).toBe(true);
    expect(manifest.fixes).toEqual(
      expect.arrayContaining([
        'speakers: turn 3: dropped, its text is empty',
        'speakers: turn 11: speaker "Ava" is host "ava"',
        'sources: turn 10: dropped, it cites unknown story "ghost-story"',
      ])
    );
    expect(statusOf(world, 'sources')).toBe('fixed');
  });

  it('fails on a speaker who is not a host, naming the turn, and still writes the report', async () => {
    const specs = longSpecs();
    specs[3] = ['story-1', 'carl', sentence('Guest', 6)];
    const world = await reviewWorld(script(specs), 1.5);

    const error = await runCore(reviewStage, stageInput(world), stageContext(world)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FatalStageError);
    expect((error as Error).message).toBe(
      'review failed: speakers: turn 3: speaker "carl" is not a host (ava, ben)'
    );
    expect(reportOf(world).passed).toBe(false);
    expect(statusOf(world, 'speakers')).toBe('failed');
    expect(await world.deps.media.exists(`runs/${RUN}/review/script.json`)).toBe(false);
  });

  it('trims the lowest-value exchanges of a long script to the budget, keeping intro, outro and story openers', async () => {
    // 258 words, about 1.8 minutes at the example's rates, against 1.5 minutes.
    const world = await reviewWorld(script(longSpecs()), 1.5);

    const manifest = (await runStage(world, reviewStage)) as ReviewManifest;

    const reviewed = world.deps.media.json<Script>(manifest.key);
    const allowed = reportOf(world).allowedWords;
    expect(allowed.max).toBeLessThan(258);
    expect(manifest.words).toBeLessThanOrEqual(allowed.max);
    expect(manifest.words).toBeGreaterThanOrEqual(allowed.min);
    expect(manifest.fixes.filter((f) => f.startsWith('length: dropped turns')).length).toBeGreaterThan(0);
    const texts = reviewed.turns.map((t) => t.text);
    for (const kept of ['Welcome', 'Hello', 'Fact s1 one', 'Fact s2 one', 'Thanks', 'Links', 'Bye'])
      expect(texts.some((t) => t.startsWith(kept))).toBe(true);
    reviewed.turns.slice(1).forEach((t, i) => {
      const previous = reviewed.turns[i];
      if (previous?.segmentId === t.segmentId) expect(t.speaker).not.toBe(previous.speaker);
    });
    expect(statusOf(world, 'length')).toBe('fixed');
  });

  it('fails a script too short to fix with a clear reason', async () => {
    const world = await reviewWorld(script(longSpecs()), 3); // about 1.8 minutes against 3
    const error = await runCore(reviewStage, stageInput(world), stageContext(world)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalStageError);
    expect((error as Error).message).toMatch(
      /^review failed: length: 258 words is under the (\d+)-word minimum \(\d\d% of the \d+-word target\); too short to fix$/
    );
    expect(reportOf(world).allowedWords.min).toBeGreaterThan(350);
    expect(reportOf(world).failure).toContain('too short to fix');
  });

  it('takes the budget from the length plan (the duration), not from the outline word count', async () => {
    const world = await reviewWorld(script(longSpecs()), 3);
    world.stages.outline = { key: `runs/${RUN}/outline/outline.json`, segments: 4, targetWords: 260 };
    const error = await runCore(reviewStage, stageInput(world), stageContext(world)).catch((e: unknown) => e);
    expect((error as Error).message).toContain('too short to fix');
    const fitting = await reviewWorld(script(longSpecs()), fitMinutes(longSpecs()));
    const manifest = (await runStage(fitting, reviewStage)) as ReviewManifest;
    expect(manifest.fixes).toEqual([]);
    expect(manifest.words).toBe(258);
  });

  it('returns the skipped manifest when the run switched review off', async () => {
    const world = await reviewWorld(script(longSpecs()));
    (world.stages.prepare as PrepareManifest).enabled.review = false;
    expect(await runStage(world, reviewStage)).toEqual({ skipped: true });
  });
});
