import { runCore } from '../../helpers/run-core';
import Parser from 'rss-parser';
import { feedStage } from '../../../stages/feed/feed';
import { notesStage } from '../../../stages/notes/notes';
import { publishStage } from '../../../stages/publish/publish';
import { putJson } from '../../../stages/shared/artifact-keys';
import { RetryableStageError } from '../../../stages/shared/errors';
import { publicUrls, showCoverKey } from '../../../stages/shared/public-urls';
import type { StageInput } from '../../../stages/shared/stage';
import { parseOrThrow } from '../../../stages/shared/validation';
import { makeFakeDeps, type FakeDeps } from '../../fakes/fake-deps';
import {
  BASE_URL,
  HOSTILE_TITLE,
  type PublishingRun,
  script,
  seedRun,
  stageContext,
  stageInput,
} from '../feed/publishing-fixtures';

type Item = {
  itunes: { duration?: string; image?: string; episodeType?: string };
  transcript?: { $: { url: string; type: string } };
  chapters?: { $: { url: string; type: string } };
};
const parser: Parser<Record<string, unknown>, Item> = new Parser({
  customFields: {
    item: [
      ['podcast:transcript', 'transcript'],
      ['podcast:chapters', 'chapters'],
    ],
  },
});

/** A whole run through the publishing stages: notes (optional), publish, feed. */
async function publishEpisode(options: {
  deps: FakeDeps;
  runId: string;
  date: string;
  title?: string;
  notes?: boolean;
  artwork?: boolean;
}): Promise<PublishingRun> {
  const run = await seedRun({
    deps: options.deps,
    runId: options.runId,
    date: options.date,
    artwork: options.artwork ?? false,
    script: script(options.title),
  });
  run.stages.notes =
    options.notes === false
      ? { skipped: true }
      : await runCore(notesStage, stageInput(run), stageContext(run));
  run.stages.publish = await runCore(publishStage, stageInput(run), stageContext(run));
  return run;
}

const runFeed = (run: PublishingRun) => runCore(feedStage, stageInput(run), stageContext(run));

