/**
 * The release gate's rules, each failing on purpose against an otherwise good candidate, and the
 * check of the bytes served.
 */
import { podcastConfigSchema } from '../../../stages/shared/config-schema';
import { ReleaseGateError } from '../../../stages/shared/errors';
import { stableUuid } from '../../../stages/shared/hashing';
import type { EpisodeRecord } from '../../../stages/shared/ports';
import {
  checkRelease,
  checkServedMedia,
  type ReleaseCandidate,
  releaseProblems,
  RELEASE_RULES,
} from '../../../stages/publish/release-gate';
import { podcastConfig } from '../../fixtures/podcast-config';
import { flatCoverPng, headerOnlyPng } from '../../helpers/fault-injection-providers';

const png = (size: number, colourType: 2 | 6) => headerOnlyPng(size, size, colourType);

function candidate(change: (c: ReleaseCandidate) => void = () => undefined): ReleaseCandidate {
  const podcast = podcastConfigSchema.parse({ ...podcastConfig(), ownerEmail: 'owner@example.com' });
  const date = '2026-11-23';
  const c: ReleaseCandidate = {
    podcast,
    episode: { episodeId: date, date, guid: stableUuid(`${podcast.podcastId}/${date}`) },
    otherEpisodes: [],
    showCover: flatCoverPng(10),
    episodeCover: flatCoverPng(20),
    loudness: { integratedLufs: -16.2, truePeakDbtp: -1.6 },
  };
  change(c);
  return c;
}

describe('the release gate', () => {
  it('passes an episode that meets every rule', () => {
    expect(releaseProblems(candidate())).toEqual([]);
    expect(() => checkRelease(candidate())).not.toThrow();
  });

  it.each<[string, (c: ReleaseCandidate) => void, RegExp]>([
    [
      'owner-email',
      (c) => delete (c.podcast as { ownerEmail?: string }).ownerEmail,
      /^owner-email: .*no ownerEmail/,
    ],
    ['show-artwork (missing)', (c) => (c.showCover = undefined), /^show-artwork: no show cover exists$/],
    [
      'show-artwork (1000 px)',
      (c) => (c.showCover = png(1000, 2)),
      /^show-artwork: .*1000x1000 pixels, not 1400 to 3000/,
    ],
    ['episode-artwork (alpha)', (c) => (c.episodeCover = png(1400, 6)), /^episode-artwork: .*alpha/],
    [
      'episode-artwork (not an image)',
      (c) => (c.episodeCover = Buffer.from('GIF89a')),
      /^episode-artwork: .*neither PNG nor JPEG/,
    ],
    [
      'loudness (too quiet)',
      (c) => (c.loudness = { integratedLufs: -23.4, truePeakDbtp: -6 }),
      /^loudness: the MP3 measures -23.4 LUFS, 7.4 LU from -16$/,
    ],
    ['loudness (not measured)', (c) => (c.loudness = undefined), /^loudness: the mix recorded no loudness/],
    [
      'true-peak',
      (c) => (c.loudness = { integratedLufs: -16, truePeakDbtp: -0.3 }),
      /^true-peak: the MP3 peaks at -0.3 dBTP$/,
    ],
    ['guid (not stable)', (c) => (c.episode.guid = 'f00'), /^guid: GUID f00 is not the stable /],
    [
      'guid (not unique)',
      (c) => (c.otherEpisodes = [{ episodeId: '2026-11-16', guid: c.episode.guid } as EpisodeRecord]),
      /^guid: GUID .* is already episode 2026-11-16's$/,
    ],
    [
      'category',
      (c) => (c.podcast.category = 'Tech'),
      /^category: "Tech" is not an Apple Podcasts category$/,
    ],
    [
      'category (subcategory)',
      (c) => Object.assign(c.podcast, { category: 'News', subcategory: 'Tech' }),
      /^category: "Tech" is not a subcategory of "News"$/,
    ],
    ['explicit', (c) => delete (c.podcast as { explicit?: boolean }).explicit, /^explicit: /],
  ])('fails %s, naming the rule', (_rule, change, expected) => {
    const problems = releaseProblems(candidate(change));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
    expect(() => checkRelease(candidate(change))).toThrow(ReleaseGateError);
  });

  it('names every failed rule at once, and each rule has an id and a requirement', () => {
    let error: unknown;
    try {
      checkRelease(
        candidate((c) => {
          c.loudness = { integratedLufs: -30, truePeakDbtp: 0 };
          c.showCover = undefined;
        })
      );
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ReleaseGateError);
    expect((error as ReleaseGateError).problems.map((p) => p.split(':')[0])).toEqual([
      'show-artwork',
      'loudness',
      'true-peak',
    ]);
    expect((error as Error).message).toMatch(/nothing was published/);
    expect(new Set(RELEASE_RULES.map((r) => r.id)).size).toBe(RELEASE_RULES.length);
  });

  it('checks that the bytes served are the bytes the feed announces', () => {
    const mp3 = Buffer.from('ID3 tagged mp3');
    expect(() => checkServedMedia(mp3, Buffer.from(mp3))).not.toThrow();
    expect(() => checkServedMedia(undefined, mp3)).toThrow(/enclosure-length: .*cannot be read back/);
    expect(() => checkServedMedia(mp3.subarray(1), mp3)).toThrow(
      /enclosure-length: the published MP3 is 13 bytes, the feed would announce 14/
    );
    expect(() => checkServedMedia(Buffer.from('ID3 tagged mp4'), mp3)).toThrow(
      /not the file the feed would announce/
    );
  });
});
