import * as z from 'zod';
import { APPLE_CATEGORY_NAMES, appleSubcategories, closestName, isAppleCategory } from './apple-categories';
import {
  ARTWORK_EXTENSION,
  artworkUrlSchema,
  categorySchema,
  languageSchema,
  publicBaseUrlSchema,
  text,
} from './config-field-schemas';
import { ValidationError } from './errors';
import { checkHostNames } from './host-names';
import { parseLanguage } from './languages';
import { lengthProblem } from './length-plan';

export { ARTWORK_EXTENSION, text };

/** A podcast's configuration: who speaks, what they read, how it sounds, how long it runs. */
export const hostSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'host id must be lower-case letters, digits or dashes'),
  name: text(1, 60),
  role: z.enum(['lead', 'co-host']).default('co-host'),
  /**
   * The host's voice. Each field left out comes from the host's voice slot (voice-cast.ts: a
   * function of the host ids, never of their order), so every host keeps one voice from episode
   * to episode and, up to four hosts, no two sound alike; a field set here pins that part.
   */
  voice: z
    .object({
      /** Offline synthesizer (eSpeak) settings: pitch 0-99, words per minute, variant. */
      pitch: z.number().int().min(0).max(99).optional(),
      speed: z.number().int().min(80).max(260).optional(),
      variant: text(0, 20).optional(),
      /** Amazon Polly neural voice id, when the podcast uses Polly. */
      pollyVoiceId: text(0, 40).optional(),
    })
    .default({}),
});

export const sourceSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'source id must be lower-case letters, digits or dashes'),
  name: text(1, 80),
  /**
   * An RSS 2.0 or Atom feed: http(s)://, or file:// only in the embedded local mode for a config
   * loaded with --podcast (paths relative to the config file; see checkFeedSchemes).
   */
  feedUrl: z
    .string()
    .max(2048)
    .regex(/^(https?|file):\/\/\S+$/, 'feedUrl must be an http(s):// or file:// URL')
    .refine((value) => URL.canParse(value), 'feedUrl is not a valid URL'),
  weight: z.number().min(0).max(10).default(1),
});

export const providerSelectionSchema = z
  .object({
    writer: z.enum(['offline', 'bedrock']).default('offline'),
    speech: z.enum(['offline', 'polly']).default('offline'),
    bedrockModelId: text(0, 200).optional(),
  })
  .default({ writer: 'offline', speech: 'offline' });

/**
 * The fields of a podcast config, unrefined. The two schemas below are built from them and share
 * one refinement (checkPodcastConfig): zod 4 keeps a `.superRefine` as a check on the object itself,
 * and `.partial()`/`.pick()`/`.omit()` refuse refined objects, so the refinement is applied last.
 */
const podcastConfigFields = z.object({
  podcastId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'podcastId must be 2-63 lower-case letters, digits or dashes'),
  title: text(1, 120),
  description: text(1, 4000),
  author: text(1, 120),
  /**
   * The feed's `<itunes:owner>` email and `<podcast:locked owner>`: how directories reach the
   * owner and verify a feed move. Optional here; the release gate requires it for a public feed.
   */
  ownerEmail: z.email().optional(),
  /** The episode's language (languages.ts): it picks the voices, the writer's phrasing and the feed's <language>. */
  language: languageSchema.default('en-us'),
  /** An Apple Podcasts category, spelled as Apple does (apple-categories.ts). */
  category: categorySchema.default('Technology'),
  /** One of the category's Apple Podcasts subcategories (checked in checkPodcastConfig). */
  subcategory: text(1, 60).optional(),
  /** The show's cover art; without it the show cover is drawn from the title and author. */
  artworkUrl: artworkUrlSchema.optional(),
  explicit: z.boolean().default(false),
  /** Where the feed and media are served from; optional in podcastConfigInputSchema. */
  publicBaseUrl: publicBaseUrlSchema,
  /** One host (a monologue) to four (a panel). */
  hosts: z
    .array(hostSchema)
    .min(1, 'a podcast needs at least one host')
    .max(4, 'a podcast has at most four hosts (one to four voices)'),
  sources: z.array(sourceSchema).min(1, 'a podcast needs at least one source').max(20),
  topics: z.array(text(2, 40)).max(30).default([]),
  style: z
    .object({
      tone: z.enum(['conversational', 'formal', 'playful']).default('conversational'),
      bannedPhrases: z.array(text(2, 80)).max(100).default([]),
    })
    .default({ tone: 'conversational', bannedPhrases: [] }),
  targetMinutes: z.number().min(1).max(60).default(3),
  maxStories: z.number().int().min(1).max(20).default(4),
  /** Fewest stories an episode is made from once unreadable ones are skipped. @default min(2, maxStories) */
  minStories: z.number().int().min(1).max(20).optional(),
  providers: providerSelectionSchema,
  /**
   * The script approval gate's default for this podcast's runs (a run's flags.approval overrides
   * it): `script: true` pauses each run after review until someone approves, edits or rejects the
   * script; a run nobody decides on within deadlineHours (default 72, at most 720) ends failed.
   */
  approval: z
    .object({ script: z.boolean().default(false), deadlineHours: z.number().positive().max(720).optional() })
    .strict()
    .optional(),
});

/**
 * The rules across fields: unique host and source ids and host names (host-names.ts), minStories at most maxStories, a
 * subcategory of the category, a targetMinutes the story limits can fill (length-plan.ts).
 */
