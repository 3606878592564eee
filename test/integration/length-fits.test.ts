/**
 * Length that fits (issue 15): representative configs made end to end with the real offline writer
 * and speech, through the monolithic engine as `npm start` runs the example, come out within ±10%
 * of targetMinutes. The example at one minute (four stories allowed: the plan keeps the two that
 * fit) and a three-minute solo show in German (German voice and phrasing, English sources).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LENGTH_TOLERANCE } from '../../stages/shared/length-plan';
import { probe } from '../helpers/ffprobe';
import { EXAMPLE_DIR, runCli } from '../helpers/run-cli';

jest.setTimeout(120_000);

const DATE = '2026-11-23';
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'length-fits-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Makes the example with `overrides` and returns the episode's duration in seconds. */
async function episodeSeconds(podcastId: string, overrides: Record<string, unknown>): Promise<number> {
  const show = path.join(work, podcastId);
  await cp(path.join(EXAMPLE_DIR, 'feeds'), path.join(show, 'feeds'), { recursive: true });
  await cp(path.join(EXAMPLE_DIR, 'articles'), path.join(show, 'articles'), { recursive: true });
  const example = JSON.parse(await readFile(path.join(EXAMPLE_DIR, 'podcast.json'), 'utf8')) as object;
  const podcast = {
    ...example,
    podcastId,
    publicBaseUrl: `https://podcasts.example.com/${podcastId}`,
    ...overrides,
  };
  await writeFile(path.join(show, 'podcast.json'), JSON.stringify(podcast));
  await writeFile(
    path.join(show, 'run.json'),
    JSON.stringify({ runId: `${podcastId}-${DATE}`, podcastId, episode: { date: DATE } })
  );
  const outcome = await runCli([
    '--podcast',
    path.join(show, 'podcast.json'),
    path.join(show, 'run.json'),
    '--data-dir',
    path.join(work, 'data'),
    '--output-dir',
    path.join(work, 'out'),
  ]);
  expect(outcome.stderr).toBe('');
  expect(outcome.code).toBe(0);
  return Number(probe(path.join(work, 'out', podcastId, DATE, 'episode.mp3')).format.duration);
}

describe('episodes fit their targetMinutes, offline', () => {
  it.each([
    ['the example at 1 minute (4 stories allowed)', 'tech-weekly-1min', { targetMinutes: 1 }],
    [
      'a 3-minute solo show in German',
      'technik-solo-3min',
      {
        title: 'Technik Solo',
        description: 'Die Woche in Open Source und Chips, von einer Stimme erzählt.',
        language: 'de',
        hosts: [{ id: 'lena', name: 'Lena', role: 'lead' }],
        targetMinutes: 3,
      },
    ],
  ] as const)('%s', async (_name, podcastId, overrides) => {
    const seconds = await episodeSeconds(podcastId, overrides);
    const target = overrides.targetMinutes * 60;
    expect(Math.abs(seconds / target - 1)).toBeLessThanOrEqual(LENGTH_TOLERANCE);
  });
});
