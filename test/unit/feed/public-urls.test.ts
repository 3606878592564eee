import { artifactKeys } from '../../../stages/shared/artifact-keys';
import { FatalStageError } from '../../../stages/shared/errors';
import { podcastCoverKey, publicUrlForKey, publicUrls } from '../../../stages/shared/public-urls';

describe('public URLs', () => {
  const podcast = { podcastId: 'tech-weekly', publicBaseUrl: 'https://cdn.example.com/shows/tech-weekly/' };

  it('maps podcasts/<podcastId>/ keys onto publicBaseUrl, with or without a trailing slash', () => {
    // Prepare
    const withoutSlash = publicUrls({
      ...podcast,
      publicBaseUrl: 'https://cdn.example.com/shows/tech-weekly',
    });
    const withSlash = publicUrls(podcast);
    const key = artifactKeys.episodeFile('tech-weekly', '2026-11-23', 'episode.mp3');

    // Act / Assess
    for (const urls of [withSlash, withoutSlash]) {
      expect(urls.forKey(key)).toBe(
        'https://cdn.example.com/shows/tech-weekly/episodes/2026-11-23/episode.mp3'
      );
      expect(urls.feed()).toBe('https://cdn.example.com/shows/tech-weekly/feed.xml');
      expect(urls.podcastCover()).toBe('https://cdn.example.com/shows/tech-weekly/cover.png');
      expect(urls.episodeFile('2026-11-23', 'chapters.json')).toBe(
        'https://cdn.example.com/shows/tech-weekly/episodes/2026-11-23/chapters.json'
      );
      expect(urls.baseUrl).toBe('https://cdn.example.com/shows/tech-weekly');
    }
    expect(podcastCoverKey('tech-weekly')).toBe('podcasts/tech-weekly/cover.png');
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
