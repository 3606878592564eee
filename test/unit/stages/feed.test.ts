import { runCore } from '../../helpers/run-core';
import Parser from 'rss-parser';
import { feedStage } from '../../../stages/feed/feed';
import { notesStage } from '../../../stages/notes/notes';
import { publishStage } from '../../../stages/publish/publish';
import { RetryableStageError } from '../../../stages/shared/errors';
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
    expect(deps.feeds.objects.get(manifest.key)?.contentType).toBe('application/rss+xml');
    const feed = await parser.parseString(deps.feeds.text(manifest.key));
    expect(feed.title).toBe('Tech Weekly');
    expect(feed.description).toBe('News & notes from the <tech> world.');
    expect(feed.itunes?.image).toBe(`${BASE_URL}/cover.png`);
    expect(feed.itunes?.owner).toEqual({ name: 'Example Media', email: 'owner@example.com' });
    expect(feed.lastBuildDate).toBe('Mon, 23 Nov 2026 00:00:00 GMT');
    expect(feed.items).toHaveLength(1);
    const item = feed.items[0];
    expect(item?.title).toBe(HOSTILE_TITLE);
    expect(item?.guid).toBe(record?.guid);
    expect(item?.pubDate).toBe('Mon, 23 Nov 2026 00:00:00 GMT');
    expect(item?.enclosure).toEqual({
      url: `${BASE_URL}/episodes/2026-11-23/episode.mp3`,
      length: String(record?.media.bytes),
      type: 'audio/mpeg',
    });
    const seconds = record?.durationSeconds ?? -1;
    expect(item?.itunes.duration).toBe(`00:00:${String(seconds).padStart(2, '0')}`);
    expect(item?.itunes.image).toBe(`${BASE_URL}/episodes/2026-11-23/cover.png`);
    expect(item?.itunes.episodeType).toBe('full');
    expect(item?.transcript?.$).toEqual({
      url: `${BASE_URL}/episodes/2026-11-23/transcript.vtt`,
      type: 'text/vtt',
    });
    expect(item?.chapters?.$).toEqual({
      url: `${BASE_URL}/episodes/2026-11-23/chapters.json`,
      type: 'application/json+chapters',
    });
    expect((item as { 'content:encoded'?: string })['content:encoded']).toBe(record?.notesHtml);
  });

  it('lists episodes newest first and takes lastBuildDate from the newest', async () => {
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
    expect(feed.lastBuildDate).toBe('Mon, 23 Nov 2026 00:00:00 GMT');
    expect(feed.items[1]?.transcript).toBeUndefined();
    expect(feed.items[1]?.chapters).toBeUndefined();
  });

  it('renders byte-identical feeds for the same episodes, whatever the clock says', async () => {
    // Prepare
    const deps = makeFakeDeps();
    const run = await publishEpisode({ deps, runId: 'run-1', date: '2026-11-23', artwork: true });
    const manifest = await runFeed(run);
    const first = deps.feeds.text(manifest.key);

    // Act
    deps.clock.advance(7 * 86_400_000);
    await runFeed(run);

    // Assess
    expect(deps.feeds.text(manifest.key)).toBe(first);
  });

  it('publishes no image URL that would serve nothing when the podcast has no cover', async () => {
    // Prepare
    const deps = makeFakeDeps();
    const run = await publishEpisode({ deps, runId: 'run-1', date: '2026-11-23', artwork: false });

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
