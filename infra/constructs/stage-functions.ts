/**
 * StageFunctions: one StageFunction per registry stage whose runtime is `lambda` (fan-out stages
 * too: the Map state invokes the same function once per shard), plus the run-status function the
 * state machine calls to end a run. Each gets least-privilege data access: its run record, events
 * and the media bucket, plus what the plan's `access` says. None of them is in the VPC: they
 * reach only public AWS endpoints and the podcast's sources. Stages whose plan `providers`
 * include the writer or speech also get exactly those providers' grants (ProviderAccess).
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bindRunLifecycle, bindStageData, type PipelineData } from './data-bindings';
import type { ProviderKind } from '../../stages/pipeline-plan';
import type { ProviderAccess, ProviderStage } from './provider-access';
import { StageFunction } from './stage-function';
import { assertValidStageIds, pascalCase } from './stage-spec';

export interface StageFunctionsProps {
  /** The plan's stages; only those with runtime `lambda` get a function. */
  readonly stages: readonly ProviderStage[];
  readonly data: PipelineData;
  /**
   * Cloud provider grants (Bedrock, Polly, the provider secret) for the stages whose `providers`
   * call them. @default - no provider grants
   */
  readonly providerAccess?: ProviderAccess;
  /** Repository root: handlers are at `<projectRoot>/stages/<id>/handler.ts`. */
  readonly projectRoot: string;
  readonly serviceName: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Memory and timeout of the run-status function (a couple of DynamoDB writes).
   * @default { memoryMb: 256, timeoutSeconds: 30 }
   */
  readonly runStatus?: { readonly memoryMb: number; readonly timeoutSeconds: number };
}

/** The stage id of the run-status function (stages/run-status/handler.ts). */
export const RUN_STATUS_ID = 'run-status';

export class StageFunctions extends Construct {
  /** The stage functions by stage id. */
  readonly byStage: ReadonlyMap<string, StageFunction>;
  readonly runStatus: StageFunction;

  constructor(scope: Construct, id: string, props: StageFunctionsProps) {
    super(scope, id);
    assertValidStageIds(props.stages, 'StageFunctions');
    if (props.stages.some((stage) => stage.id === RUN_STATUS_ID)) {
      throw new Error(`StageFunctions: "${RUN_STATUS_ID}" is reserved for the run-status function`);
    }
    const make = (
      stageId: string,
      memoryMb: number,
      timeoutSeconds: number,
      description: string,
      providers: readonly ProviderKind[]
    ) =>
      new StageFunction(this, pascalCase(stageId), {
        entry: `${props.projectRoot}/stages/${stageId}/handler.ts`,
        projectRoot: props.projectRoot,
        // Only the provider packages the stage calls go into its bundle (lambda-bundling.ts).
        providers,
        memoryMb,
        timeoutSeconds,
        serviceName: props.serviceName,
        description,
        ...(props.logRetention ? { logRetention: props.logRetention } : {}),
        ...(props.logRemovalPolicy ? { logRemovalPolicy: props.logRemovalPolicy } : {}),
      });

    const byStage = new Map<string, StageFunction>();
    for (const stage of props.stages) {
      if (stage.runtime !== 'lambda') continue;
      const fn = make(
        stage.id,
        stage.lambda.memoryMb,
        stage.timeoutSeconds,
        `podcast pipeline stage: ${stage.id}`,
        stage.providers ?? []
      );
      bindStageData(fn, props.data, stage.access);
      props.providerAccess?.bind(fn, stage.providers);
      byStage.set(stage.id, fn);
    }
    this.byStage = byStage;

    const runStatus = props.runStatus ?? { memoryMb: 256, timeoutSeconds: 30 };
    this.runStatus = make(
      RUN_STATUS_ID,
      runStatus.memoryMb,
      runStatus.timeoutSeconds,
      'podcast pipeline: records the end of a run',
      []
    );
    bindRunLifecycle(this.runStatus, props.data);
  }

  /** All functions, stage functions first in registry order, then run-status. */
  all(): StageFunction[] {
    return [...this.byStage.values(), this.runStatus];
  }
}
