/**
 * What infra needs to know about a stage: the deployment-facing part of the plan's
 * StagePlanEntry (runtime, size, timeout, data access). The constructs take these as props so the
 * registry stays the single source of truth while the constructs stay testable with small lists;
 * the type import loads no stage code.
 */
import type { StageAccess, StagePlanEntry } from '../../stages/pipeline-plan';

export type InfraStage = Pick<
  StagePlanEntry,
  'id' | 'runtime' | 'timeoutSeconds' | 'lambda' | 'task' | 'access'
>;

const STAGE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** `run-status` -> `RunStatus`: construct ids use the same form as the ASL's state names. */
export { pascalCase } from '../../stepfunctions/state-names';

/** Throws when the list has an id that is not kebab-case or appears twice. */
export function assertValidStageIds(stages: readonly InfraStage[], owner: string): void {
  const seen = new Set<string>();
  for (const stage of stages) {
    if (!STAGE_ID.test(stage.id)) {
      throw new Error(
        `${owner}: stage id "${stage.id}" must be kebab-case (it names the handler folder and logical ids)`
      );
    }
    if (seen.has(stage.id)) throw new Error(`${owner}: stage id "${stage.id}" appears twice`);
    seen.add(stage.id);
  }
}

const ACCESS_RANK = { read: 1, readWrite: 2 } as const;

function wider<T extends 'read' | 'readWrite'>(a: T | undefined, b: T | undefined): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return ACCESS_RANK[a] >= ACCESS_RANK[b] ? a : b;
}

/**
 * The union of several stages' data access: what a process running all of them (the monolithic
 * orchestrator) needs, and nothing more.
 */
export function unionAccess(stages: readonly InfraStage[]): StageAccess {
  let podcasts: StageAccess['podcasts'];
  let episodes: StageAccess['episodes'];
  let feeds: StageAccess['feeds'];
  let internet = false;
  for (const { access } of stages) {
    podcasts = wider(podcasts, access?.podcasts);
    episodes = wider(episodes, access?.episodes);
    feeds = wider(feeds, access?.feeds);
    internet = internet || access?.internet === true;
  }
  return {
    ...(podcasts ? { podcasts } : {}),
    ...(episodes ? { episodes } : {}),
    ...(feeds ? { feeds } : {}),
    ...(internet ? { internet } : {}),
  };
}
