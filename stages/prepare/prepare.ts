/**
 * prepare: validate the run input, load the podcast config, claim the run record (idempotent on
 * runId) and fix what the rest of the run depends on (episode date and GUID, enabled stages, shards).
 */
import { STAGES } from '../pipeline-plan';
import { artifactKeys, putJson } from '../shared/artifact-keys';
import { checkFeedSchemes, type PodcastConfig } from '../shared/config-schema';
import { describeError, ValidationError } from '../shared/errors';
import { emit, eventKey } from '../shared/events';
import { failRun } from '../shared/run-lifecycle';
import { episodeGuid, hashJson } from '../shared/hashing';
import { checkRunInputLimits } from '../shared/input-limits';
import type { ClaimResult, NewRun } from '../shared/ports';
import { RUN_ID_PATTERN, type RunInput, runInputSchema } from '../shared/run-input-schema';
import { type Claimed, defineStage, type StageDeps, type StageInput } from '../shared/stage';
import { approvalPlan } from '../shared/approval/approval-record';
import { parseOrThrow } from '../shared/validation';
import { type CurrentPodcast, currentPodcast, episodeDate, podcastConfigHash } from './rerun-inputs';
import { prepareInputSchema, prepareOutputSchema } from './schema';

/** Validates the raw run input; a ValidationError names the field. */
export function parseRunInput(raw: unknown): RunInput {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ValidationError('input: the run input must be a JSON object', 'input');
  }
  // The 64 KiB cap and no __proto__/constructor/prototype keys: here too, for Step Functions input.
  checkRunInputLimits(raw);
  const input = parseOrThrow(runInputSchema, raw, 'input');
  checkStageFlags(input);
  return input;
}

/** Stage switches are part of the input: checked before the run is claimed, so a bad one writes nothing but the rejected run. */
function checkStageFlags(input: RunInput): void {
  for (const [name, flag] of Object.entries(input.flags.enable ?? {})) {
    const stage = STAGES.find((s) => s.id === name);
    if (!stage)
      throw new ValidationError(`flags.enable.${name}: unknown stage "${name}"`, `flags.enable.${name}`);
    if (flag === false && !stage.optional) {
      throw new ValidationError(
        `flags.enable.${stage.id}: stage "${stage.id}" cannot be disabled`,
        `flags.enable.${stage.id}`
      );
    }
  }
}

/**
 * The run's podcast config, resolved and checked (currentPodcast), and whether prepare stores it:
 * an inline config, or a stored one whose `publicBaseUrl` was just filled in from the public
 * origin, is stored as resolved (once the run is claimed), so the feed and media URLs stay the
 * same for later runs whatever the origin then is.
 */
export async function readPodcast(input: RunInput, deps: StageDeps): Promise<CurrentPodcast> {
  const current = await currentPodcast(input, deps);
  if (!current) {
    throw new ValidationError(
      `podcastId: unknown podcast "${input.podcastId}" (store its config first: --podcast <file> on the orchestrator, or an inline "podcast" in the run input)`,
      'podcastId'
    );
  }
  checkFeedSchemes(current.podcast, deps.providers.fetcher.readsLocalFiles, current.what);
  return current;
}

function newRun(raw: unknown, runId: string, podcastId: string): NewRun {
  return { runId, podcastId, mode: 'monolithic', inputHash: hashJson(raw ?? null), input: raw ?? null };
}

/** What prepare's claim hands on to its checkpoint input and its core, each settling on its own. */
export interface PrepareClaim {
  /** The run input, as claim validated it (parseRunInput): the core does not parse it again. */
  input: RunInput;
  /** The config being read (and stored, when resolved or inline). */
  podcast: Promise<PodcastConfig>;
  /** When the claimed run record was first created: the episode's default date. */
  createdAt: Promise<string>;
  /** The run.started event, written once the claim created, resumed or took over the run. */
  announced: Promise<void>;
}

/** Marks a promise observed: its rejection is handled where it is awaited, or by `begun`. */
function observed<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

