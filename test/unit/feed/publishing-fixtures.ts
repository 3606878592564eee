/**
 * A run that reached the publishing stages, built in the in-memory fakes: the podcast config
 * snapshot, the prepare manifest, story summaries (some with hostile text), the final script, the
 * mix timeline and audio, and optional artwork (with the show cover). Shared by the notes, publish
 * and feed suites.
 */
import { artifactKeys, putJson } from '../../../stages/shared/artifact-keys';
import { type PodcastConfig, podcastConfigSchema } from '../../../stages/shared/config-schema';
import type { ClipTiming, Script, StoryCandidate, StorySummary } from '../../../stages/shared/content-types';
import { stableUuid } from '../../../stages/shared/hashing';
import { showCoverKey } from '../../../stages/shared/public-urls';
import type { StageContext, StageInput } from '../../../stages/shared/stage';
import { type FakeDeps, makeFakeDeps } from '../../fakes/fake-deps';
import { flatCoverPng, STAND_IN_LOUDNESS } from '../../helpers/fault-injection-providers';

export const PODCAST_ID = 'tech-weekly';
export const BASE_URL = 'https://podcasts.example.com/tech-weekly';

export const HOSTILE_TITLE = `Rust & <Go> "fight" ]]> it's on`;
export const HOSTILE_SOURCE = '<script>alert("x")</script> Daily & Co';

export function podcastConfig(overrides: Partial<PodcastConfig> = {}): PodcastConfig {
  return podcastConfigSchema.parse({
    podcastId: PODCAST_ID,
    title: 'Tech Weekly',
    description: 'News & notes from the <tech> world.',
    author: 'Example Media',
    ownerEmail: 'owner@example.com',
    // A trailing slash: public URLs must not double it.
    publicBaseUrl: `${BASE_URL}/`,
    hosts: [
      { id: 'alex', name: 'Alex Rivera', role: 'lead' },
      { id: 'sam', name: 'Sam Lee' },
    ],
    sources: [{ id: 'daily', name: 'Daily', feedUrl: 'https://daily.example.com/rss' }],
    ...overrides,
  });
}

export function summaries(): StorySummary[] {
  return [
    {
      storyId: 'story-a',
      title: HOSTILE_TITLE,
      sourceName: HOSTILE_SOURCE,
      url: 'https://news.example.com/a?x=1&y="2"',
      sentences: ['Rust adoption grew again this year.'],
      keyPoints: ['Adoption grew <fast> & wide.'],
      wordCount: 7,
    },
    {
      storyId: 'story-b',
      title: 'Databases get faster',
      sourceName: 'DB Weekly',
      url: 'javascript:alert(1)',
      sentences: ['A new engine doubled throughput.'],
      keyPoints: [],
      wordCount: 5,
    },
  ];
}

const LONG_TURN =
  'Our first story is about Rust and Go, and honestly it is a long one, so bear with me while I walk through every single detail of the benchmark they ran last week.';

export function script(title = 'Episode: Rust & Go'): Script {
  const turns = [
    { segmentId: 'intro', speaker: 'alex', text: 'Welcome to Tech Weekly!', sourceIds: [] },
    { segmentId: 'intro', speaker: 'sam', text: 'Glad to be here.', sourceIds: [] },
    { segmentId: 'seg-1', speaker: 'alex', text: LONG_TURN, sourceIds: ['story-a'] },
    { segmentId: 'seg-1', speaker: 'sam', text: 'Wow, <that> & more.', sourceIds: ['story-a'] },
    { segmentId: 'seg-2', speaker: 'sam', text: 'Databases got faster.', sourceIds: ['story-b'] },
    { segmentId: 'outro', speaker: 'alex', text: 'Thanks for listening.', sourceIds: [] },
  ].map((turn, index) => ({ index, ...turn }));
  return { episodeTitle: title, turns, wordCount: 80 };
}

/** Clips laid end to end after a 2 s intro bed, with 500 ms pauses. */
export function timeline(s: Script = script()): ClipTiming[] {
  let at = 2000;
  return s.turns.map((turn) => {
    const durationMs = 400 + turn.text.length * 60;
    const clip = {
      turnIndex: turn.index,
      speaker: turn.speaker,
      segmentId: turn.segmentId,
      startMs: at,
      endMs: at + durationMs,
      text: turn.text,
    };
    at += durationMs + 500;
    return clip;
  });
}

