/**
 * The plan's stages with stub cores behind the real lifecycle (runStageUnit: attempts,
 * events, checkpoints), bound to the state machine's state names for local executions. The first
 * stage (prepare) and run-status stay the real handlers. ECS stages go through the real
 * stage-task code in-process (input rebuilt from the checkpoints the stubs wrote).
 */
import { z } from 'zod';
import { runStageTask } from '../../containers/stage-task/run-stage-task';
import type { RunnableStage } from '../../stages/shared/stage';
import { RUNNABLE_STAGES } from '../../stages/stage-modules';
import { FatalStageError, RetryableStageError } from '../../stages/shared/errors';
import type { StageDeps, StageInput, StageModule } from '../../stages/shared/stage';
import { runStageUnit } from '../../stages/shared/stage-runner';
import {
  containerEnvironment,
  parseResultLine,
  resultOrThrow,
} from '../../stepfunctions/local/stage-task-process';
import { asLambda, type LocalTaskHandler } from '../../stepfunctions/local/task-bindings';
import { stateNames } from '../../stepfunctions/state-names';

export type ScriptedFailure = 'retryable' | 'fatal';

export interface PipelineScript {
  /** Per unit (`outline`, `tts/2`): the failures of its first attempts, then it succeeds. */
  failures?: Record<string, ScriptedFailure[]>;
  /** Per unit: fails on every attempt. */
  alwaysFail?: Record<string, ScriptedFailure>;
  /** Per unit: its manifest asks for the run to end `skipped`, with this reason (run-skip.ts). */
  skipRun?: Record<string, string>;
}

export interface ScriptedPipeline {
  handlers: Record<string, LocalTaskHandler>;
  /** Units in the order their cores ran (one entry per attempt). */
  calls: string[];
  /** The (merged) input each unit's core last received. */
  inputs: Record<string, StageInput>;
}

const looseInput = z
  .object({
    runId: z.string(),
    podcastId: z.string(),
    stages: z
      .object({ prepare: z.object({ enabled: z.record(z.string(), z.boolean()) }).passthrough() })
      .passthrough(),
  })
  .passthrough();

function manifestFor(id: string, input: StageInput): unknown {
  const { runId } = input;
  const index = input.shard?.index ?? 0;
  const prepare = input.stages.prepare as { episode: { episodeId: string; guid: string } };
  switch (id) {
    case 'summarize':
      return {
        summaries: [
          { storyId: `story-${index}`, key: `runs/${runId}/summarize/story-${index}.json`, rank: index + 1 },
        ],
      };
    case 'tts':
      return {
        clips: [
          {
            turnIndex: index,
            speaker: 'ava',
            segmentId: 'intro',
            key: `runs/${runId}/tts/${index}.wav`,
            durationMs: 1000,
          },
        ],
        scriptKey: `runs/${runId}/script/script.json`,
      };
    case 'publish':
      return {
        ...prepare.episode,
        mediaKey: 'episode.mp3',
        mediaUrl: 'https://example.com/e.mp3',
        imageUrl: 'https://example.com/c.png',
        created: true,
      };
    default:
      return { key: `runs/${runId}/${id}/${id}.json`, saw: Object.keys(input.stages).sort() };
  }
}

function stubModule(
  def: RunnableStage,
  script: PipelineScript,
  log: Omit<ScriptedPipeline, 'handlers'>
): StageModule {
  const attempts: Record<string, number> = {};
  return {
    id: def.id,
    inputSchema: looseInput,
    outputSchema: z.unknown(),
    ...(def.module.merge ? { merge: def.module.merge } : {}),
    async run(input: StageInput) {
      const unit = input.shard ? `${def.id}/${input.shard.index}` : def.id;
      log.calls.push(unit);
      log.inputs[unit] = input;
      const attempt = (attempts[unit] = (attempts[unit] ?? 0) + 1);
      const failure = script.alwaysFail?.[unit] ?? script.failures?.[unit]?.[attempt - 1];
      if (failure === 'retryable') throw new RetryableStageError(`${unit} flaked (attempt ${attempt})`);
      if (failure === 'fatal') throw new FatalStageError(`${unit} is broken`);
      const reason = script.skipRun?.[unit];
      return reason === undefined
        ? manifestFor(def.id, input)
        : { ...(manifestFor(def.id, input) as object), skipRun: { reason } };
    },
  };
}

export function scriptedPipeline(deps: StageDeps, script: PipelineScript = {}): ScriptedPipeline {
  const log = { calls: [] as string[], inputs: {} as Record<string, StageInput> };
  const registry = RUNNABLE_STAGES.map((def) =>
    def.dependsOn.length === 0 ? def : { ...def, module: stubModule(def, script, log) }
  );
  const handlers: Record<string, LocalTaskHandler> = {};
  for (const def of registry) {
    if (def.dependsOn.length === 0) continue;
    if (def.runtime === 'ecs') {
      handlers[stateNames.stage(def.id)] = async (parameters) => {
        let line = '';
        await runStageTask({
          env: containerEnvironment(parameters),
          buildDeps: () => deps,
          createSfnClient: () => {
            throw new Error('no task token locally');
          },
          writeLine: (text) => {
            line = text;
          },
          registry,
          logger: deps.logger,
        });
        return resultOrThrow(parseResultLine(line), 'scripted stage task');
      };
    } else {
      const state = def.fanOut ? stateNames.shard(def.id) : stateNames.stage(def.id);
      handlers[state] = asLambda((event) => runStageUnit(def, event as StageInput, deps));
    }
  }
  return { handlers, ...log };
}
