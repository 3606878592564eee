/**
 * `runs approve` / `runs reject` / `runs list` on a run waiting for approval of its script: the
 * CLI is a thin wrapper over the approval actions, reads an edited script from a file, and says
 * plainly what is wrong with a bad one (exit 2, nothing changed).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPipeline } from '../../containers/orchestrator/engine/pipeline-engine';
import type { RunStore } from '../../scripts/lib/run-store';
import { rerunExecutionName } from '../../scripts/lib/runs-approval';
import { runsMain } from '../../scripts/lib/runs-commands';
import type { FakeDeps } from '../fakes/fake-deps';
import { DATE, fakeDeps, pipelineInput, RUN_ID, smallPodcast } from '../helpers/fault-injection-harness';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'runs-approval-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function cli(deps: FakeDeps) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    out: (line: string) => out.push(line),
    err: (line: string) => err.push(line),
    cwd: dir,
    env: {},
    openStore: async (): Promise<RunStore> => ({
      persistence: deps,
      deps,
      where: 'memory',
      close: async () => undefined,
    }),
  };
  return { run: (...argv: string[]) => runsMain(argv, io), out, err };
}

/** A gated monolithic run; `whileWaiting` runs once while it waits (as an operator would). */
async function gatedRun(deps: FakeDeps, whileWaiting: () => Promise<void>) {
  const podcast = { ...(await smallPodcast()), targetMinutes: 3 };
  let done = false;
  await runPipeline(
    { runId: RUN_ID, podcastId: podcast.podcastId },
    { ...pipelineInput(RUN_ID, DATE, podcast), flags: { approval: 'script' } },
    {
      deps,
      retryDelayScale: 0,
      approvalPollMs: 1,
      sleep: async () => {
        if (done || !(await deps.runs.get(RUN_ID))?.approval) return;
        done = true;
        await whileWaiting();
      },
    }
  ).catch(() => undefined);
}

describe('runs approve / reject', () => {
  it('lists the waiting run as awaiting-approval, refuses a bad edit file, then approves an edit', async () => {
    const deps = fakeDeps();
    const c = cli(deps);
    await gatedRun(deps, async () => {
      expect(await c.run('list')).toBe(0);
      expect(c.out.join('\n')).toMatch(new RegExp(`${RUN_ID}\\s+\\S+\\s+awaiting-approval`));
      expect(await c.run('show', RUN_ID)).toBe(0);
      expect(c.out.join('\n')).toMatch(/approval {2}script awaiting since .*deadline/);

      writeFileSync(path.join(dir, 'bad.json'), '{ "turns": ');
      expect(await c.run('approve', RUN_ID, '--script', 'bad.json')).toBe(2);
      expect(c.err.at(-1)).toMatch(/^error: --script bad\.json: not valid JSON/);
      writeFileSync(path.join(dir, 'huge.json'), ' '.repeat(1024 * 1024 + 1));
      expect(await c.run('approve', RUN_ID, '--script', 'huge.json')).toBe(2);
      expect(c.err.at(-1)).toBe(
        'error: --script huge.json: 1048577 bytes, over the 1048576-byte limit for a script'
      );

      const key = String((await deps.runs.get(RUN_ID))?.approval?.review.key);
      const script = JSON.parse(deps.media.objects.get(key)?.body.toString('utf8') ?? '{}') as {
        turns: { speaker: string; text: string }[];
      };
      const noHost = { ...script, turns: script.turns.map((t) => ({ ...t, speaker: 'nobody' })) };
      writeFileSync(path.join(dir, 'no-host.json'), JSON.stringify(noHost));
      expect(await c.run('approve', RUN_ID, '--script', 'no-host.json')).toBe(2);
      expect(c.err.at(-1)).toMatch(
        /^error: the edited script fails review: speakers: turn 0: speaker "nobody" is not a host/
      );
      expect((await deps.runs.get(RUN_ID))?.approval?.state).toBe('awaiting');

      const edited = {
        ...script,
        turns: script.turns.map((t, i) =>
          i === 0 ? { ...t, text: `Welcome, Wombatgram fans. ${t.text}` } : t
        ),
      };
      writeFileSync(path.join(dir, 'edited.json'), JSON.stringify(edited));
      expect(await c.run('approve', RUN_ID, '--script', 'edited.json')).toBe(0);
      expect(c.out.at(-1)).toMatch(
        /approved with the edited script: it goes on with runs\/.*\/review\/edits\//
      );
    });
    expect((await deps.runs.get(RUN_ID))?.status).toBe('succeeded');
    const transcript = [...deps.media.objects].find(([k]) => k.endsWith('notes/transcript.vtt'))?.[1];
    expect(transcript?.body.toString('utf8')).toContain('Wombatgram');
  });

  it('rejects with the reason; a second decision is refused', async () => {
    const deps = fakeDeps();
    const c = cli(deps);
    await gatedRun(deps, async () => {
      expect(await c.run('reject', RUN_ID)).toBe(2);
      expect(c.err.at(-1)).toBe('error: runs reject needs --reason "<why the script is rejected>"');
      expect(await c.run('reject', RUN_ID, '--reason', 'too much hype')).toBe(0);
      expect(c.out.at(-1)).toBe(
        `run ${RUN_ID} rejected: the script was rejected: too much hype (the run is failed: RunRejectedError)`
      );
    });
    expect(await c.run('approve', RUN_ID)).toBe(1);
    expect(c.err.at(-1)).toBe(
      `error: run "${RUN_ID}" is failed (its script was rejected), not awaiting approval: nothing changed`
    );
    expect((await deps.runs.get(RUN_ID))?.error).toMatchObject({ stage: 'review', name: 'RunRejectedError' });
  });
});

