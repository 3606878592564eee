import { type EpisodeSources, planEpisodeAssets } from '../../../stages/publish/episode-assets';
import { episodeVersion, readEpisodeBodies } from '../../../stages/publish/episode-version';
import { FatalStageError } from '../../../stages/shared/errors';
import { InMemoryArtifactStore } from '../../fakes/in-memory-artifact-store';

const sources: EpisodeSources = {
  media: { role: 'media', fromKey: 'runs/r/mix/episode.mp3', file: 'episode.mp3', contentType: 'audio/mpeg' },
  cover: { role: 'cover', fromKey: 'runs/r/artwork/cover.png', file: 'cover.png', contentType: 'image/png' },
  notes: { role: 'notes', fromKey: 'runs/r/notes/notes.html', file: 'notes.html', contentType: 'text/html' },
};
const bodies = {
  media: Buffer.from('tagged mp3'),
  cover: Buffer.from('png'),
  notes: Buffer.from('<p>n</p>'),
};

describe('episode version', () => {
  it('is 16 hex digits, the same for the same files, another when any byte, name or type differs', () => {
    const version = episodeVersion(sources, bodies);

    expect(version).toMatch(/^[0-9a-f]{16}$/);
    expect(episodeVersion(sources, { ...bodies, media: Buffer.from('tagged mp3') })).toBe(version);
    const others = [
      episodeVersion(sources, { ...bodies, media: Buffer.from('tagged mp3!') }),
      episodeVersion(sources, { ...bodies, cover: Buffer.from('PNG') }),
      episodeVersion(sources, { ...bodies, notes: Buffer.from('<p>m</p>') }),
      episodeVersion({ ...sources, cover: { ...sources.cover!, file: 'cover.jpg' } }, bodies),
      episodeVersion({ ...sources, notes: { ...sources.notes!, contentType: 'text/plain' } }, bodies),
      episodeVersion({ media: sources.media }, bodies),
    ];
    expect(new Set([version, ...others]).size).toBe(others.length + 1);
  });

  it('places every file under the version folder of the episode', () => {
    const plan = planEpisodeAssets(sources, { podcastId: 'tw', episodeId: '2026-11-23', version: 'abc' });

    expect([plan.media.toKey, plan.cover?.toKey, plan.notes?.toKey]).toEqual([
      'podcasts/tw/episodes/2026-11-23/abc/episode.mp3',
      'podcasts/tw/episodes/2026-11-23/abc/cover.png',
      'podcasts/tw/episodes/2026-11-23/abc/notes.html',
    ]);
  });

  it('reads every source but the tagged media, and fails on a missing one before anything is written', async () => {
    const store = new InMemoryArtifactStore();
    await store.put(sources.cover!.fromKey, bodies.cover, 'image/png');

    await expect(readEpisodeBodies(store, sources, bodies.media)).rejects.toThrow(FatalStageError);
    await store.put(sources.notes!.fromKey, bodies.notes, 'text/html');
    const read = await readEpisodeBodies(store, sources, bodies.media);

    expect(episodeVersion(sources, read)).toBe(episodeVersion(sources, bodies));
    expect(await store.list('podcasts/')).toEqual([]);
  });
});