async function claim(stageInput: StageInput, deps: StageDeps): Promise<Claimed<PrepareClaim>> {
  const now = deps.clock.now().toISOString();
  const mode = stageInput.mode ?? 'monolithic';
  const fallback = { ...newRun(stageInput.input, stageInput.runId, stageInput.podcastId), mode } as const;
  // Bad input leaves exactly one record behind: the failed run, naming the problem (the
  // repository keeps the input's size and hash, never the input itself). A runId that is not a
  // valid id cannot key a record (too long for the table, or not printable): nothing is written.
  const reject = async (error: unknown, replacesClaim = false) => {
    if (error instanceof ValidationError && RUN_ID_PATTERN.test(fallback.runId))
      await deps.runs.recordRejected(
        fallback,
        { stage: 'prepare', ...describeError(error) },
        now,
        replacesClaim
      );
    return error;
  };
  let input: RunInput;
  try {
    input = parseRunInput(stageInput.input);
  } catch (error) {
    throw await reject(error);
  }
  // The run is claimed while its podcast config is read (one round trip instead of two), and the
  // core starts on the config as soon as it is read, its writes held until the claim lands; a
  // config that turns out unknown or bad turns the record this claim created into the rejected run.
  const claiming = observed(
    deps.runs.claim(
      {
        ...fallback,
        runId: input.runId,
        podcastId: input.podcastId,
        firstUnit: { unit: 'prepare', stage: 'prepare' },
      },
      now
    )
  );
  // run.started, once per run attempt (a conditional put on its key): for a run this claim created
  // or resumed, and again for a running run it takes over (a retried unit whose first try could
  // not write it), where the put is a no-op when the event exists.
  const announce = async ({ outcome, run }: ClaimResult): Promise<void> => {
    if (outcome !== 'created' && outcome !== 'resumed' && outcome !== 'already-running') return;
    const attempt = run.runAttempt;
    await emit(deps.events, input.runId, eventKey('run', attempt, 'run.started'), 'run.started', now, {
      attempt,
      detail: { mode, resumed: attempt > 1 },
    });
  };
  // What this claim owns, it records: a run it created or resumed fails, after its run.started.
  const failOwn = async (result: ClaimResult, error: unknown): Promise<void> => {
    await announce(result).catch(() => undefined);
    await failRun(input.runId, { stage: 'prepare', ...describeError(error) }, deps);
  };
  const read = observed(readPodcast(input, deps));
  const podcast = observed(read.then((current) => current.podcast));
  const claimed = observed(
    (async () => {
      let current: CurrentPodcast;
      try {
        current = await read;
      } catch (error) {
        // The record this claim created becomes the rejected run when the input is bad, one it
        // resumed fails; another process's running run (or a finished one) is left as it is.
        const result = await claiming.catch(() => undefined);
        if (
          result?.outcome === 'resumed' ||
          (result?.outcome === 'created' && !(error instanceof ValidationError))
        )
          await failOwn(result, error);
        throw await reject(error, result?.outcome === 'created');
      }
      const result = await claiming;
      // Only a start the claim let through stores the config: a refused one changes nothing.
      if (current.store)
        await deps.podcasts.put(current.podcast).catch(async (error: unknown) => {
          if (result.outcome === 'created' || result.outcome === 'resumed') await failOwn(result, error);
          throw error;
        });
      deps.logger.info('run claimed', { runId: input.runId, outcome: result.outcome });
      return result;
    })()
  );
  const announced = observed(claimed.then(announce));
  return {
    value: {
      input,
      podcast,
      createdAt: observed(claimed.then((result) => result.run.createdAt)),
      announced,
    },
    begun: claimed.then((result) => (result.outcome === 'created' ? 1 : undefined)),
    settled: announced,
  };
}

/**
 * `run` gets the StageInput parsed with prepareInputSchema (its `input` is the raw run input, the
 * user's) and reads the run input as its claim validated it, before the run record existed.
 */
export const prepareStage = defineStage({
  id: 'prepare',
  inputSchema: prepareInputSchema,
  outputSchema: prepareOutputSchema,
  claim,
  // The config as claim read (and stored) it: what this attempt snapshots.
  checkpointInput: async (_stageInput, _deps, claimed) => ({
    configHash: podcastConfigHash(await claimed.podcast),
  }),
  async run(_stageInput, ctx, claimed) {
    const { input } = claimed;
    const podcast = await claimed.podcast;
    const configKey = artifactKeys.stageFile(input.runId, 'prepare', 'podcast.json');
    const [date] = await Promise.all([
      episodeDate(input, claimed.createdAt),
      putJson(ctx.deps.media, configKey, podcast),
      claimed.announced,
    ]);

    const enabled: Record<string, boolean> = {};
    const shards: Record<string, number[]> = {};
    for (const stage of STAGES) {
      enabled[stage.id] = input.flags.enable?.[stage.id] !== false;
      if (stage.fanOut) shards[stage.id] = Array.from({ length: stage.fanOut.shards }, (_, i) => i);
    }

    // The engine's gate and the state machine's CheckReviewApproval read it (review switched off: no gate).
    const gate = enabled.review === false ? undefined : approvalPlan(input.flags.approval, podcast.approval);
    return {
      runId: input.runId,
      podcastId: input.podcastId,
      episode: {
        episodeId: date,
        date,
        guid: episodeGuid(input.podcastId, date),
        ...(input.episode.title ? { title: input.episode.title } : {}),
      },
      configKey,
      configHash: podcastConfigHash(podcast),
      enabled,
      ...(gate ? { approval: gate } : {}),
      shards,
    };
  },
});
