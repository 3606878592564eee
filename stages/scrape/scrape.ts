/**
 * scrape: fetch each discovered story and extract its main text. A page that cannot be fetched
 * after a few quick tries (refused, 4xx/5xx, timeout, blocked by the fetch policy), is not
 * HTML/text, or has too little text is skipped with a reason and a `story.skipped` event; the
 * episode goes on with the others. The stage fails only when fewer than the podcast's
 * `minStories` remain, naming each skipped story and why. Runs as an ECS task in distributed mode
 * (network-bound); the module is the same in both modes.
 */
import { artifactKeys, getJson, putJson } from '../shared/artifact-keys';
import type { ScrapedStory, StoryCandidate } from '../shared/content-types';
import { minimumStories } from '../shared/config-schema';
import { FatalStageError, RetryableStageError } from '../shared/errors';
import type { Fetcher } from '../shared/providers';
import { loadRunPodcast } from '../shared/run-context';
import { fetchSource, recordSkipped } from '../shared/source-fetch';
import { defineStage } from '../shared/stage';
import { parseOrThrow } from '../shared/validation';
import { storyCandidateSchema } from '../discover/schema';
import { extractMainText } from './extract-text';
import { type ScrapeManifest, scrapeInputSchema, scrapeOutputSchema } from './schema';

/** Fewer words than this is a teaser, a paywall or an error page, not a story. */
export const MIN_STORY_WORDS = 80;
/** Pages fetched at the same time. */
const CONCURRENCY = 4;

type Outcome =
  | { kind: 'scraped'; story: ScrapedStory }
  | { kind: 'skipped'; id: string; reason: string; transient: boolean };

export const scrapeStage = defineStage({
  id: 'scrape',
  inputSchema: scrapeInputSchema,
  outputSchema: scrapeOutputSchema,

  async run(input, ctx) {
    const { prepare, discover } = input.stages;
    // The story list is an artifact in S3: checked as it is read.
    const raw = await getJson<unknown>(ctx.deps.media, discover.storiesKey);
    const candidates = parseOrThrow(
      storyCandidateSchema.array(),
      raw,
      `discover stories (${discover.storiesKey})`
    );
    const fetcher = ctx.deps.providers.fetcher;
    const podcast = await loadRunPodcast(prepare, ctx.deps);
    // Skipping may not leave fewer than minStories; a day with fewer candidates than that is not a failure.
    const minStories = Math.min(minimumStories(podcast), candidates.length);

    let done = 0;
    const outcomes = await mapWithConcurrency(candidates, CONCURRENCY, async (candidate) => {
      const outcome = await scrapeOne(fetcher, candidate, ctx.signal);
      if (outcome.kind === 'skipped') {
        ctx.logger.warn('story skipped', {
          storyId: candidate.id,
          url: candidate.url,
          reason: outcome.reason,
        });
        await recordSkipped(ctx, 'scrape', 'story.skipped', candidate.id, {
          url: candidate.url,
          ...(candidate.snapshotUrl ? { snapshotUrl: candidate.snapshotUrl } : {}),
          title: candidate.title,
          reason: outcome.reason,
        });
      }
      await ctx.progress(++done / candidates.length);
      return outcome;
    });

    const manifest: ScrapeManifest = { stories: [], skipped: [] };
    for (const outcome of outcomes) {
      if (outcome.kind === 'skipped') {
        manifest.skipped.push({ id: outcome.id, reason: outcome.reason });
        continue;
      }
      const key = artifactKeys.stageFile(input.runId, 'scrape', `${outcome.story.id}.json`);
      await putJson(ctx.deps.media, key, outcome.story);
      manifest.stories.push({ id: outcome.story.id, key, wordCount: outcome.story.wordCount });
    }
    if (manifest.stories.length < Math.max(1, minStories)) {
      const reasons = manifest.skipped.map((s) => `${s.id}: ${s.reason}`).join('; ');
      const message = `only ${manifest.stories.length} of ${candidates.length} stories could be scraped (at least ${Math.max(1, minStories)} needed): ${reasons || 'discover found none'}`;
      // Transient faults alone may heal on the stage's next attempt; anything else will not.
      const transientOnly =
        outcomes.some((o) => o.kind === 'skipped') &&
        outcomes.every((o) => o.kind === 'scraped' || o.transient);
      throw transientOnly ? new RetryableStageError(message) : new FatalStageError(message);
    }
    ctx.logger.info('stories scraped', {
      scraped: manifest.stories.length,
      skipped: manifest.skipped.length,
    });
    return manifest;
  },
});

async function scrapeOne(fetcher: Fetcher, candidate: StoryCandidate, signal: AbortSignal): Promise<Outcome> {
  const skip = (reason: string, transient = false): Outcome => ({
    kind: 'skipped',
    id: candidate.id,
    reason,
    transient,
  });
  // A local feed's snapshot of the page stands in for it; the story keeps its canonical url.
  const fetched = await fetchSource(fetcher, candidate.snapshotUrl ?? candidate.url, {
    kind: 'page',
    signal,
  });
  if (!fetched.ok) return skip(fetched.reason, fetched.transient);
  const extracted = extractMainText(fetched.value.body.toString('utf8'));
  if (extracted.wordCount < MIN_STORY_WORDS) {
    return skip(
      `only ${extracted.wordCount} words of text at ${candidate.url} (at least ${MIN_STORY_WORDS} needed)`
    );
  }
  return {
    kind: 'scraped',
    story: {
      id: candidate.id,
      sourceId: candidate.sourceId,
      sourceName: candidate.sourceName,
      title: candidate.title,
      url: candidate.url,
      ...(candidate.publishedAt ? { publishedAt: candidate.publishedAt } : {}),
      text: extracted.text,
      wordCount: extracted.wordCount,
    },
  };
}

/** Maps with at most `limit` calls in flight; results keep the input order. */
async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
