import * as z from 'zod';

/** A podcast's configuration: who speaks, what they read, how it sounds, how long it runs. */
export const hostSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'host id must be lower-case letters, digits or dashes'),
  name: z.string().min(1).max(60),
  role: z.enum(['lead', 'co-host']).default('co-host'),
  voice: z
    .object({
      /** Offline synthesizer voice settings. */
      pitch: z.number().int().min(0).max(99).default(50),
      speed: z.number().int().min(80).max(260).default(165),
      variant: z.string().max(20).optional(),
      /** Amazon Polly neural voice id, when the podcast uses Polly. */
      pollyVoiceId: z.string().max(40).optional(),
    })
    .default({ pitch: 50, speed: 165 }),
});

export const sourceSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'source id must be lower-case letters, digits or dashes'),
  name: z.string().min(1).max(80),
  /** An RSS 2.0 or Atom feed: http(s):// or file:// (file paths relative to the config file). */
  feedUrl: z.string().regex(/^(https?|file):\/\/\S+$/, 'feedUrl must be an http(s):// or file:// URL'),
  weight: z.number().min(0).max(10).default(1),
});

export const providerSelectionSchema = z
  .object({
    writer: z.enum(['offline', 'bedrock']).default('offline'),
    speech: z.enum(['offline', 'polly']).default('offline'),
    bedrockModelId: z.string().max(200).optional(),
  })
  .default({ writer: 'offline', speech: 'offline' });

export const podcastConfigSchema = z
  .object({
    podcastId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'podcastId must be 2-63 lower-case letters, digits or dashes'),
    title: z.string().min(1).max(120),
    description: z.string().min(1).max(4000),
    author: z.string().min(1).max(120),
    ownerEmail: z.email().optional(),
    language: z.string().regex(/^[a-z]{2}(-[A-Za-z]{2})?$/).default('en-us'),
    category: z.string().min(1).max(60).default('Technology'),
    explicit: z.boolean().default(false),
    /** Where published media and the feed are served from (e.g. a CloudFront domain). */
    publicBaseUrl: z.url().regex(/^https?:\/\//, 'publicBaseUrl must be http(s)'),
    hosts: z.array(hostSchema).min(2, 'a podcast needs two hosts').max(4),
    sources: z.array(sourceSchema).min(1, 'a podcast needs at least one source').max(20),
    topics: z.array(z.string().min(2).max(40)).max(30).default([]),
    style: z
      .object({
        tone: z.enum(['conversational', 'formal', 'playful']).default('conversational'),
        bannedPhrases: z.array(z.string().min(2).max(80)).max(100).default([]),
      })
      .default({ tone: 'conversational', bannedPhrases: [] }),
    targetMinutes: z.number().min(1).max(60).default(3),
    maxStories: z.number().int().min(1).max(20).default(4),
    providers: providerSelectionSchema,
  })
  .superRefine((config, ctx) => {
    const hostIds = new Set<string>();
    for (const [i, host] of config.hosts.entries()) {
      if (hostIds.has(host.id)) ctx.addIssue({ code: 'custom', path: ['hosts', i, 'id'], message: `duplicate host id "${host.id}"` });
      hostIds.add(host.id);
    }
    const sourceIds = new Set<string>();
    for (const [i, source] of config.sources.entries()) {
      if (sourceIds.has(source.id)) ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: `duplicate source id "${source.id}"` });
      sourceIds.add(source.id);
    }
  });

export type PodcastConfig = z.infer<typeof podcastConfigSchema>;
export type Host = z.infer<typeof hostSchema>;
export type Source = z.infer<typeof sourceSchema>;
