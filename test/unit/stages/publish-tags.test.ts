/**
 * The published MP3's ID3v2.4 tag: the pure parts (chapter ends, numbering, language), then a
 * real mix (mespeak speech through the ffmpeg mixer) published by the publish stage and read back
 * by an independent reader, ffprobe.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notesStage } from '../../../stages/notes/notes';
import { nextEpisodeNumber } from '../../../stages/publish/episode-record';
import { chaptersWithEnds, episodeTagFrames, id3Language } from '../../../stages/publish/episode-tags';
import { leadingId3v2Length } from '../../../stages/publish/id3v2';
import { publishStage } from '../../../stages/publish/publish';
import { EPISODE_MP3, FfmpegMixer } from '../../../stages/shared/adapters/audio/ffmpeg-mixer';
import { MespeakSpeech } from '../../../stages/shared/adapters/offline/mespeak-speech';
import { PngArtworkRenderer } from '../../../stages/shared/adapters/offline/png-artwork';
import { hostSchema } from '../../../stages/shared/config-schema';
import { FatalStageError } from '../../../stages/shared/errors';
import type { EpisodeRecord } from '../../../stages/shared/ports';
import { type FakeDeps, makeFakeDeps } from '../../fakes/fake-deps';
import { probe, type ProbeResult } from '../../helpers/ffprobe';
import { runCore } from '../../helpers/run-core';
import {
  HOSTILE_TITLE,
  podcastConfig,
  type PublishingRun,
  seedRun,
  stageContext,
  stageInput,
} from '../feed/publishing-fixtures';

/** The published MP3, found through its episode record (its version folder is derived from its bytes). */
async function publishedMp3(deps: FakeDeps, date: string): Promise<{ key: string; body: Buffer }> {
  const record = await deps.episodes.get('tech-weekly', date);
  const key = record!.media.key;
  expect(key).toMatch(new RegExp(`^podcasts/tech-weekly/episodes/${date}/[0-9a-f]{16}/episode\\.mp3$`));
  return { key, body: deps.media.objects.get(key)!.body };
}

describe('episode tag parts', () => {
  it('ends each chapter where the next starts and the last at the end of the audio', () => {
    const document = {
      version: '1.2.0',
      chapters: [
        { startTime: 2, title: 'Intro' },
        { startTime: 10.5, title: 'Story', url: 'https://example.com/a' },
        { startTime: 20.25, title: 'Outro' },
      ],
    };

    expect(chaptersWithEnds(document, 25_000)).toEqual([
      { title: 'Intro', startMs: 2000, endMs: 10_500 },
      { title: 'Story', startMs: 10_500, endMs: 20_250, url: 'https://example.com/a' },
      { title: 'Outro', startMs: 20_250, endMs: 25_000 },
    ]);
    expect(chaptersWithEnds({ chapters: [] }, 1000)).toEqual([]);
    expect(() => chaptersWithEnds(document, 20_000)).toThrow(FatalStageError);
    expect(() =>
      chaptersWithEnds(
        {
          chapters: [
            { startTime: 5, title: 'B' },
            { startTime: 1, title: 'A' },
          ],
        },
        9000
      )
    ).toThrow(/chapter 0 \("B"\) starts at 5000 ms, after the next chapter/);
    expect(() => chaptersWithEnds({ chapters: 'none' }, 1000)).toThrow(
      'chapters.json is not a chapters document'
    );
  });

  it('numbers episodes in publication order and never repeats a stored number', () => {
    const records = (...numbers: (number | undefined)[]) =>
      numbers.map((episodeNumber, i) => ({ episodeId: `2026-01-0${i + 1}`, episodeNumber }) as EpisodeRecord);

    expect(nextEpisodeNumber([], '2026-02-01')).toBe(1);
    expect(nextEpisodeNumber(records(1, 2), '2026-02-01')).toBe(3);
    // Older records without numbers count; a deleted record's number is not handed out again.
    expect(nextEpisodeNumber(records(undefined, undefined), '2026-02-01')).toBe(3);
    expect(nextEpisodeNumber(records(1, 5), '2026-02-01')).toBe(6);
    // The episode's own record (a redo) does not count itself.
    expect(nextEpisodeNumber(records(1, 2, 3), '2026-01-03')).toBe(3);
  });

  it('writes the frames in a fixed order, with the show, hosts, date and genre', () => {
    const frames = episodeTagFrames({
      podcast: podcastConfig(),
      title: '  Episode:\n Rust  ',
      date: '2026-11-23',
      episodeNumber: 7,
      durationMs: 61_234.4,
      chapters: [],
    });

    expect(frames).toEqual([
      { id: 'TIT2', text: 'Episode: Rust' },
      { id: 'TPE1', text: 'Alex Rivera, Sam Lee' },
      { id: 'TPE2', text: 'Example Media' },
      { id: 'TALB', text: 'Tech Weekly' },
      { id: 'TRCK', text: '7' },
      { id: 'TDRC', text: '2026-11-23' },
      { id: 'TCON', text: 'Podcast' },
      { id: 'TLEN', text: '61234' },
    ]);
    expect([id3Language('en-us'), id3Language('de'), id3Language('xx')]).toEqual(['eng', 'deu', 'und']);
  });

  it("describes the cover in the podcast's language", () => {
    const coverDescription = (language: string) =>
      episodeTagFrames({
        podcast: podcastConfig({ language }),
        title: 'Episode',
        date: '2026-11-23',
        episodeNumber: 1,
        durationMs: 1000,
        cover: { mimeType: 'image/png', data: Buffer.from('png') },
        chapters: [],
      }).flatMap((frame) => (frame.id === 'APIC' ? [frame.description] : []));

    expect(coverDescription('en-gb')).toEqual(['Cover']);
    expect(coverDescription('de-at')).toEqual(['Titelbild']);
    expect(coverDescription('fr')).toEqual(['Couverture']);
    expect(coverDescription('es')).toEqual(['Portada']);
  });
});

