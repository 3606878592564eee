/** In-memory fakes of the persistence ports, with the same conditional semantics as the DynamoDB adapters. */
import { ConflictError, ValidationError } from '../../stages/shared/errors';
import { inputFootprint } from '../../stages/shared/input-limits';
import type {
  RunApproval,
  ClaimResult,
  EpisodeCoverage,
  EpisodeRecord,
  EpisodeRepository,
  EventLog,
  NewRun,
  PipelineEvent,
  PodcastRepository,
  RunError,
  RunRecord,
  RunRepository,
  RunSkip,
  RunStatus,
} from '../../stages/shared/ports';
import type { PodcastConfig, PodcastConfigInput } from '../../stages/shared/config-schema';
import { episodeCoverageOf } from '../../stages/shared/story-memory';

const clone = <T>(value: T): T => structuredClone(value);

export class InMemoryRunRepository implements RunRepository {
  readonly runs = new Map<string, RunRecord>();
  writes = 0;

  async get(runId: string): Promise<RunRecord | undefined> {
    const run = this.runs.get(runId);
    return run && clone(run);
  }

  async claim(run: NewRun, now: string): Promise<ClaimResult> {
    this.writes++;
    const existing = this.runs.get(run.runId);
    if (!existing) {
      const { firstUnit, ...fields } = clone(run);
      const created: RunRecord = {
        ...fields,
        status: 'running',
        runAttempt: 1,
        createdAt: now,
        updatedAt: now,
        stageAttempts: firstUnit ? { [firstUnit.unit]: 1 } : {},
        ...(firstUnit ? { currentStage: firstUnit.stage } : {}),
        doneUnits: [],
        progressPoints: 0,
        progressPercent: 0,
      };
      this.runs.set(run.runId, created);
      return { outcome: 'created', run: clone(created) };
    }
    if (existing.inputHash !== run.inputHash) {
      throw new ValidationError(`runId "${run.runId}" was already used with a different input`, 'runId');
    }
    if (existing.status === 'succeeded') return { outcome: 'already-succeeded', run: clone(existing) };
    if (existing.status === 'skipped') return { outcome: 'already-skipped', run: clone(existing) };
    if (existing.status === 'running') return { outcome: 'already-running', run: clone(existing) };
    existing.status = 'running';
    existing.runAttempt += 1;
    existing.updatedAt = now;
    delete existing.error;
    // As the adapter: the input stored again (a run once rejected kept only its footprint).
    existing.input = clone(run.input ?? null);
    delete existing.rejectedInput;
    return { outcome: 'resumed', run: clone(existing) };
  }

  async recordRejected(run: NewRun, error: RunError, now: string, replacesClaim = false): Promise<void> {
    this.writes++;
    const existing = this.runs.get(run.runId);
    const ownClaim =
      replacesClaim &&
      existing?.status === 'running' &&
      existing.runAttempt === 1 &&
      existing.createdAt === now &&
      existing.updatedAt === now &&
      existing.inputHash === run.inputHash;
    if (existing && !ownClaim) return;
    // As the DynamoDB adapter: the input's size and hash, never the input itself.
    this.runs.set(run.runId, {
      ...clone({ ...run, input: null }),
      rejectedInput: inputFootprint(run.input),
      status: 'failed',
      runAttempt: 1,
      createdAt: now,
      updatedAt: now,
      stageAttempts: {},
      doneUnits: [],
      progressPoints: 0,
      progressPercent: 0,
      error,
    });
  }

  private require(runId: string): RunRecord {
    const run = this.runs.get(runId);
    if (!run) throw new ConflictError(`run "${runId}" does not exist`);
    return run;
  }

  async beginUnit(runId: string, unit: string, stage: string, now: string): Promise<number> {
    this.writes++;
    const run = this.require(runId);
    const attempt = (run.stageAttempts[unit] ?? 0) + 1;
    run.stageAttempts[unit] = attempt;
    run.currentStage = stage;
    run.updatedAt = now;
    return attempt;
  }

  async beginUnitUnlessDone(
    runId: string,
    unit: string,
    stage: string,
    now: string
  ): Promise<number | 'done'> {
    if (this.require(runId).doneUnits.includes(unit)) return 'done';
    return this.beginUnit(runId, unit, stage, now);
  }

  async beginUnits(
    runId: string,
    units: readonly string[],
    stage: string,
    now: string
  ): Promise<number[] | undefined> {
    const run = this.runs.get(runId);
    if (!run || units.some((unit) => run.doneUnits.includes(unit))) return undefined;
    this.writes++;
    const attempts = units.map((unit) => (run.stageAttempts[unit] = (run.stageAttempts[unit] ?? 0) + 1));
    run.currentStage = stage;
    run.updatedAt = now;
    return attempts;
  }

  async completeUnit(
    runId: string,
    unit: string,
    weight: number,
    totalWeight: number,
    now: string
  ): Promise<number> {
    const run = this.require(runId);
    if (!run.doneUnits.includes(unit)) {
      this.writes++;
      run.doneUnits.push(unit);
      run.progressPoints += weight;
      run.progressPercent = Math.min(100, Math.round((run.progressPoints / totalWeight) * 1000) / 10);
      run.updatedAt = now;
    }
    return run.progressPercent;
  }

  async touch(runId: string, now: string): Promise<void> {
    this.writes++;
    this.require(runId).updatedAt = now;
  }

