/**
 * PodcastPlatformStack: wires the constructs together; the defaults live in the constructs and the
 * stage list comes from the plan (passed in by the composition root). Env-agnostic: no
 * account or region lookups, so `cdk synth` needs no credentials.
 */
import * as path from 'node:path';
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { SERVICE_NAME } from '../../stages/shared/logger';
import { readAlarmSettings, readProviderSettings } from '../bin/app-settings';
import {
  type GithubDeploySettings,
  type PublicDomainSettings,
  readGithubDeploySettings,
  readPublicDomainSettings,
} from '../bin/public-settings';
import { AlarmTopic } from '../constructs/alarm-topic';
import { addStackOutputs } from './stack-outputs';
import { ContainerRepository } from '../constructs/container-repository';
import { GithubDeployRole } from '../constructs/github-deploy-role';
import { Network } from '../constructs/network';
import { PipelineBuckets } from '../constructs/pipeline-buckets';
import { PipelineCluster } from '../constructs/pipeline-cluster';
import { PipelineObservability } from '../constructs/pipeline-observability';
import { PipelineStateMachine } from '../constructs/pipeline-state-machine';
import { PipelineTables } from '../constructs/pipeline-tables';
import { PipelineTaskDefinitions } from '../constructs/pipeline-task-definitions';
import { ProviderAccess, type ProviderStage } from '../constructs/provider-access';
import { PublicDistribution } from '../constructs/public-distribution';
import { RunWatchdog } from '../constructs/run-watchdog';
import { RUN_STATUS_ID, StageFunctions } from '../constructs/stage-functions';
import { TaskCallbackPolicy } from '../constructs/task-callback-policy';
import { ExecutionInputPolicy } from '../constructs/execution-input-policy';
import { pipelineStateMachineName } from '../../stepfunctions/state-machine-name';

export interface PodcastPlatformStackProps extends StackProps {
  /** The plan's stages (stages/registry.ts STAGES). */
  readonly stages: readonly ProviderStage[];
  /** The container image tag the tasks run (an immutable one: app-settings refuses moving tags). */
  readonly imageTag: string;
  /** @default - the repository root (two folders above this file) */
  readonly projectRoot?: string;
  /** @default <projectRoot>/stepfunctions/podcast_pipeline.asl.json */
  readonly definitionPath?: string;
  /** Retention of every log group (functions, tasks, state machine, flow logs). @default ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Tables, buckets and log groups: RETAIN for real stacks, DESTROY for dev stacks. @default RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Days run intermediates stay in the media bucket. @default 14 */
  readonly runArtifactsExpirationDays?: number;
  /** Days events stay in the events table. @default 30 */
  readonly eventTtlDays?: number;
  /** The command starting the ECS stage-task entry point in the image. @default - the image's CMD */
  readonly stageTaskCommand?: readonly string[];
  /**
   * Where every alarm notifies (executions failed or timed out, runs failed by the watchdog, the
   * watchdog failing). @default - a topic the stack creates (AlarmTopic, output AlarmTopicArn)
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * An email address subscribed to the alarm topic.
   * @default - context podcast-platform:alarmEmail; no subscription without it
   */
  readonly alarmEmail?: string;
  /**
   * The Bedrock model(s) to grant; the first is BEDROCK_MODEL_ID.
   * @default - context podcast-platform:bedrockModelId and podcast-platform:bedrockExtraModelIds
   */
  readonly bedrockModelIds?: readonly [string, ...string[]];
  /**
   * The public origin's custom host name and its ACM certificate (us-east-1).
   * @default - context podcast-platform:domainName and podcast-platform:certificateArn; with
   * neither, the distribution's own https://<id>.cloudfront.net
   */
  readonly publicDomain?: PublicDomainSettings;
  /**
   * The GitHub repository and branch whose workflow may push the image and deploy (GithubDeployRole).
   * @default - context podcast-platform:githubRepository (and githubBranch, githubOidcProviderArn);
   * no role without it
   */
  readonly githubDeploy?: GithubDeploySettings;
}

