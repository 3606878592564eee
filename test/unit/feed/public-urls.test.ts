import { artifactKeys } from '../../../stages/shared/artifact-keys';
import { FatalStageError } from '../../../stages/shared/errors';
import { publicUrlForKey, publicUrls, showCoverKey } from '../../../stages/shared/public-urls';

describe('public URLs', () => {
  const podcast = {
    podcastId: 'tech-weekly',
    title: 'Tech Weekly',
    author: 'Example Media',
    publicBaseUrl: 'https://cdn.example.com/shows/tech-weekly/',
  };

  it('maps podcasts/<podcastId>/ keys onto publicBaseUrl, with or without a trailing slash', () => {
    // Prepare
    const withoutSlash = publicUrls({
      ...podcast,
      publicBaseUrl: 'https://cdn.example.com/shows/tech-weekly',
    });
    const withSlash = publicUrls(podcast);
    const key = artifactKeys.episodeFile('tech-weekly', '2026-11-23', '0123456789abcdef', 'episode.mp3');

    // Act / Assess
    for (const urls of [withSlash, withoutSlash]) {
      expect(urls.forKey(key)).toBe(
        'https://cdn.example.com/shows/tech-weekly/episodes/2026-11-23/0123456789abcdef/episode.mp3'
      );
      expect(urls.feed()).toBe('https://cdn.example.com/shows/tech-weekly/feed.xml');
      expect(urls.podcastCover()).toBe(
        `https://cdn.example.com/shows/tech-weekly/${showCoverKey(podcast).slice('podcasts/tech-weekly/'.length)}`
      );
      expect(urls.baseUrl).toBe('https://cdn.example.com/shows/tech-weekly');
    }
  });

  it('names the show cover by what it is made from: a new title, author or artwork is a new key', () => {
    const drawn = showCoverKey(podcast);
    expect(drawn).toMatch(/^podcasts\/tech-weekly\/cover-[0-9a-f]{16}\.png$/);
    expect(showCoverKey({ ...podcast })).toBe(drawn);
    expect(showCoverKey({ ...podcast, title: 'Tech Weekly Extra' })).not.toBe(drawn);
    expect(showCoverKey({ ...podcast, author: 'Someone Else' })).not.toBe(drawn);

    const png = showCoverKey({ ...podcast, artworkUrl: 'https://img.example.com/show/cover.PNG' });
    const jpeg = showCoverKey({ ...podcast, artworkUrl: 'https://img.example.com/show/cover.jpeg?v=2' });
    expect(png).toMatch(/^podcasts\/tech-weekly\/cover-[0-9a-f]{16}\.png$/);
    expect(jpeg).toMatch(/^podcasts\/tech-weekly\/cover-[0-9a-f]{16}\.jpg$/);
    expect(new Set([drawn, png, jpeg]).size).toBe(3);
    // Given artwork does not depend on the title: renaming the show keeps its image.
    expect(
      showCoverKey({ ...podcast, title: 'Renamed', artworkUrl: 'https://img.example.com/show/cover.PNG' })
    ).toBe(png);
  });

  it('percent-encodes path segments and rejects keys outside the podcast prefix', () => {
    expect(publicUrlForKey(podcast.publicBaseUrl, 'tech-weekly', 'podcasts/tech-weekly/a b/c#d.mp3')).toBe(
      'https://cdn.example.com/shows/tech-weekly/a%20b/c%23d.mp3'
    );
    expect(() => publicUrlForKey(podcast.publicBaseUrl, 'tech-weekly', 'runs/run-1/mix/episode.mp3')).toThrow(
      FatalStageError
    );
    expect(() => publicUrlForKey(podcast.publicBaseUrl, 'tech-weekly', 'podcasts/other/feed.xml')).toThrow(
      /not under the public prefix "podcasts\/tech-weekly\/"/
    );
    expect(() => publicUrlForKey(podcast.publicBaseUrl, 'tech-weekly', 'podcasts/tech-weekly/')).toThrow(
      FatalStageError
    );
  });
});
