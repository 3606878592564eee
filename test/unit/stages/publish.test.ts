import { runCore } from '../../helpers/run-core';
import { notesStage } from '../../../stages/notes/notes';
import { leadingId3v2Length } from '../../../stages/publish/id3v2';
import { publishStage } from '../../../stages/publish/publish';
import { FatalStageError } from '../../../stages/shared/errors';
import type { EpisodeRecord } from '../../../stages/shared/ports';
import { publicUrls, showCoverKey } from '../../../stages/shared/public-urls';
import { makeFakeDeps } from '../../fakes/fake-deps';
import {
  BASE_URL,
  type PublishingRun,
  script,
  seedRun,
  stageContext,
  stageInput,
} from '../feed/publishing-fixtures';

const EPISODE_DIR = 'podcasts/tech-weekly/episodes/2026-11-23';
/** Where publish put an episode's files: its version folder, named by 16 hex digits. */
const VERSION_DIR = /^podcasts\/tech-weekly\/episodes\/2026-11-23\/[0-9a-f]{16}$/;
const folderOf = (key: string) => key.slice(0, key.lastIndexOf('/'));

async function withNotes(run: PublishingRun): Promise<PublishingRun> {
  run.stages.notes = await runCore(notesStage, stageInput(run), stageContext(run));
  return run;
}

async function publish(run: PublishingRun) {
  return runCore(publishStage, stageInput(run), stageContext(run));
}