  async markSucceeded(
    runId: string,
    result: { episodeId: string; guid: string },
    now: string
  ): Promise<void> {
    this.writes++;
    const run = this.require(runId);
    if (run.status === 'succeeded') return;
    if (run.status !== 'running') throw new ConflictError(`run "${runId}" is ${run.status}, not running`);
    Object.assign(run, {
      status: 'succeeded' as RunStatus,
      episodeId: result.episodeId,
      guid: result.guid,
      updatedAt: now,
      progressPercent: 100,
    });
  }

  async markSkipped(runId: string, skip: RunSkip, now: string): Promise<void> {
    this.writes++;
    const run = this.require(runId);
    if (run.status === 'skipped') return;
    if (run.status !== 'running') throw new ConflictError(`run "${runId}" is ${run.status}, not running`);
    Object.assign(run, {
      status: 'skipped' as RunStatus,
      skipped: clone(skip),
      updatedAt: now,
      progressPercent: 100,
    });
  }

  async markFailed(runId: string, error: RunError, now: string): Promise<void> {
    this.writes++;
    const run = this.require(runId);
    if (run.status !== 'running') return;
    Object.assign(run, { status: 'failed' as RunStatus, error: clone(error), updatedAt: now });
  }

  async putApproval(
    runId: string,
    approval: RunApproval,
    expected: RunApproval['state'] | undefined,
    now: string
  ): Promise<boolean> {
    this.writes++;
    const run = this.require(runId);
    if (run.status !== 'running' || run.approval?.state !== expected) return false;
    Object.assign(run, { approval: clone(approval), updatedAt: now });
    return true;
  }

  async reopenForEdit(
    runId: string,
    expectedAttempt: number,
    approval: RunApproval,
    now: string,
    from: 'succeeded' | 'failed' = 'succeeded'
  ): Promise<RunRecord | undefined> {
    this.writes++;
    // As the adapter's conditional update: a missing run fails the condition too.
    const run = this.runs.get(runId);
    if (!run || run.status !== from || run.runAttempt !== expectedAttempt) return undefined;
    delete run.error;
    Object.assign(run, {
      status: 'running' as RunStatus,
      runAttempt: run.runAttempt + 1,
      approval: clone(approval),
      updatedAt: now,
    });
    return clone(run);
  }

  async recordUsage(
    runId: string,
    stage: string,
    usage: Record<string, unknown>,
    now: string
  ): Promise<void> {
    this.writes++;
    const run = this.require(runId);
    run.usage = { ...(run.usage ?? {}), [stage]: clone(usage) };
    run.updatedAt = now;
  }

  async list(options: { limit?: number; status?: RunStatus } = {}): Promise<RunRecord[]> {
    return [...this.runs.values()]
      .filter((r) => !options.status || r.status === options.status)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, options.limit ?? 50)
      .map(clone);
  }
}

export class InMemoryEventLog implements EventLog {
  readonly events = new Map<string, PipelineEvent>();

  async append(event: PipelineEvent): Promise<boolean> {
    const id = `${event.runId}|${event.eventKey}`;
    if (this.events.has(id)) return false;
    this.events.set(id, clone(event));
    return true;
  }

  async list(runId: string): Promise<PipelineEvent[]> {
    return [...this.events.values()]
      .filter((e) => e.runId === runId)
      .sort((a, b) => a.at.localeCompare(b.at));
  }
}

export class InMemoryEpisodeRepository implements EpisodeRepository {
  readonly episodes = new Map<string, EpisodeRecord>();

  async putOnce(episode: EpisodeRecord): Promise<'created' | 'exists'> {
    const id = `${episode.podcastId}|${episode.episodeId}`;
    if (this.episodes.has(id)) return 'exists';
    this.episodes.set(id, clone(episode));
    return 'created';
  }

  async replaceVersion(episode: EpisodeRecord, previousMediaKey: string): Promise<boolean> {
    const id = `${episode.podcastId}|${episode.episodeId}`;
    const stored = this.episodes.get(id);
    if (stored?.runId !== episode.runId || stored.media.key !== previousMediaKey) return false;
    this.episodes.set(id, clone(episode));
    return true;
  }

  async get(podcastId: string, episodeId: string): Promise<EpisodeRecord | undefined> {
    const episode = this.episodes.get(`${podcastId}|${episodeId}`);
    return episode && clone(episode);
  }

  async listByPodcast(podcastId: string): Promise<EpisodeRecord[]> {
    return [...this.episodes.values()]
      .filter((e) => e.podcastId === podcastId)
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))
      .map(clone);
  }

  /** As the DynamoDB adapter: episodes keyed before the date, in key order, checked as read. */
  async listCoverage(podcastId: string, beforeEpisodeId: string): Promise<EpisodeCoverage[]> {
    return [...this.episodes.values()]
      .filter((e) => e.podcastId === podcastId && e.episodeId < beforeEpisodeId)
      .sort((a, b) => a.episodeId.localeCompare(b.episodeId))
      .map((e) => episodeCoverageOf(clone(e) as unknown as Record<string, unknown>, podcastId));
  }
}

export class InMemoryPodcastRepository implements PodcastRepository {
  /** What the table holds; a test may set an item without publicBaseUrl, as one put by hand. */
  readonly podcasts = new Map<string, PodcastConfigInput>();

  async get(podcastId: string): Promise<PodcastConfigInput | undefined> {
    const podcast = this.podcasts.get(podcastId);
    return podcast && clone(podcast);
  }

  async put(config: PodcastConfig): Promise<void> {
    this.podcasts.set(config.podcastId, clone(config));
  }
}
