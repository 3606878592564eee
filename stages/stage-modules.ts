/**
 * The id -> module map: every stage's code, joined to its plan entry. Loaded only where all stage
 * code runs (the monolithic engine, the ECS stage task, the local state-machine runner, tests); a
 * Lambda handler imports its own module instead, so its bundle holds one stage.
 */
import { artworkStage } from './artwork/artwork';
import { discoverStage } from './discover/discover';
import { feedStage } from './feed/feed';
import { mixStage } from './mix/mix';
import { notesStage } from './notes/notes';
import { outlineStage } from './outline/outline';
import { type StageId, STAGES, getStage } from './pipeline-plan';
import { prepareStage } from './prepare/prepare';
import { publishStage } from './publish/publish';
import { reviewStage } from './review/review';
import { scrapeStage } from './scrape/scrape';
import { scriptStage } from './script/script';
import type { AnyStageModule, RunnableStage } from './shared/stage';
import { summarizeStage } from './summarize/summarize';
import { ttsStage } from './tts/tts';

export const STAGE_MODULES: Readonly<Record<StageId, AnyStageModule>> = {
  prepare: prepareStage,
  discover: discoverStage,
  scrape: scrapeStage,
  summarize: summarizeStage,
  outline: outlineStage,
  script: scriptStage,
  review: reviewStage,
  tts: ttsStage,
  mix: mixStage,
  artwork: artworkStage,
  notes: notesStage,
  publish: publishStage,
  feed: feedStage,
};

/** The plan in order, each entry with its module. */
export const RUNNABLE_STAGES: readonly RunnableStage[] = STAGES.map((plan) => ({
  ...plan,
  module: STAGE_MODULES[plan.id as StageId],
}));

export function runnableStage(id: string): RunnableStage {
  const plan = getStage(id);
  return { ...plan, module: STAGE_MODULES[plan.id as StageId] };
}
