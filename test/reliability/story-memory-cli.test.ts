/**
 * Story memory through the orchestrator command, as real processes on one data directory (quick
 * stand-ins for speech, mix and artwork): the first run publishes; later runs of the same
 * unchanged feed find nothing new and exit 0 with a `skipped` line (or a `"status":"skipped"`
 * result with --json), distinct from the published line, in both modes; nothing is exported.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PodcastConfig } from '../../stages/shared/config-schema';
import { PODCAST_ID, smallPodcast } from '../helpers/fault-injection-harness';
import { startOrchestrator, writeRunFiles } from '../helpers/fault-injection-process';

const FIRST = '2026-11-25';
const runInput = (date: string) => ({
  runId: `${PODCAST_ID}-${date}`,
  podcastId: PODCAST_ID,
  episode: { date },
});

let work: string;
let podcastFile: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'story-memory-cli-'));
  const small = await smallPodcast();
  // One feed whose four stories (all dated by 2026-11-25) the first episode covers.
  const podcast: PodcastConfig = {
    ...small,
    sources: small.sources.filter((s) => s.id === 'silicon-ledger'),
    maxStories: 4,
    targetMinutes: 3,
  };
  ({ podcastFile } = await writeRunFiles(work, podcast, runInput(FIRST)));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function orchestrate(date: string, extra: string[] = []) {
  const args = [
    '--podcast',
    podcastFile,
    '--data-dir',
    path.join(work, 'data'),
    '--output-dir',
    path.join(work, 'out'),
    ...extra,
  ];
  const child = startOrchestrator(args, { env: { PIPELINE_INPUT: JSON.stringify(runInput(date)) } });
  const exit = await child.exited;
  return { exit, stdout: child.stdout(), stderr: child.stderr(), child };
}

describe('the orchestrator command when nothing new is left', () => {
  it('publishes the first episode, then exits 0 with a skipped line in both modes, exporting nothing', async () => {
    // Prepare: the first episode
    const first = await orchestrate(FIRST);
    expect({ exit: first.exit, stderr: first.stderr }).toEqual({
      exit: { code: 0, signal: null },
      stderr: '',
    });
    expect(first.stdout).toMatch(new RegExp(`^published ${PODCAST_ID} episode ${FIRST} \\(run `, 'm'));
    const reason = `no new stories: all 4 candidates were covered in episode ${FIRST}`;

    // Act: a week later (monolithic), and two weeks later (the state machine, --json)
    const weekLater = await orchestrate('2026-12-02');
    const twoWeeksLater = await orchestrate('2026-12-09', ['--mode', 'distributed', '--json']);

    // Assess
    expect({ exit: weekLater.exit, stderr: weekLater.stderr }).toEqual({
      exit: { code: 0, signal: null },
      stderr: '',
    });
    const lines = weekLater.stdout.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(
      new RegExp(
        `^skipped ${PODCAST_ID}: nothing published \\(run ${PODCAST_ID}-2026-12-02, monolithic\\) in \\d+\\.\\d s: ${reason}$`
      )
    );
    expect(weekLater.stdout).not.toMatch(/^published /m);

    expect({ exit: twoWeeksLater.exit, stderr: twoWeeksLater.stderr }).toEqual({
      exit: { code: 0, signal: null },
      stderr: '',
    });
    expect(twoWeeksLater.child.results).toEqual([
      expect.objectContaining({
        type: 'result',
        runId: `${PODCAST_ID}-2026-12-09`,
        status: 'skipped',
        mode: 'distributed',
        stage: 'discover',
        reason,
        files: [],
      }),
    ]);
    expect(twoWeeksLater.child.events.filter((e) => e.type === 'run.skipped')).toHaveLength(1);
    // Only the first episode was exported.
    expect(await readdir(path.join(work, 'out', PODCAST_ID))).toEqual(
      expect.arrayContaining([FIRST, 'feed.xml'])
    );
    expect(existsSync(path.join(work, 'out', PODCAST_ID, '2026-12-02'))).toBe(false);
    expect(existsSync(path.join(work, 'out', PODCAST_ID, '2026-12-09'))).toBe(false);
  });
});
