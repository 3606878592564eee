/**
 * End to end: a solo show in German, through the monolithic engine on the embedded servers, as
 * `npm start` runs the example. The example's English sources are read as they are; the host's
 * phrasing, the voice (eSpeak's German voice) and the feed's language are German, and the one
 * host speaks every line.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Parser from 'rss-parser';
import { probe } from '../helpers/ffprobe';
import { EXAMPLE_DIR, runCli } from '../helpers/run-cli';

jest.setTimeout(120_000);

const PODCAST_ID = 'technik-solo';
const DATE = '2026-11-23';

let work: string;
let outcome: Awaited<ReturnType<typeof runCli>>;

beforeAll(async () => {
  // The example's feeds and article snapshots beside a German solo config (file: feeds are read
  // only from under the config's own folder).
  work = await mkdtemp(path.join(os.tmpdir(), 'solo-german-'));
  const show = path.join(work, 'show');
  await cp(path.join(EXAMPLE_DIR, 'feeds'), path.join(show, 'feeds'), { recursive: true });
  await cp(path.join(EXAMPLE_DIR, 'articles'), path.join(show, 'articles'), { recursive: true });
  const example = JSON.parse(await readFile(path.join(EXAMPLE_DIR, 'podcast.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const podcast = {
    ...example,
    podcastId: PODCAST_ID,
    title: 'Technik Solo',
    description: 'Die Woche in Open Source und Chips, von einer Stimme erzählt.',
    language: 'de',
    publicBaseUrl: `https://podcasts.example.com/${PODCAST_ID}`,
    hosts: [{ id: 'lena', name: 'Lena', role: 'lead' }],
    targetMinutes: 2,
    maxStories: 2,
  };
  await writeFile(path.join(show, 'podcast.json'), JSON.stringify(podcast));
  await writeFile(
    path.join(show, 'run.json'),
    JSON.stringify({ runId: `${PODCAST_ID}-${DATE}`, podcastId: PODCAST_ID, episode: { date: DATE } })
  );
  outcome = await runCli([
    '--podcast',
    path.join(show, 'podcast.json'),
    path.join(show, 'run.json'),
    '--data-dir',
    path.join(work, 'data'),
    '--output-dir',
    path.join(work, 'out'),
  ]);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('a solo German episode, offline', () => {
  it('is published', () => {
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
  });

  it('is one German voice reading German phrasing around the English stories', async () => {
    const dir = path.join(work, 'out', PODCAST_ID, DATE);
    const vtt = await readFile(path.join(dir, 'transcript.vtt'), 'utf8');
    const voices = new Set([...vtt.matchAll(/<v ([^>]+)>/g)].map((m) => m[1]));
    const chapters = JSON.parse(await readFile(path.join(dir, 'chapters.json'), 'utf8')) as {
      chapters: { title: string }[];
    };

    // What is said: the cues' text, their line breaks and voice tags dropped.
    const spoken = vtt
      .split('\n')
      .filter((line) => line && !/^(WEBVTT|\d+$|\d\d:\d\d)/.test(line))
      .map((line) => line.replace(/^<v [^>]+>/, ''))
      .join(' ');

    expect(voices).toEqual(new Set(['Lena']));
    expect(spoken).toMatch(
      /^Hallo (und herzlich willkommen bei Technik Solo|zusammen, hier ist Technik Solo)/
    );
    expect(spoken).toContain('Montag, der 23. November');
    expect(spoken).toMatch(/Halvorsen|QuillMQ|Meridian|Nordhavn/);
    // Intro, the two stories by their own titles, outro.
    expect(chapters.chapters).toHaveLength(4);
    expect(chapters.chapters[1]?.title).toMatch(/Halvorsen|QuillMQ|Meridian|Nordhavn/);
    expect(Number(probe(path.join(dir, 'episode.mp3')).format.duration)).toBeGreaterThan(45);
  });

  it('has a feed in German', async () => {
    const xml = await readFile(path.join(work, 'out', PODCAST_ID, 'feed.xml'), 'utf8');
    const feed = await new Parser().parseString(xml);

    expect(xml).toContain('<language>de</language>');
    expect(feed.items).toHaveLength(1);
  });
});