function checkPodcastConfig(
  config: Pick<
    z.output<typeof podcastConfigFields>,
    | 'hosts'
    | 'sources'
    | 'minStories'
    | 'maxStories'
    | 'category'
    | 'subcategory'
    | 'language'
    | 'providers'
    | 'targetMinutes'
    | 'title'
  >,
  ctx: z.RefinementCtx
): void {
  checkSubcategory(config, ctx);
  checkLength(config, ctx);
  checkHostNames(config.hosts, ctx);
  const hostIds = new Set<string>();
  for (const [i, host] of config.hosts.entries()) {
    if (hostIds.has(host.id))
      ctx.addIssue({ code: 'custom', path: ['hosts', i, 'id'], message: `duplicate host id "${host.id}"` });
    hostIds.add(host.id);
  }
  if (config.minStories !== undefined && config.minStories > config.maxStories) {
    ctx.addIssue({
      code: 'custom',
      path: ['minStories'],
      message: `minStories (${config.minStories}) must not exceed maxStories (${config.maxStories})`,
    });
  }
  const sourceIds = new Set<string>();
  for (const [i, source] of config.sources.entries()) {
    if (sourceIds.has(source.id))
      ctx.addIssue({
        code: 'custom',
        path: ['sources', i, 'id'],
        message: `duplicate source id "${source.id}"`,
      });
    sourceIds.add(source.id);
  }
}

/** targetMinutes against minStories and maxStories: refused up front when no episode could fit. */
function checkLength(config: Parameters<typeof checkPodcastConfig>[0], ctx: z.RefinementCtx): void {
  const ids = new Set(config.hosts.map((h) => h.id));
  if (ids.size === 0 || ids.size !== config.hosts.length || ids.size > 4 || !parseLanguage(config.language))
    return;
  const problem = lengthProblem({ ...config, minStories: minimumStories(config) });
  if (problem) ctx.addIssue({ code: 'custom', path: ['targetMinutes'], message: problem });
}

function checkSubcategory(
  { category, subcategory }: { category: string; subcategory?: string | undefined },
  ctx: z.RefinementCtx
): void {
  // An unknown category has its own issue; its subcategory cannot be judged.
  if (subcategory === undefined || !isAppleCategory(category)) return;
  const valid = appleSubcategories(category);
  if (valid.includes(subcategory)) return;
  const close = closestName(subcategory, valid);
  const elsewhere = APPLE_CATEGORY_NAMES.find(
    (other) => other !== category && closestName(subcategory, appleSubcategories(other)) !== undefined
  );
  const hint =
    (elsewhere ? `it belongs to "${elsewhere}"; ` : '') +
    (valid.length === 0
      ? `"${category}" has no subcategories in Apple Podcasts, so leave subcategory out`
      : (close ? `did you mean "${close}"? ` : '') +
        `the subcategories of "${category}" are: ${valid.join(', ')}`);
  ctx.addIssue({
    code: 'custom',
    path: ['subcategory'],
    message: `"${subcategory}" is not an Apple Podcasts subcategory of "${category}"; ${hint}`,
  });
}

/**
 * A podcast config as users write it (a --podcast file, an inline `podcast` in the run input, an
 * item put in the podcasts table by hand): `publicBaseUrl` may be left out, and prepare then
 * defaults it to `<public origin>/podcasts/<podcastId>` (resolvePublicBaseUrl in public-urls.ts).
 */
export const podcastConfigInputSchema = podcastConfigFields
  .extend({ publicBaseUrl: publicBaseUrlSchema.optional() })
  .superRefine(checkPodcastConfig);

/** A resolved podcast config (what prepare stores and snapshots for the run): `publicBaseUrl` is set. */
export const podcastConfigSchema = podcastConfigFields.superRefine(checkPodcastConfig);

export type PodcastConfigInput = z.infer<typeof podcastConfigInputSchema>;
export type PodcastConfig = z.infer<typeof podcastConfigSchema>;

/**
 * `file:` feeds and artwork exist only for a config loaded from a file in the embedded local mode
 * (the fetcher then reads local files, confined to the config's folder); anywhere else (AWS, an
 * inline or stored config) they are bad input.
 */
export function checkFeedSchemes(
  config: Pick<PodcastConfig, 'sources' | 'artworkUrl'>,
  allowFiles: boolean,
  what: string
): void {
  if (allowFiles) return;
  const index = config.sources.findIndex((s) => /^file:/i.test(s.feedUrl));
  if (index >= 0) {
    const field = `${what}.sources.${index}.feedUrl`;
    throw new ValidationError(
      `${field}: file: feeds are read only in the embedded local mode, from a config loaded with --podcast; use an http(s) URL`,
      field
    );
  }
  if (config.artworkUrl !== undefined && /^file:/i.test(config.artworkUrl)) {
    const field = `${what}.artworkUrl`;
    throw new ValidationError(
      `${field}: a local artwork file is read only in the embedded local mode, from a config loaded with --podcast; use an http(s) URL`,
      field
    );
  }
}

/** The fewest stories an episode may be made from: the config's minStories, or 2 (at most maxStories). */
export function minimumStories(config: Pick<PodcastConfig, 'minStories' | 'maxStories'>): number {
  return config.minStories ?? Math.min(2, config.maxStories);
}
export type Host = z.infer<typeof hostSchema>;
export type Source = z.infer<typeof sourceSchema>;
