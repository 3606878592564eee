/**
 * The content that moves between stages (stored in S3 as JSON, referenced by key in manifests).
 * A type with a zod schema (which checks the JSON as a stage reads it back) is the schema's
 * `z.infer`, re-exported from the schema's file; the exports are type-only, so this file loads no
 * stage code at runtime.
 */

export type { StoryCandidate } from '../discover/schema';
export type { ScrapedStory } from '../scrape/schema';
export type { StorySummary } from '../summarize/schema';
export type { Outline, OutlineSegment } from '../outline/schema';
export type { Script, ScriptTurn } from '../script/schema';
export type { ClipTiming } from '../mix/schema';