describe('the published MP3, read by ffprobe', () => {
  let scratch: string;
  /** One real mix and cover for every run here (the fixture's runs all have the same timeline). */
  let real: {
    mp3: Buffer;
    durationMs: number;
    cover: Buffer;
    loudness: { integratedLufs: number; truePeakDbtp: number };
  };
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'publish-tags-'));
    const { stages } = await seedRun();
    const targetMs = (stages.mix as { durationMs: number }).durationMs;
    const host = hostSchema.parse({ id: 'alex', name: 'Alex', role: 'lead' });
    const spoken = await new MespeakSpeech().speak('Welcome to Tech Weekly, the news of the week.', host);
    const result = await new FfmpegMixer({ workDir: scratch }).mix(
      [{ wav: spoken.wav, pauseAfterMs: Math.max(0, targetMs - 3000 - spoken.durationMs) }],
      { introMs: 2000, outroMs: 1000 }
    );
    const cover = await new PngArtworkRenderer().render({
      title: 'Tech Weekly',
      subtitle: '',
      seed: 's',
      size: 1400,
    });
    real = { mp3: result.mp3, durationMs: result.durationMs, cover: cover.body, loudness: result.loudness };
  });
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A run whose mix is the real MP3 (as long as the fixture's timeline), with real cover art. */
  async function realRun(options: { runId: string; date: string; deps: ReturnType<typeof makeFakeDeps> }) {
    const run: PublishingRun = await seedRun({ ...options, artwork: true });
    const mix = run.stages.mix as { key: string; loudness?: unknown };
    await run.deps.media.put(mix.key, real.mp3, 'audio/mpeg');
    // What the mixer measured on this very MP3 (the release gate reads it).
    mix.loudness = real.loudness;
    run.stages.mix = { ...mix, durationMs: real.durationMs, bytes: real.mp3.length };
    await run.deps.media.put((run.stages.artwork as { key: string }).key, real.cover, 'image/png');
    run.stages.notes = await runCore(notesStage, stageInput(run), stageContext(run));
    return { run, ...real };
  }

  function probeBody(body: Buffer, name: string): ProbeResult {
    const file = join(scratch, name);
    writeFileSync(file, body);
    return probe(file);
  }

  it('shows the title, show, hosts, date, number, genre, cover and chapters, in one 96 kbps channel', async () => {
    // Prepare
    const deps = makeFakeDeps();
    const { run, mp3, durationMs, cover } = await realRun({ deps, runId: 'run-1', date: '2026-11-23' });

    // Act
    const manifest = await runCore(publishStage, stageInput(run), stageContext(run));

    // Assess
    const { body: published } = await publishedMp3(deps, '2026-11-23');
    expect(published.subarray(leadingId3v2Length(published))).toEqual(mp3);
    const record = await deps.episodes.get('tech-weekly', '2026-11-23');
    expect(record?.media.bytes).toBe(published.length);
    expect(record?.episodeNumber).toBe(1);
    expect(manifest.episodeNumber).toBe(1);

    const probed = probeBody(published, 'episode.mp3');
    expect(probed.format.format_name).toBe('mp3');
    expect(Number(probed.format.size)).toBe(published.length);
    expect(Math.abs(Number(probed.format.duration) * 1000 - durationMs)).toBeLessThan(100);
    expect(probed.format.tags).toMatchObject({
      title: 'Episode: Rust & Go',
      artist: 'Alex Rivera, Sam Lee',
      album_artist: 'Example Media',
      album: 'Tech Weekly',
      date: '2026-11-23',
      track: '1',
      genre: 'Podcast',
    });
    expect(probed.format.tags?.comment).toMatch(/^In this 2026-11-23 episode of Tech Weekly/);
    const audio = probed.streams.filter((s) => s.codec_type === 'audio');
    expect(audio).toEqual([
      expect.objectContaining({
        codec_name: 'mp3',
        channels: EPISODE_MP3.channels,
        channel_layout: 'mono',
        sample_rate: '44100',
        bit_rate: String(EPISODE_MP3.bitrateKbps * 1000),
      }),
    ]);
    // The cover is an attached picture (ffprobe lists it as a PNG video stream).
    expect(probed.streams.filter((s) => s.codec_type === 'video').map((s) => s.codec_name)).toEqual(['png']);
    expect(published.includes(cover)).toBe(true);

    const document = deps.media.json<{ chapters: { startTime: number; title: string }[] }>(
      (run.stages.notes as { chaptersKey: string }).chaptersKey
    );
    expect(document.chapters.map((c) => c.title)).toContain(HOSTILE_TITLE);
    expect(probed.chapters.map((c) => [c.tags?.title, Number(c.start_time), Number(c.end_time)])).toEqual(
      document.chapters.map((c, i) => [
        c.title,
        c.startTime,
        document.chapters[i + 1]?.startTime ?? Math.round(durationMs) / 1000,
      ])
    );
  });

  it('numbers the next episode 2 and writes the same bytes when publish is redone', async () => {
    // Prepare
    const deps = makeFakeDeps();
    const first = await realRun({ deps, runId: 'run-1', date: '2026-11-23' });
    await runCore(publishStage, stageInput(first.run), stageContext(first.run));
    const second = await realRun({ deps, runId: 'run-2', date: '2026-11-30' });

    // Act
    const manifest = await runCore(publishStage, stageInput(second.run), stageContext(second.run));
    const { key, body: published } = await publishedMp3(deps, '2026-11-30');
    // A rerun finds the record; a redo (the record lost, as verifyCheckpoint detects) writes again.
    const rerun = await runCore(publishStage, stageInput(second.run), stageContext(second.run));
    deps.episodes.episodes.delete('tech-weekly|2026-11-30');
    const redo = await runCore(publishStage, stageInput(second.run), stageContext(second.run));

    // Assess
    expect(manifest).toMatchObject({ episodeNumber: 2, created: true });
    expect(rerun).toEqual({ ...manifest, created: false });
    // The same keys (the same version folder) with the same bytes.
    expect(redo).toEqual(manifest);
    expect(redo.mediaKey).toBe(key);
    expect(deps.media.objects.get(key)!.body.equals(published)).toBe(true);
    expect(await deps.media.list('podcasts/tech-weekly/episodes/2026-11-30/')).toHaveLength(5);
    expect((await deps.episodes.get('tech-weekly', '2026-11-30'))?.media.bytes).toBe(published.length);
    expect(probeBody(published, 'second.mp3').format.tags).toMatchObject({ track: '2', date: '2026-11-30' });
  });
});
