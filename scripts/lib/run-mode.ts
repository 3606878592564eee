/**
 * `start-run --mode auto`: estimate how long a run takes from its podcast config and pick the
 * orchestration mode.
 *
 * The estimate is linear in what drives the work:
 *
 *   seconds = FIXED + PER_TARGET_MINUTE * targetMinutes + PER_STORY * maxStories + PER_SOURCE * sources
 *
 * Offline constants are measured with the local bench: `start-run --local --mode monolithic`
 * (embedded local servers, offline writer and speech, file:// feeds) on a 12-story feed:
 *
 *   targetMinutes  maxStories  audio   wall time
 *   2              4           2:45    10.8 s
 *   2              8           2:56    10.8 s
 *   5              4           5:17    16.1 s
 *   5              8           5:30    18.0 s
 *   8              4           7:14    20.9 s
 *
 * which fits 6 s fixed + 1.7 s per target minute (speech, mix and mastering, writing) + 0.25 s per
 * story. Real feeds are fetched over HTTP: add about 1 s per story and per source feed.
 * Cloud providers are not measured here (no AWS on the bench machines); their typical latencies
 * are added on top: Bedrock about 10 s of generation per minute of dialogue and 6 s per story
 * summary, Polly about 6 s per minute (~10 turns a minute at ~0.6 s each).
 *
 * The choice: monolithic below the threshold, distributed at or above it. A distributed run pays
 * a fixed overhead the monolithic one does not: a second and third Fargate start (the ECS scrape
 * and mix tasks, ~30-45 s each, against the one orchestrator task), about 15 Lambda invocations
 * (cold starts) and their state transitions, ~60 s in all. Below ~4 minutes of work that overhead
 * is a quarter of the run or more, and the monolithic task finishes first. (With offline providers
 * even the largest config, 60 minutes and 20 stories from 20 feeds, estimates 153 s: offline runs
 * always go monolithic; long cloud-provider episodes go distributed.) Above it the minute is
 * worth what distributed mode gives: fan-out shards on separate Lambdas (the CPU-bound offline
 * speech runs four-way parallel instead of on one event loop), each stage sized, retried and
 * redriven on its own, and a per-stage view in the Step Functions console.
 */
import type { PodcastConfig } from '../../stages/shared/config-schema';

export type OrchestrationMode = 'monolithic' | 'distributed';
export type ModeChoice = OrchestrationMode | 'auto';

interface ProviderCosts {
  /** Seconds of work per minute of episode. */
  perTargetMinute: number;
  /** Seconds of work per story (fetch, extract, summarize). */
  perStory: number;
}

/** Fixed seconds per run: prepare, outline, review, artwork, publish, feed, checkpoints (measured). */
export const FIXED_SECONDS = 6;
/** Reading one source feed over HTTP (discover). */
export const PER_SOURCE_SECONDS = 1;
/** Offline writer and speech, mix and mastering, per target minute (measured). */
const OFFLINE_SECONDS_PER_MINUTE = 1.7;
/** Extracting and summarizing one story offline (measured), plus fetching it over HTTP. */
const OFFLINE_SECONDS_PER_STORY = 0.25;
const STORY_FETCH_SECONDS = 1;

/** What a cloud provider adds to the offline numbers (typical latencies, not measured here). */
const SPEECH_EXTRA_PER_MINUTE = { offline: 0, polly: 6 } as const;
const WRITER_EXTRA_PER_MINUTE = { offline: 0, bedrock: 10 } as const;
const WRITER_EXTRA_PER_STORY = { offline: 0, bedrock: 6 } as const;

/** Distributed mode's extra fixed cost over monolithic (Fargate starts, cold starts, transitions). */
export const DISTRIBUTED_OVERHEAD_SECONDS = 60;
/** The largest share of a run the distributed overhead may take before monolithic wins. */
export const MAX_OVERHEAD_SHARE = 0.25;
/** Estimated runs shorter than this go monolithic: 60 s / 0.25 = 240 s. */
export const AUTO_THRESHOLD_SECONDS = DISTRIBUTED_OVERHEAD_SECONDS / MAX_OVERHEAD_SHARE;

export type EstimateInput = Pick<PodcastConfig, 'targetMinutes' | 'maxStories' | 'sources' | 'providers'>;

export function providerCosts(providers: PodcastConfig['providers']): ProviderCosts {
  return {
    perTargetMinute:
      OFFLINE_SECONDS_PER_MINUTE +
      SPEECH_EXTRA_PER_MINUTE[providers.speech] +
      WRITER_EXTRA_PER_MINUTE[providers.writer],
    perStory: OFFLINE_SECONDS_PER_STORY + STORY_FETCH_SECONDS + WRITER_EXTRA_PER_STORY[providers.writer],
  };
}

export interface RunEstimate {
  seconds: number;
  /** The formula with this config's numbers (and the providers), for the start-run output. */
  explanation: string;
}

export function estimateRunSeconds(config: EstimateInput): RunEstimate {
  const costs = providerCosts(config.providers);
  const sources = config.sources.length;
  const seconds =
    FIXED_SECONDS +
    costs.perTargetMinute * config.targetMinutes +
    costs.perStory * config.maxStories +
    PER_SOURCE_SECONDS * sources;
  const rounded = Math.round(seconds);
  const explanation =
    `${FIXED_SECONDS} + ${round2(costs.perTargetMinute)} x ${config.targetMinutes} min + ${round2(costs.perStory)} x ${config.maxStories} stories` +
    ` + ${PER_SOURCE_SECONDS} x ${sources} sources, writer ${config.providers.writer}, speech ${config.providers.speech}`;
  return { seconds: rounded, explanation };
}

export interface ModeDecision {
  mode: OrchestrationMode;
  /** Why: the flag, or the estimate against the threshold. */
  reason: string;
  estimate?: RunEstimate;
}

/** The mode for a run: the explicit choice, or the estimate against AUTO_THRESHOLD_SECONDS. */
export function chooseMode(choice: ModeChoice, config: EstimateInput | undefined): ModeDecision {
  if (choice !== 'auto') return { mode: choice, reason: `--mode ${choice}` };
  if (!config) throw new Error('chooseMode: --mode auto needs the podcast config');
  const estimate = estimateRunSeconds(config);
  const mode: OrchestrationMode = estimate.seconds < AUTO_THRESHOLD_SECONDS ? 'monolithic' : 'distributed';
  const relation = mode === 'monolithic' ? 'below' : 'at or above';
  return {
    mode,
    estimate,
    reason: `auto: estimated ${estimate.seconds} s = ${estimate.explanation}; ${relation} the ${AUTO_THRESHOLD_SECONDS} s threshold`,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
