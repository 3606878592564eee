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
  /**
   * The deployment's public origin (the CDN's URL, or `npm run serve`'s), e.g.
   * `https://d123.cloudfront.net`: a podcast without `publicBaseUrl` is served at
   * `<origin>/podcasts/<podcastId>`. Optional.
   */
  publicOrigin: 'PUBLIC_ORIGIN_URL',
  /** The stack's name: the dimension of the run watchdog's metric (stages/run-watchdog). */
  stackName: 'STACK_NAME',
} as const;

export type EnvKey = (typeof ENV)[keyof typeof ENV];

export function requireEnv(name: EnvKey | string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is required but not set`);
  return value;
}

/** An optional variable: its value, or undefined when it is unset or empty. */
export function optionalEnv(name: EnvKey, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[name] || undefined;
}
