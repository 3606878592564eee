/**
 * PipelineTaskDefinitions: the Fargate task definitions of the pipeline, all on the same image.
 *
 * - `orchestrator`: the monolithic engine (container "orchestrator"), 2 vCPU / 4 GiB by default,
 *   with the union of every stage's data access and provider grants (it runs them all in-process).
 * - one per registry stage whose runtime is `ecs` (container "stage-task"), sized from the
 *   plan's `task`, with STAGE_ID=<id> and exactly that stage's data access.
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CONTAINER_NAMES } from '../../stepfunctions/state-names';
import { bindStageData, type PipelineData } from './data-bindings';
import { PipelineTaskDefinition } from './pipeline-task-definition';
import { type ProviderAccess, type ProviderStage, unionProviders } from './provider-access';
import { assertValidStageIds, pascalCase, unionAccess } from './stage-spec';

/** The variable naming the stage an ECS stage task runs (read by containers/stage-task). */
export const STAGE_ID_ENV = 'STAGE_ID';

export interface PipelineTaskDefinitionsProps {
  /** The plan's stages; those with runtime `ecs` get a stage task, all count for the orchestrator. */
  readonly stages: readonly ProviderStage[];
  readonly data: PipelineData;
  /**
   * Cloud provider grants: the orchestrator gets those of every stage's providers, a stage task
   * those of its own. @default - no provider grants
   */
  readonly providerAccess?: ProviderAccess;
  readonly repository: ecr.IRepository;
  readonly imageTag: string;
  /** @default { cpu: 2048, memoryMiB: 4096 } */
  readonly orchestratorSize?: { readonly cpu: number; readonly memoryMiB: number };
  /** @default - the image's CMD (the monolithic orchestrator) */
  readonly orchestratorCommand?: readonly string[];
  /** Arguments for the ECS stage-task entry point (STAGE_TASK_ENTRYPOINT). @default - none */
  readonly stageTaskCommand?: readonly string[];
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The image runs the orchestrator by default; ECS stage tasks start the stage-task bundle that the
 * Dockerfile builds next to it (scripts/lib/bundle-entry-points.ts IMAGE_ENTRYPOINTS; a test keeps
 * the two equal). ECS overrides can replace only the command, so the entry point is set here.
 */
export const STAGE_TASK_ENTRYPOINT = ['node', '--enable-source-maps', 'dist/stage-task.js'] as const;

export class PipelineTaskDefinitions extends Construct {
  readonly orchestrator: PipelineTaskDefinition;
  /** The ECS stage tasks by stage id. */
  readonly byStage: ReadonlyMap<string, PipelineTaskDefinition>;

  constructor(scope: Construct, id: string, props: PipelineTaskDefinitionsProps) {
    super(scope, id);
    assertValidStageIds(props.stages, 'PipelineTaskDefinitions');
    const common = {
      repository: props.repository,
      imageTag: props.imageTag,
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      ...(props.logRemovalPolicy ? { logRemovalPolicy: props.logRemovalPolicy } : {}),
    };

    const size = props.orchestratorSize ?? { cpu: 2048, memoryMiB: 4096 };
    this.orchestrator = new PipelineTaskDefinition(this, 'Orchestrator', {
      ...common,
      containerName: CONTAINER_NAMES.orchestrator,
      cpu: size.cpu,
      memoryMiB: size.memoryMiB,
      ...(props.orchestratorCommand ? { command: props.orchestratorCommand } : {}),
    });
    bindStageData(this.orchestrator, props.data, unionAccess(props.stages));
    props.providerAccess?.bind(this.orchestrator, unionProviders(props.stages));

    const byStage = new Map<string, PipelineTaskDefinition>();
    for (const stage of props.stages) {
      if (stage.runtime !== 'ecs') continue;
      if (!stage.task)
        throw new Error(`PipelineTaskDefinitions: ecs stage "${stage.id}" has no task size in the registry`);
      const task = new PipelineTaskDefinition(this, pascalCase(stage.id), {
        ...common,
        containerName: CONTAINER_NAMES.stageTask,
        cpu: stage.task.cpu,
        memoryMiB: stage.task.memoryMb,
        environment: { [STAGE_ID_ENV]: stage.id },
        entryPoint: STAGE_TASK_ENTRYPOINT,
        ...(props.stageTaskCommand ? { command: props.stageTaskCommand } : {}),
      });
      bindStageData(task, props.data, stage.access);
      props.providerAccess?.bind(task, stage.providers);
      byStage.set(stage.id, task);
    }
    this.byStage = byStage;
  }

  /** Every task definition: the orchestrator first, then the stage tasks in registry order. */
  all(): PipelineTaskDefinition[] {
    return [this.orchestrator, ...this.byStage.values()];
  }

  /** The task roles of the ECS stage tasks (they report back to the state machine with the task token). */
  stageTaskRoles(): iam.IRole[] {
    return [...this.byStage.values()].map((task) => task.taskDefinition.taskRole);
  }
}