describe('rerunExecutionName', () => {
  it('names the rerun after the run and its attempt, within Step Functions 80 characters', () => {
    expect(rerunExecutionName('tech-weekly-2026-11-23', 2)).toBe('tech-weekly-2026-11-23-r2');
    const long = 'a'.repeat(80);
    expect(rerunExecutionName(long, 12)).toBe(`${'a'.repeat(76)}-r12`);
    expect(rerunExecutionName(long, 12)).toHaveLength(80);
  });
});

describe('an edited script is a person’s text', () => {
  it('is held to the config text rule and to sizes a record and a tag can hold', async () => {
    const { acceptEditedScript } = await import('../../stages/shared/approval/edited-script');
    const deps = fakeDeps();
    const approval = {
      review: {},
      rules: { configKey: 'runs/r/prepare/podcast.json', knownStoryIds: [], targetWords: 100 },
    };
    const turn = { index: 0, segmentId: 'intro', speaker: 'ava', text: 'Hello.', sourceIds: [] };
    const attempt = (script: unknown) =>
      acceptEditedScript('r', approval, script, deps, 'approval 1').catch((e: unknown) => e);

    const control = await attempt({ episodeTitle: 'A \u001b[2J title', turns: [turn], wordCount: 1 });
    const huge = await attempt({ episodeTitle: 'x'.repeat(201), turns: [turn], wordCount: 1 });
    const longTurn = await attempt({
      episodeTitle: 'T',
      turns: [{ ...turn, text: 'y'.repeat(4001) }],
      wordCount: 1,
    });
    const blank = await attempt({ episodeTitle: '   ', turns: [turn], wordCount: 1 });

    expect((control as Error).message).toMatch(
      /^script\.episodeTitle: character U\+001B at position 3 is not allowed/
    );
    expect((huge as Error).message).toMatch(/^script\.episodeTitle: .*200/);
    expect((longTurn as Error).message).toMatch(/^script\.turns\.0\.text: .*4000/);
    expect((blank as Error).message).toMatch(/^script\.episodeTitle: the title is blank/);
    expect(deps.media.objects.size).toBe(0);
  });
});
