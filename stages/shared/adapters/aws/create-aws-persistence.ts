/**
 * The persistence half of StageDeps on AWS (or on the local servers that speak its APIs): the
 * four DynamoDB repositories and the two S3 stores, named by the ENV variables that infra sets
 * next to each IAM grant. Clients are built once and shared by every adapter.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '../../env';
import { ValidationError } from '../../errors';
import type {
  ArtifactStore,
  EpisodeRepository,
  EventLog,
  PodcastRepository,
  RunRepository,
} from '../../ports';
import { createDynamoDocumentClient, createS3Client } from './aws-clients';
import { DynamoEpisodeRepository } from './dynamo-episode-repository';
import { DEFAULT_EVENT_TTL_DAYS, DynamoEventLog } from './dynamo-event-log';
import { DynamoPodcastRepository } from './dynamo-podcast-repository';
import { DynamoRunRepository } from './dynamo-run-repository';
import { S3ArtifactStore } from './s3-artifact-store';

export interface AwsPersistence {
  podcasts: PodcastRepository;
  runs: RunRepository;
  events: EventLog;
  episodes: EpisodeRepository;
  media: ArtifactStore;
  feeds: ArtifactStore;
}

export interface AwsPersistenceClients {
  dynamo: DynamoDBDocumentClient;
  s3: S3Client;
}

/** EVENT_TTL_DAYS when set (a positive number), else the default of 30 days. */
export function eventTtlDays(env: NodeJS.ProcessEnv): number {
  const raw = env[ENV.eventTtlDays];
  if (raw === undefined || raw === '') return DEFAULT_EVENT_TTL_DAYS;
  const days = Number(raw);
  if (!Number.isFinite(days) || days <= 0) {
    throw new ValidationError(
      `${ENV.eventTtlDays} must be a positive number of days, got "${raw}"`,
      ENV.eventTtlDays
    );
  }
  return days;
}

/**
 * A port this process was not given: infra sets a table or bucket name only next to its IAM grant,
 * so a stage without the grant has no name either. Any use fails naming the missing binding.
 */
function unbound<T extends object>(port: string, variable: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      if (property === 'then') return undefined; // not a thenable
      throw new Error(
        `${port} is not available in this process: ${variable} is not set (the stack grants it only to the stages that use it)`
      );
    },
  });
}

/**
 * Builds the adapters for the tables and buckets named in `env`; a name that is not set gives a
 * port that fails on first use, naming the variable. `clients` lets a caller share (or stub) the
 * SDK clients; by default they come from `env`.
 */
export function createAwsPersistence(
  env: NodeJS.ProcessEnv = process.env,
  clients: AwsPersistenceClients = { dynamo: createDynamoDocumentClient(env), s3: createS3Client(env) }
): AwsPersistence {
  const ttlDays = eventTtlDays(env);
  const bind = <T extends object>(port: string, variable: string, build: (name: string) => T): T => {
    const name = env[variable];
    return name ? build(name) : unbound<T>(port, variable);
  };
  return {
    podcasts: bind(
      'the podcasts table',
      ENV.podcastsTable,
      (n) => new DynamoPodcastRepository(clients.dynamo, n)
    ),
    runs: bind('the runs table', ENV.runsTable, (n) => new DynamoRunRepository(clients.dynamo, n)),
    events: bind('the events table', ENV.eventsTable, (n) => new DynamoEventLog(clients.dynamo, n, ttlDays)),
    episodes: bind(
      'the episodes table',
      ENV.episodesTable,
      (n) => new DynamoEpisodeRepository(clients.dynamo, n)
    ),
    media: bind('the media bucket', ENV.mediaBucket, (n) => new S3ArtifactStore(clients.s3, n)),
    feeds: bind('the RSS bucket', ENV.rssBucket, (n) => new S3ArtifactStore(clients.s3, n)),
  };
}
