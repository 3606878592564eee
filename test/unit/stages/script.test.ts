import { runCore } from '../../helpers/run-core';
import { scriptStage } from '../../../stages/script/script';
import { ExtractiveWriter } from '../../../stages/shared/adapters/offline/extractive-writer';
import type { Script } from '../../../stages/shared/content-types';
import { FatalStageError } from '../../../stages/shared/errors';
import type { Writer } from '../../../stages/shared/providers';
import { prepareWorld, runContentStages, runStage, stageContext, stageInput } from './content-fixtures';

function writerWithScript(name: string, change: (script: Script) => unknown): Writer {
  const offline = new ExtractiveWriter();
  return {
    name,
    summarize: offline.summarize.bind(offline),
    outline: offline.outline.bind(offline),
    script: async (outline, summaries, ctx) =>
      change(await offline.script(outline, summaries, ctx)) as Script,
  };
}

describe('script', () => {
  it('writes the dialogue JSON and a "Host Name: line" transcript, long enough for a minute of speech', async () => {
    // Prepare
    const world = await runContentStages(await prepareWorld(), 'outline');

    // Act
    const manifest = await runStage(world, scriptStage);

    // Assess
    const script = world.deps.media.json<Script>(manifest.key);
    const lines = world.deps.media.text(manifest.textKey).trimEnd().split('\n');
    expect(manifest.key).toBe('runs/tech-weekly-2026-11-23/script/script.json');
    expect(manifest.textKey).toBe('runs/tech-weekly-2026-11-23/script/script.txt');
    expect(manifest.turns).toBe(script.turns.length);
    expect(lines).toHaveLength(script.turns.length);
    for (const [i, line] of lines.entries()) {
      const turn = script.turns[i];
      expect(line).toBe(`${turn?.speaker === 'ava' ? 'Ava' : 'Ben'}: ${turn?.text}`);
    }
    expect(manifest.words).toBe(script.wordCount);
    expect(manifest.words).toBeGreaterThanOrEqual(200); // >= 60 s at ~160 words a minute
    expect(Math.abs(manifest.words - 450)).toBeLessThan(450 * 0.35);
  });

  it('is deterministic across runs', async () => {
    const a = await runContentStages(await prepareWorld(), 'outline');
    const b = await runContentStages(await prepareWorld(), 'outline');
    const ma = await runStage(a, scriptStage);
    const mb = await runStage(b, scriptStage);
    expect(b.deps.media.text(mb.key)).toBe(a.deps.media.text(ma.key));
    expect(b.deps.media.text(mb.textKey)).toBe(a.deps.media.text(ma.textKey));
  });

  it('states its own word count rather than trusting the writer', async () => {
    const world = await runContentStages(
      await prepareWorld({ writer: writerWithScript('boastful', (s) => ({ ...s, wordCount: 99999 })) }),
      'outline'
    );
    const manifest = await runStage(world, scriptStage);
    expect(manifest.words).toBeLessThan(1000);
    expect(world.deps.media.json<Script>(manifest.key).wordCount).toBe(manifest.words);
  });

  it('fails on a writer script with no turns or with a turn outside the outline', async () => {
    const empty = await runContentStages(
      await prepareWorld({ writer: writerWithScript('mute', (s) => ({ ...s, turns: [] })) }),
      'outline'
    );
    const error = await runCore(scriptStage, stageInput(empty), stageContext(empty)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalStageError);
    expect((error as Error).message).toBe(
      'writer "mute" returned a malformed script: turns: the script has no turns'
    );

    const lost = writerWithScript('lost', (s) => ({
      ...s,
      turns: s.turns.map((t, i) => (i === 3 ? { ...t, segmentId: 'bonus' } : t)),
    }));
    const world = await runContentStages(await prepareWorld({ writer: lost }), 'outline');
    await expect(runCore(scriptStage, stageInput(world), stageContext(world))).rejects.toThrow(
      'writer "lost" returned a malformed script: turn 3 is in unknown segment "bonus"'
    );
  });

  it('rejects an input without the outline manifest, naming the field', () => {
    const result = scriptStage.inputSchema.safeParse({ runId: 'r', podcastId: 'p', stages: {} });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['stages.outline', 'stages.summarize'])
    );
  });
});