describe('feed stage', () => {
  it("writes an RSS 2.0 feed that rss-parser reads back with the episode's enclosure, duration and guid", async () => {
    // Prepare
    const deps = makeFakeDeps();
    const run = await publishEpisode({
      deps,
      runId: 'run-1',
      date: '2026-11-23',
      title: HOSTILE_TITLE,
      artwork: true,
    });
    const record = await deps.episodes.get('tech-weekly', '2026-11-23');

    // Act
    const manifest = await runFeed(run);

    // Assess
    expect(manifest).toEqual({
      key: 'podcasts/tech-weekly/feed.xml',
      url: `${BASE_URL}/feed.xml`,
      episodes: 1,
    });
    expect(deps.feeds.objects.get(manifest.key)).toMatchObject({
      contentType: 'application/rss+xml',
      // Rewritten in place: a new feed is out within a minute.
      cacheControl: 'public, max-age=60',
    });
    const feed = await parser.parseString(deps.feeds.text(manifest.key));
    expect(feed.title).toBe('Tech Weekly');
    expect(feed.description).toBe('News & notes from the <tech> world.');
    // The channel image is the show's own cover, not the episode's.
    const showCover = publicUrls(run.podcast).podcastCover();
    expect(showCover).toMatch(/\/cover-[0-9a-f]{16}\.png$/);
    expect(feed.itunes?.image).toBe(showCover);
    expect(feed.image?.url).toBe(showCover);
    expect(feed.itunes?.owner).toEqual({ name: 'Example Media', email: 'owner@example.com' });
    // The build time (the clock), not the episode's date.
    expect(feed.lastBuildDate).toBe('Mon, 23 Nov 2026 12:00:00 GMT');
    expect(feed.items).toHaveLength(1);
    const item = feed.items[0];
    // Every URL of the item is the record's: its own version folder.
    const version = record!.media.url.slice(0, record!.media.url.lastIndexOf('/'));
    expect(version).toMatch(new RegExp(`^${BASE_URL}/episodes/2026-11-23/[0-9a-f]{16}$`));
    expect(item?.title).toBe(HOSTILE_TITLE);
    expect(item?.link).toBe(record?.notesUrl);
    expect(item?.link).toBe(`${version}/notes.html`);
    expect(item?.guid).toBe(record?.guid);
    expect(item?.pubDate).toBe('Mon, 23 Nov 2026 00:00:00 GMT');
    expect(item?.enclosure).toEqual({
      url: `${version}/episode.mp3`,
      length: String(record?.media.bytes),
      type: 'audio/mpeg',
    });
    const seconds = record?.durationSeconds ?? -1;
    const clock = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
    expect(item?.itunes.duration).toBe(clock.map((n) => String(n).padStart(2, '0')).join(':'));
    expect(item?.itunes.image).toBe(`${version}/cover.png`);
    expect(item?.itunes.image).toBe(record?.imageUrl);
    expect(item?.itunes.episodeType).toBe('full');
    expect(item?.transcript?.$).toEqual({
      url: `${version}/transcript.vtt`,
      type: 'text/vtt',
    });
    expect(item?.chapters?.$).toEqual({
      url: `${version}/chapters.json`,
      type: 'application/json+chapters',
    });
    expect((item as { 'content:encoded'?: string })['content:encoded']).toBe(record?.notesHtml);
    // Every story with an http(s) link is linked from the description and the notes; nothing else is.
    const storyLink = 'https://news.example.com/a?x=1&y=%222%22';
    expect(record?.notesHtml).toContain(`<a href="${storyLink.replace(/&/g, '&amp;')}"`);
    expect(item?.content).toContain(storyLink);
    expect(deps.feeds.text(manifest.key)).not.toMatch(/javascript:|file:/);
  });

  it('lists episodes newest first; lastBuildDate is the build time', async () => {
    // Prepare
    const deps = makeFakeDeps();
    await publishEpisode({ deps, runId: 'run-a', date: '2026-11-23', title: 'Later episode' });
    const older = await publishEpisode({
      deps,
      runId: 'run-b',
      date: '2026-11-16',
      title: 'Earlier episode',
      notes: false,
    });

    // Act
    const manifest = await runFeed(older);

    // Assess
    const feed = await parser.parseString(deps.feeds.text(manifest.key));
    expect(manifest.episodes).toBe(2);
    expect(feed.items.map((i) => i.title)).toEqual(['Later episode', 'Earlier episode']);
    expect(feed.lastBuildDate).toBe('Mon, 23 Nov 2026 12:00:00 GMT');
    expect(feed.items[1]?.transcript).toBeUndefined();
    expect(feed.items[1]?.chapters).toBeUndefined();
    // Without notes there is no notes page to link to.
    const later = await deps.episodes.get('tech-weekly', '2026-11-23');
    expect(feed.items[0]?.link).toMatch(
      new RegExp(`^${BASE_URL}/episodes/2026-11-23/[0-9a-f]{16}/notes\\.html$`)
    );
    expect(feed.items[0]?.link).toBe(later?.notesUrl);
    expect(feed.items[1]?.link).toBeUndefined();
  });

  it('renders the same items for the same episodes; only lastBuildDate follows the clock', async () => {
    // Prepare
    const deps = makeFakeDeps();
    const run = await publishEpisode({ deps, runId: 'run-1', date: '2026-11-23', artwork: true });
    const manifest = await runFeed(run);
    const first = deps.feeds.text(manifest.key);

    // Act
    deps.clock.advance(7 * 86_400_000);
    await runFeed(run);

    // Assess
    const second = deps.feeds.text(manifest.key);
    expect(second).toContain('<lastBuildDate>Mon, 30 Nov 2026 12:00:00 GMT</lastBuildDate>');
    const withoutBuildDate = (xml: string) => xml.replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/, '');
    expect(withoutBuildDate(second)).toBe(withoutBuildDate(first));
  });

  it("follows the show's identity: a renamed show points at its new cover once the artwork stage drew it", async () => {
    // Prepare
    const deps = makeFakeDeps();
    const run = await publishEpisode({ deps, runId: 'run-1', date: '2026-11-23', artwork: true });
    const oldCover = publicUrls(run.podcast).podcastCover();
    const renamed = { ...run.podcast, title: 'Tech Weekly Extra' };
    await putJson(deps.media, (run.stages.prepare as { configKey: string }).configKey, renamed);

    // Act
    const before = await parser.parseString(deps.feeds.text((await runFeed(run)).key));
    await deps.media.put(showCoverKey(renamed), Buffer.from('new cover'), 'image/png');
    const after = await parser.parseString(deps.feeds.text((await runFeed(run)).key));

    // Assess
    expect(before.itunes?.image).toBeUndefined();
    expect(after.itunes?.image).toBe(publicUrls(renamed).podcastCover());
    expect(after.itunes?.image).not.toBe(oldCover);
    // The episode keeps its own cover.
    const record = await deps.episodes.get('tech-weekly', '2026-11-23');
    expect(after.items[0]?.itunes.image).toBe(record?.imageUrl);
    expect(record?.imageUrl).toMatch(
      new RegExp(`^${BASE_URL}/episodes/2026-11-23/[0-9a-f]{16}/cover\\.png$`)
    );
  });

  it('gives an episode without its own cover no item image (the channel image stands for it)', async () => {
    // Prepare: a record of the old scheme, pointing at the first episode's cover copied to cover.png.
    const deps = makeFakeDeps();
    const run = await publishEpisode({ deps, runId: 'run-1', date: '2026-11-23', artwork: true });
    const record = (await deps.episodes.get('tech-weekly', '2026-11-23'))!;
    deps.episodes.listByPodcast = async () => [{ ...record, imageUrl: `${BASE_URL}/cover.png` }];

    // Act
    const feed = await parser.parseString(deps.feeds.text((await runFeed(run)).key));

    // Assess
    expect(feed.items[0]?.itunes.image).toBeUndefined();
    expect(feed.itunes?.image).toBe(publicUrls(run.podcast).podcastCover());
  });

  it('renders a record written before versioned keys with the URLs it holds', async () => {
    // Prepare: a record of the fixed-key layout (no version folder, no notesUrl).
    const deps = makeFakeDeps();
    const run = await publishEpisode({ deps, runId: 'run-1', date: '2026-11-23', artwork: true });
    const current = (await deps.episodes.get('tech-weekly', '2026-11-23'))!;
    const { notesUrl: _none, ...rest } = current;
    const dir = `${BASE_URL}/episodes/2026-11-23`;
    const legacy = {
      ...rest,
      media: {
        ...current.media,
        url: `${dir}/episode.mp3`,
        key: 'podcasts/tech-weekly/episodes/2026-11-23/episode.mp3',
      },
      imageUrl: `${dir}/cover.png`,
      chaptersUrl: `${dir}/chapters.json`,
      transcriptUrl: `${dir}/transcript.vtt`,
    };
    deps.episodes.listByPodcast = async () => [legacy];

    // Act
    const feed = await parser.parseString(deps.feeds.text((await runFeed(run)).key));

    // Assess
    const item = feed.items[0];
    expect(item?.enclosure?.url).toBe(`${dir}/episode.mp3`);
    expect(item?.itunes.image).toBe(`${dir}/cover.png`);
    expect(item?.chapters?.$.url).toBe(`${dir}/chapters.json`);
    expect(item?.transcript?.$.url).toBe(`${dir}/transcript.vtt`);
    // Its notes page was published beside its MP3.
    expect(item?.link).toBe(`${dir}/notes.html`);
  });

  it('publishes no image URL that would serve nothing when the podcast has no cover', async () => {
    // Prepare
    const deps = makeFakeDeps();
    const run = await publishEpisode({ deps, runId: 'run-1', date: '2026-11-23', artwork: false });
    // The show cover the release gate saw is gone since (deleted by hand).
    deps.media.objects.delete(showCoverKey(run.podcast));

    // Act
    const manifest = await runFeed(run);

    // Assess
    const xml = deps.feeds.text(manifest.key);
    expect(xml).not.toContain('itunes:image');
    expect(xml).not.toContain('<image>');
  });

  it('retries when the listing does not show the episode publish just wrote', async () => {
    // Prepare
    const deps = makeFakeDeps();
    const run = await publishEpisode({ deps, runId: 'run-1', date: '2026-11-23' });
    deps.episodes.listByPodcast = async () => [];

    // Act / Assess
    await expect(runFeed(run)).rejects.toThrow(RetryableStageError);
    expect(await deps.feeds.exists('podcasts/tech-weekly/feed.xml')).toBe(false);
  });

  it('names the missing publish field', async () => {
    // Prepare
    const run = await seedRun();
    const input: StageInput = { ...stageInput(run), stages: { ...run.stages, publish: { guid: 'g' } } };

    // Act / Assess
    expect(() => parseOrThrow(feedStage.inputSchema, input, 'input')).toThrow(
      /input\.stages\.publish\.episodeId/
    );
  });
});
