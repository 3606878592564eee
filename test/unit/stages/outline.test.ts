import { lengthPlan, plannedWords } from '../../../stages/shared/length-plan';
import { runCore } from '../../helpers/run-core';
import { outlineStage } from '../../../stages/outline/outline';
import type { SummarizeManifest } from '../../../stages/summarize/schema';
import { ExtractiveWriter } from '../../../stages/shared/adapters/offline/extractive-writer';
import type { Outline } from '../../../stages/shared/content-types';
import { FatalStageError } from '../../../stages/shared/errors';
import type { Writer } from '../../../stages/shared/providers';
import {
  loadExamplePodcast,
  prepareWorld,
  runContentStages,
  runStage,
  stageContext,
  stageInput,
} from './content-fixtures';

function writerWithOutline(name: string, change: (outline: Outline) => unknown): Writer {
  const offline = new ExtractiveWriter();
  return {
    name,
    summarize: offline.summarize.bind(offline),
    outline: async (summaries, ctx) => change(await offline.outline(summaries, ctx)) as Outline,
    script: offline.script.bind(offline),
  };
}

describe('outline', () => {
  it("plans the episode to the length plan (targetMinutes at the hosts' rates), one segment per summarized story", async () => {
    // Prepare
    const world = await runContentStages(await prepareWorld(), 'summarize');

    // Act
    const manifest = await runStage(world, outlineStage);

    // Assess
    const outline = world.deps.media.json<Outline>(manifest.key);
    const summaries = (world.stages.summarize as SummarizeManifest).summaries;
    expect(manifest).toEqual({
      key: 'runs/tech-weekly-2026-11-23/outline/outline.json',
      segments: summaries.length + 2,
      targetWords: plannedWords(lengthPlan(loadExamplePodcast()), summaries.length),
    });
    expect(outline.targetWords).toBe(manifest.targetWords);
    // Three minutes at about 2.8 words a second, less the music and pauses.
    expect(manifest.targetWords).toBeGreaterThan(380);
    expect(manifest.targetWords).toBeLessThan(470);
    expect(outline.segments.filter((s) => s.kind === 'story').map((s) => s.storyId)).toEqual(
      summaries.map((s) => s.storyId)
    );
    expect(outline.segments[0]?.kind).toBe('intro');
    expect(outline.segments[outline.segments.length - 1]?.kind).toBe('outro');
  });

  it('scales with targetMinutes and takes the run episode title', async () => {
    const world = await runContentStages(
      await prepareWorld({
        podcast: loadExamplePodcast({ targetMinutes: 5 }),
        title: 'Chips, queues and cold water',
      }),
      'summarize'
    );
    const manifest = await runStage(world, outlineStage);
    const outline = world.deps.media.json<Outline>(manifest.key);
    expect(manifest.targetWords).toBe(
      plannedWords(lengthPlan(loadExamplePodcast({ targetMinutes: 5 })), outline.segments.length - 2)
    );
    expect(outline.episodeTitle).toBe('Chips, queues and cold water');
    const storyWords = outline.segments.filter((s) => s.kind === 'story').map((s) => s.targetWords);
    expect(storyWords.every((w) => w > 120)).toBe(true);
  });

  it('fails on a writer outline without segments, naming the field', async () => {
    const world = await runContentStages(
      await prepareWorld({ writer: writerWithOutline('hollow', (o) => ({ ...o, segments: [] })) }),
      'summarize'
    );
    const error = await runCore(outlineStage, stageInput(world), stageContext(world)).catch(
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(FatalStageError);
    expect((error as Error).message).toMatch(
      /^writer "hollow" returned a malformed outline: segments: the outline has no segments/
    );
  });

  it('fails on a writer outline that names a story nobody summarized', async () => {
    const stray = writerWithOutline('stray', (o) => ({
      ...o,
      segments: o.segments.map((s) => (s.id === 'story-2' ? { ...s, storyId: 'made-up' } : s)),
    }));
    const world = await runContentStages(await prepareWorld({ writer: stray }), 'summarize');
    await expect(runCore(outlineStage, stageInput(world), stageContext(world))).rejects.toThrow(
      'segment story-2 names unknown story "made-up"'
    );
  });

  it('fails on a writer outline with a wrongly typed field', async () => {
    const typo = writerWithOutline('typo', (o) => ({
      ...o,
      segments: o.segments.map((s, i) => (i === 1 ? { ...s, targetWords: 'ninety' } : s)),
    }));
    const world = await runContentStages(await prepareWorld({ writer: typo }), 'summarize');
    await expect(runCore(outlineStage, stageInput(world), stageContext(world))).rejects.toThrow(
      /malformed outline: segments\.1\.targetWords: /
    );
  });
});
