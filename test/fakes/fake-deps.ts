/** Builds a StageDeps of in-memory fakes; tests override what they need (e.g. providers). */
import { silentLogger } from '../../stages/shared/logger';
import type { Clock } from '../../stages/shared/ports';
import type { Fetcher, ProviderSet } from '../../stages/shared/providers';
import type { StageDeps } from '../../stages/shared/stage';
import { InMemoryArtifactStore } from './in-memory-artifact-store';
import {
  InMemoryEpisodeRepository,
  InMemoryEventLog,
  InMemoryPodcastRepository,
  InMemoryRunRepository,
} from './in-memory-repositories';

export class FixedClock implements Clock {
  constructor(private current = new Date('2026-11-23T12:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface FakeDeps extends StageDeps {
  podcasts: InMemoryPodcastRepository;
  runs: InMemoryRunRepository;
  events: InMemoryEventLog;
  episodes: InMemoryEpisodeRepository;
  media: InMemoryArtifactStore;
  feeds: InMemoryArtifactStore;
  clock: FixedClock;
}

/** A fetcher that fetches nothing: prepare asks whether file: feeds are read (no, as in the cloud). */
const noFetcher: Fetcher = {
  readsLocalFiles: false,
  fetch: async (url) => {
    throw new Error(`test did not provide providers.fetcher (asked for ${url})`);
  },
};

const missingProviders = new Proxy({} as ProviderSet, {
  get(_target, prop) {
    if (prop === 'fetcher') return noFetcher;
    throw new Error(`test did not provide providers.${String(prop)}`);
  },
});

export function makeFakeDeps(overrides: Partial<StageDeps> = {}): FakeDeps {
  return {
    podcasts: new InMemoryPodcastRepository(),
    runs: new InMemoryRunRepository(),
    events: new InMemoryEventLog(),
    episodes: new InMemoryEpisodeRepository(),
    media: new InMemoryArtifactStore('media-bucket'),
    feeds: new InMemoryArtifactStore('rss-bucket'),
    providers: missingProviders,
    clock: new FixedClock(),
    logger: silentLogger,
    ...overrides,
  } as FakeDeps;
}