describe('publish stage', () => {
  it('writes the media under the version folder, cached as immutable, and the episode record pointing at them', async () => {
    // Prepare
    const run = await withNotes(await seedRun({ artwork: true }));

    // Act
    const manifest = await publish(run);

    // Assess
    expect(publishStage.outputSchema.parse(manifest)).toEqual(manifest);
    const { media } = run.deps;
    const dir = folderOf(manifest.mediaKey);
    expect(dir).toMatch(VERSION_DIR);
    const files = ['chapters.json', 'cover.png', 'episode.mp3', 'notes.html', 'transcript.vtt'];
    expect(await media.list(`${EPISODE_DIR}/`)).toEqual(files.map((file) => `${dir}/${file}`));
    const typeOf = (file: string) => media.objects.get(`${dir}/${file}`)?.contentType;
    expect(typeOf('episode.mp3')).toBe('audio/mpeg');
    expect(typeOf('cover.png')).toBe('image/png');
    expect(typeOf('chapters.json')).toBe('application/json+chapters');
    expect(typeOf('transcript.vtt')).toMatch(/^text\/vtt/);
    expect(typeOf('notes.html')).toMatch(/^text\/html/);
    // Each key only ever holds these bytes: players and the CDN may keep them a year.
    for (const file of files)
      expect([file, media.objects.get(`${dir}/${file}`)?.cacheControl]).toEqual([
        file,
        'public, max-age=31536000, immutable',
      ]);
    // The mix with an ID3v2.4 tag in front (test/unit/stages/publish-tags.test.ts reads it back).
    const published = media.objects.get(manifest.mediaKey)!.body;
    expect(published.subarray(0, 4)).toEqual(Buffer.from([0x49, 0x44, 0x33, 4]));
    expect(published.subarray(leadingId3v2Length(published)).toString()).toBe('ID3-fake-mp3-run-1');
    // No podcast-level copy of an episode cover: the show cover is the artwork stage's own image.
    expect(media.objects.has('podcasts/tech-weekly/cover.png')).toBe(false);

    const guid = (run.stages.prepare as { episode: { guid: string } }).episode.guid;
    const urlDir = `${BASE_URL}/${dir.slice('podcasts/tech-weekly/'.length)}`;
    expect(manifest).toEqual({
      episodeId: '2026-11-23',
      guid,
      mediaKey: `${dir}/episode.mp3`,
      mediaUrl: `${urlDir}/episode.mp3`,
      imageUrl: `${urlDir}/cover.png`,
      episodeNumber: 1,
      chaptersUrl: `${urlDir}/chapters.json`,
      transcriptUrl: `${urlDir}/transcript.vtt`,
      notesUrl: `${urlDir}/notes.html`,
      created: true,
    });
    const record = await run.deps.episodes.get('tech-weekly', '2026-11-23');
    const mix = run.stages.mix as { durationMs: number };
    expect(record).toMatchObject({
      podcastId: 'tech-weekly',
      guid,
      runId: 'run-1',
      title: 'Episode: Rust & Go',
      publishedAt: '2026-11-23T00:00:00.000Z',
      durationSeconds: Math.round(mix.durationMs / 1000),
      episodeNumber: 1,
      // The enclosure length: the bytes served, tag included.
      media: { url: manifest.mediaUrl, key: manifest.mediaKey, bytes: published.length, type: 'audio/mpeg' },
      imageUrl: manifest.imageUrl,
      chaptersUrl: manifest.chaptersUrl,
      transcriptUrl: manifest.transcriptUrl,
      notesUrl: manifest.notesUrl,
    });
    expect(record?.description).toMatch(/^In this 2026-11-23 episode of Tech Weekly/);
    expect(record?.notesHtml).toBe(media.text(`${dir}/notes.html`));
  });

  it('is exactly-once: a rerun of the same run reports created=false and keeps one record', async () => {
    // Prepare
    const run = await withNotes(await seedRun({ artwork: true }));
    const first = await publish(run);
    const stored = await run.deps.episodes.get('tech-weekly', '2026-11-23');

    // Act
    run.deps.clock.advance(3_600_000);
    const second = await publish(run);

    // Assess
    expect(second).toEqual({ ...first, created: false });
    expect(run.deps.episodes.episodes.size).toBe(1);
    expect(await run.deps.episodes.get('tech-weekly', '2026-11-23')).toEqual(stored);
  });

  it("refuses to publish over another run's episode for the same date and leaves it untouched", async () => {
    // Prepare
    const deps = makeFakeDeps();
    const original = await withNotes(await seedRun({ deps, runId: 'run-1', artwork: true }));
    await publish(original);
    const before = await deps.episodes.get('tech-weekly', '2026-11-23');
    const filesBefore = await deps.media.list(`${EPISODE_DIR}/`);
    const mediaBefore = deps.media.text(before!.media.key);
    const other = await withNotes(await seedRun({ deps, runId: 'run-2', artwork: true }));

    // Act
    const attempt = publish(other);

    // Assess
    await expect(attempt).rejects.toThrow(FatalStageError);
    await expect(publish(other)).rejects.toThrow(/episode 2026-11-23 .*already published by run "run-1"/);
    expect(await deps.episodes.get('tech-weekly', '2026-11-23')).toEqual(before);
    // Refused before any write: not even a folder of its own.
    expect(await deps.media.list(`${EPISODE_DIR}/`)).toEqual(filesBefore);
    expect(deps.media.text(before!.media.key)).toBe(mediaBefore);
  });

  it('fails when another run wins the conditional put after the pre-check', async () => {
    // Prepare: the repository hides the rival record from the first read (a race).
    const run = await withNotes(await seedRun({ runId: 'run-2' }));
    const rival = { runId: 'run-1', podcastId: 'tech-weekly', episodeId: '2026-11-23' } as EpisodeRecord;
    let reads = 0;
    run.deps.episodes.get = async () => (reads++ === 0 ? undefined : rival);
    run.deps.episodes.putOnce = async () => 'exists';

    // Act / Assess
    await expect(publish(run)).rejects.toThrow(/already published by run "run-1"/);
  });

  it("publishes without artwork and notes: show cover URL and the script's opening lines", async () => {
    // Prepare
    const hostile = script();
    hostile.turns[0] = { ...hostile.turns[0]!, text: 'Welcome to <b>Tech</b> & "Weekly"!' };
    const run = await seedRun({ script: hostile });
    run.stages.notes = { skipped: true };

    // Act
    const manifest = await publish(run);

    // Assess
    expect(manifest.imageUrl).toBe(publicUrls(run.podcast).podcastCover());
    expect(manifest.imageUrl).toMatch(
      /^https:\/\/podcasts\.example\.com\/tech-weekly\/cover-[0-9a-f]{16}\.png$/
    );
    expect(manifest).not.toHaveProperty('chaptersUrl');
    expect(manifest).not.toHaveProperty('transcriptUrl');
    expect(manifest).not.toHaveProperty('notesUrl');
    expect(folderOf(manifest.mediaKey)).toMatch(VERSION_DIR);
    expect(await run.deps.media.list(`${EPISODE_DIR}/`)).toEqual([manifest.mediaKey]);
    expect(await run.deps.media.exists('podcasts/tech-weekly/cover.png')).toBe(false);
    const record = await run.deps.episodes.get('tech-weekly', '2026-11-23');
    const opening = hostile.turns
      .slice(0, 3)
      .map((t) => `${t.speaker === 'alex' ? 'Alex Rivera' : 'Sam Lee'}: ${t.text}`);
    expect(record?.description).toBe(opening.join('\n'));
    expect(record?.notesHtml.split('\n')[0]).toBe(
      '<p>Alex Rivera: Welcome to &lt;b&gt;Tech&lt;/b&gt; &amp; &quot;Weekly&quot;!</p>'
    );
    expect(record?.notesHtml.split('\n')).toHaveLength(4);
    expect(record).not.toHaveProperty('chaptersUrl');
  });

  it('fails before writing anything public when the mixed audio is missing', async () => {
    // Prepare
    const run = await withNotes(await seedRun());
    run.deps.media.objects.delete('runs/run-1/mix/episode.mp3');

    // Act / Assess
    await expect(publish(run)).rejects.toThrow(
      /media artifact s3:\/\/media-bucket\/runs\/run-1\/mix\/episode\.mp3 is missing/
    );
    // Only the show cover an artwork stage left earlier: nothing of this episode.
    expect(await run.deps.media.list('podcasts/')).toEqual([showCoverKey(run.podcast)]);
    expect(run.deps.episodes.episodes.size).toBe(0);
  });

  it('keeps on the record the stories the script covers: canonical link and normalised title', async () => {
    // Prepare: a script that tells story-a only (story-b was picked, then left out of the script)
    const base = script();
    const onlyA = {
      ...base,
      turns: base.turns.map((turn) => ({
        ...turn,
        sourceIds: turn.sourceIds.filter((id) => id === 'story-a'),
      })),
    };
    const run = await withNotes(await seedRun({ script: onlyA }));

    // Act
    await publish(run);

    // Assess
    const record = await run.deps.episodes.get('tech-weekly', '2026-11-23');
    expect(record?.stories).toEqual([
      // `Rust & <Go> "fight" ]]> it's on`: case, punctuation and the apostrophe folded
      { url: 'https://news.example.com/a?x=1&y="2"', title: 'rust go fight its on' },
    ]);
  });

  it('keeps every picked story when the script cites none', async () => {
    const base = script();
    const uncited = { ...base, turns: base.turns.map((turn) => ({ ...turn, sourceIds: [] })) };
    const run = await withNotes(await seedRun({ script: uncited }));

    await publish(run);

    const record = await run.deps.episodes.get('tech-weekly', '2026-11-23');
    expect(record?.stories?.map((s) => s.title)).toEqual(['rust go fight its on', 'databases get faster']);
  });
});