export class PodcastPlatformStack extends Stack {
  readonly tables: PipelineTables;
  readonly buckets: PipelineBuckets;
  readonly functions: StageFunctions;
  readonly tasks: PipelineTaskDefinitions;
  readonly pipeline: PipelineStateMachine;
  /** The orchestrator task's read of its execution's input (the input by reference). */
  readonly executionInputPolicy: ExecutionInputPolicy;
  readonly network: Network;
  readonly repository: ecr.Repository;
  readonly cluster: ecs.Cluster;
  readonly providerAccess: ProviderAccess;
  readonly publicOrigin: PublicDistribution;
  /** Where every alarm notifies. */
  readonly alarmTopic: sns.ITopic;
  /** The topic this stack created (undefined when `alarmTopic` was given). */
  readonly ownAlarmTopic?: AlarmTopic;
  readonly watchdog: RunWatchdog;
  /** The role GitHub Actions deploys with (undefined without a GitHub repository). */
  readonly githubDeploy?: GithubDeployRole;

  constructor(scope: Construct, id: string, props: PodcastPlatformStackProps) {
    super(scope, id, props);
    const projectRoot = props.projectRoot ?? path.resolve(__dirname, '..', '..');
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const logDefaults = { logRetention, logRemovalPolicy: removalPolicy };

    this.tables = new PipelineTables(this, 'Tables', {
      removalPolicy,
      ...(props.eventTtlDays !== undefined ? { eventTtlDays: props.eventTtlDays } : {}),
    });
    this.buckets = new PipelineBuckets(this, 'Buckets', {
      removalPolicy,
      ...(props.runArtifactsExpirationDays !== undefined
        ? { runArtifactsExpirationDays: props.runArtifactsExpirationDays }
        : {}),
    });
    const data = { tables: this.tables, buckets: this.buckets };
    // The public origin (CloudFront). Feeds are cached 60 s at the edge, so the feed stage's
    // writes need no invalidation: listeners see a new episode within a minute.
    const publicDomain = props.publicDomain ?? publicDomainOf(this);
    this.publicOrigin = new PublicDistribution(this, 'PublicOrigin', {
      mediaBucket: this.buckets.media,
      rssBucket: this.buckets.rss,
      accessLogsBucket: this.buckets.accessLogs,
      removalPolicy,
      ...(publicDomain ? { customDomain: publicDomain } : {}),
    });

    const network = new Network(this, 'Network', {
      flowLogRetention: logRetention,
      logRemovalPolicy: removalPolicy,
    });
    const repository = new ContainerRepository(this, 'ContainerRepository').repository;
    const cluster = new PipelineCluster(this, 'Cluster', { vpc: network.vpc }).cluster;
    this.network = network;
    this.repository = repository;
    this.cluster = cluster;

    const [bedrockModelId, ...extraBedrockModelIds] = props.bedrockModelIds ?? providerModelIds(this);
    this.providerAccess = new ProviderAccess(this, 'ProviderAccess', {
      bedrockModelId,
      extraBedrockModelIds,
      removalPolicy,
    });
    const providerAccess = this.providerAccess;

    this.functions = new StageFunctions(this, 'StageFunctions', {
      stages: props.stages,
      data,
      providerAccess,
      projectRoot,
      serviceName: SERVICE_NAME,
      ...logDefaults,
    });
    this.tasks = new PipelineTaskDefinitions(this, 'Tasks', {
      stages: props.stages,
      data,
      providerAccess,
      repository,
      imageTag: props.imageTag,
      ...logDefaults,
      ...(props.stageTaskCommand ? { stageTaskCommand: props.stageTaskCommand } : {}),
    });

    // Every process that builds deps gets PUBLIC_ORIGIN_URL: prepare defaults a podcast's
    // publicBaseUrl to <origin>/podcasts/<id>, and any stage may be the first to resolve it.
    for (const consumer of [...this.functions.all(), ...this.tasks.all()]) this.publicOrigin.bind(consumer);

    const stageFunctions = new Map<string, lambda.IFunction>();
    for (const [stageId, fn] of this.functions.byStage) stageFunctions.set(stageId, fn.function);
    const functionsById = new Map(stageFunctions).set(RUN_STATUS_ID, this.functions.runStatus.function);
    const tasksById = new Map<string, ecs.TaskDefinition>([
      ['orchestrator', this.tasks.orchestrator.taskDefinition],
    ]);
    for (const [stageId, task] of this.tasks.byStage) tasksById.set(stageId, task.taskDefinition);

    this.pipeline = new PipelineStateMachine(this, 'Pipeline', {
      definitionPath:
        props.definitionPath ?? path.join(projectRoot, 'stepfunctions', 'podcast_pipeline.asl.json'),
      functions: functionsById,
      taskDefinitions: tasksById,
      cluster,
      subnets: network.taskSubnets,
      securityGroup: network.taskSecurityGroup,
      assignPublicIp: true,
      ...logDefaults,
    });
    if (this.tasks.byStage.size > 0) {
      new TaskCallbackPolicy(this, 'TaskCallbackPolicy', {
        stateMachine: this.pipeline.stateMachine,
        roles: this.tasks.stageTaskRoles(),
      });
    }
    // run-status answers the approval gate's task token itself for a run already approved.
    const runStatusRole = this.functions.runStatus.function.role;
    if (runStatusRole)
      new TaskCallbackPolicy(this, 'ApprovalCallbackPolicy', {
        stateMachine: this.pipeline.stateMachine,
        roles: [runStatusRole],
      });

    this.executionInputPolicy = new ExecutionInputPolicy(this, 'ExecutionInputPolicy', {
      stateMachineName: pipelineStateMachineName(this.stackName),
      role: this.tasks.orchestrator.taskDefinition.taskRole,
    });

    const alarmEmail = props.alarmEmail ?? alarmEmailOf(this);
    if (props.alarmTopic) {
      this.alarmTopic = props.alarmTopic;
      // In this stack, wherever the given topic was defined or imported.
      if (alarmEmail)
        new sns.Subscription(this, 'AlarmEmailSubscription', {
          topic: this.alarmTopic,
          protocol: sns.SubscriptionProtocol.EMAIL,
          endpoint: alarmEmail,
        });
    } else {
      this.ownAlarmTopic = new AlarmTopic(this, 'AlarmTopic', alarmEmail ? { email: alarmEmail } : {});
      this.alarmTopic = this.ownAlarmTopic.topic;
    }
    this.watchdog = new RunWatchdog(this, 'RunWatchdog', {
      tables: this.tables,
      projectRoot,
      serviceName: SERVICE_NAME,
      alarmTopic: this.alarmTopic,
      ...logDefaults,
    });
    new PipelineObservability(this, 'Observability', {
      stateMachine: this.pipeline.stateMachine,
      functions: stageFunctions,
      alarmTopic: this.alarmTopic,
      alarms: [this.watchdog.stalledRunsAlarm, this.watchdog.errorsAlarm],
    });

    const github = props.githubDeploy ?? githubDeployOf(this);
    if (github) {
      this.githubDeploy = new GithubDeployRole(this, 'GithubDeploy', {
        repository: github.repository,
        branch: github.branch,
        containerRepository: repository,
        ...(github.oidcProviderArn ? { oidcProviderArn: github.oidcProviderArn } : {}),
      });
    }

    addStackOutputs(this, { repository, cluster });
  }
}

/** The public origin's custom domain from the app's context (cdk.json, `-c`), if any. */
function publicDomainOf(scope: Construct): PublicDomainSettings | undefined {
  return readPublicDomainSettings((key) => scope.node.tryGetContext(key));
}

/** The alarm topic's email subscription from the app's context (cdk.json, `-c`), if any. */
function alarmEmailOf(scope: Construct): string | undefined {
  return readAlarmSettings((key) => scope.node.tryGetContext(key)).alarmEmail;
}

/** The GitHub deploy role's repository and branch from the app's context (cdk.json, `-c`), if any. */
function githubDeployOf(scope: Construct): GithubDeploySettings | undefined {
  return readGithubDeploySettings((key) => scope.node.tryGetContext(key));
}

/** The Bedrock models from the app's context (cdk.json, `-c`), the default first. */
function providerModelIds(scope: Construct): [string, ...string[]] {
  const settings = readProviderSettings((key) => scope.node.tryGetContext(key));
  return [settings.bedrockModelId, ...settings.extraBedrockModelIds];
}
