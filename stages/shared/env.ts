/**
 * The environment variable names shared by infra (which sets them next to the IAM grant) and the
 * composition roots (which read them through `requireEnv`). Stage modules never read env.
 */
export const ENV = {
  podcastsTable: 'PODCASTS_TABLE',
  runsTable: 'RUNS_TABLE',
  eventsTable: 'EVENTS_TABLE',
  episodesTable: 'EPISODES_TABLE',
  mediaBucket: 'MEDIA_BUCKET',
  rssBucket: 'RSS_BUCKET',
  providerSecretArn: 'PROVIDER_SECRET_ARN',
  /** The Bedrock model a podcast without `providers.bedrockModelId` writes with (the stack's context default). */
  bedrockModelId: 'BEDROCK_MODEL_ID',
  eventTtlDays: 'EVENT_TTL_DAYS',
} as const;

export type EnvKey = (typeof ENV)[keyof typeof ENV];

export function requireEnv(name: EnvKey | string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is required but not set`);
  return value;
}