export interface PublishingRun {
  deps: FakeDeps;
  runId: string;
  date: string;
  stages: Record<string, unknown>;
  podcast: PodcastConfig;
}

export interface RunOptions {
  runId?: string;
  date?: string;
  deps?: FakeDeps;
  podcast?: PodcastConfig;
  script?: Script;
  artwork?: boolean;
}

/** Writes the artifacts of a run up to mix (and artwork when asked) and returns its manifests. */
export async function seedRun(options: RunOptions = {}): Promise<PublishingRun> {
  const deps = options.deps ?? makeFakeDeps();
  const runId = options.runId ?? 'run-1';
  const date = options.date ?? '2026-11-23';
  const podcast = options.podcast ?? podcastConfig();
  const theScript = options.script ?? script();
  const file = (stage: string, name: string) => artifactKeys.stageFile(runId, stage, name);

  const configKey = file('prepare', 'podcast.json');
  await putJson(deps.media, configKey, podcast);
  const summaryRefs = [];
  for (const [rank, summary] of summaries().entries()) {
    const key = file('summarize', `${summary.storyId}.json`);
    await putJson(deps.media, key, summary);
    summaryRefs.push({ storyId: summary.storyId, key, rank });
  }
  // What discover picked: the stories the summaries tell (the record keeps those the script cites).
  const storiesKey = file('discover', 'stories.json');
  const picked: StoryCandidate[] = summaries().map((summary, rank) => ({
    id: summary.storyId,
    sourceId: 'daily',
    sourceName: summary.sourceName,
    title: summary.title,
    url: summary.url,
    snippet: summary.sentences[0] ?? '',
    score: 1 - rank / 10,
  }));
  await putJson(deps.media, storiesKey, picked);
  await putJson(deps.media, file('script', 'script.json'), theScript);
  const clips = timeline(theScript);
  await putJson(deps.media, file('mix', 'timeline.json'), clips);
  const mp3 = Buffer.from(`ID3-fake-mp3-${runId}`);
  await deps.media.put(file('mix', 'episode.mp3'), mp3, 'audio/mpeg');
  const last = clips[clips.length - 1];

  const stages: Record<string, unknown> = {
    prepare: {
      runId,
      podcastId: podcast.podcastId,
      episode: { episodeId: date, date, guid: stableUuid(`${podcast.podcastId}/${date}`) },
      configKey,
      enabled: {},
      shards: {},
    },
    discover: {
      storiesKey,
      storyIds: picked.map((story) => story.id),
      candidates: picked.length,
      skippedSources: [],
      covered: 0,
    },
    summarize: { summaries: summaryRefs },
    script: {
      key: file('script', 'script.json'),
      textKey: file('script', 'script.txt'),
      turns: theScript.turns.length,
      words: 80,
    },
    review: { skipped: true },
    mix: {
      key: file('mix', 'episode.mp3'),
      // On the target length, as the mix paces it (publish refuses a generated episode off target).
      durationMs: Math.max((last?.endMs ?? 0) + 3000, podcast.targetMinutes * 60_000),
      bytes: mp3.length,
      timelineKey: file('mix', 'timeline.json'),
      loudness: STAND_IN_LOUDNESS,
    },
    artwork: { skipped: true },
  };
  // The show's own cover, as an artwork stage (this run's or an earlier one) leaves it: public,
  // under its hashed key, 1400 px RGB as the release gate wants it.
  const showCover = showCoverKey(podcast);
  await deps.media.put(showCover, flatCoverPng(200), 'image/png');
  if (options.artwork) {
    const png = flatCoverPng(runId.length % 256);
    await deps.media.put(file('artwork', 'cover.png'), png, 'image/png');
    stages.artwork = {
      key: file('artwork', 'cover.png'),
      contentType: 'image/png',
      width: 1400,
      height: 1400,
      bytes: png.length,
      showCover: { key: showCover, contentType: 'image/png', source: 'drawn' },
    };
  }
  return { deps, runId, date, stages, podcast };
}

export function stageInput(run: PublishingRun): StageInput {
  return { runId: run.runId, podcastId: PODCAST_ID, stages: run.stages };
}

export function stageContext(run: PublishingRun): StageContext {
  return {
    deps: run.deps,
    logger: run.deps.logger,
    runId: run.runId,
    attempt: 1,
    signal: new AbortController().signal,
    progress: async () => undefined,
  };
}
