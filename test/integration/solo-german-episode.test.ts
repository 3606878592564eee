/**
 * End to end: a solo show in German, through the monolithic engine on the embedded servers, as
 * `npm start` runs the example. The example's English sources are read as they are; the host's
 * phrasing, the voice (eSpeak's German voice) and the feed's language are German, and the one
 * host speaks every line.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Parser from 'rss-parser';
import { probe } from '../helpers/ffprobe';
import { runExampleVariant } from '../helpers/example-variant';
import type { CliOutcome } from '../helpers/run-cli';

jest.setTimeout(120_000);

const PODCAST_ID = 'technik-solo';
const DATE = '2026-11-23';

let work: string;
let outcome: CliOutcome;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'solo-german-'));
  ({ outcome } = await runExampleVariant(
    work,
    PODCAST_ID,
    {
      title: 'Technik Solo',
      description: 'Die Woche in Open Source und Chips, von einer Stimme erzählt.',
      language: 'de',
      hosts: [{ id: 'lena', name: 'Lena', role: 'lead' }],
      targetMinutes: 2,
      maxStories: 2,
    },
    DATE
  ));
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
