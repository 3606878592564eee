/**
 * PipelineTaskDefinition: one Fargate task definition running the pipeline image, with the
 * defaults every pipeline task shares: Linux on ARM64, the image from the ECR repository at the
 * deployed tag (an immutable one: a moving tag such as `latest` is refused), a read-only root filesystem with a writable /tmp volume, the non-root `node` user,
 * awslogs to its own log group with a retention, and a 60 s stop timeout (the orchestrator
 * records the run on SIGTERM and leaves within 20 s).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { isMovingTag } from '../../scripts/lib/image-tags';
import { containerConsumer, type DataConsumer } from './data-bindings';

export interface PipelineTaskDefinitionProps {
  readonly repository: ecr.IRepository;
  /** The image tag to run (from the app's context): immutable, e.g. the commit's SHA tag. */
  readonly imageTag: string;
  /** The container's name; the state machine's ContainerOverrides refer to it. */
  readonly containerName: string;
  /** Fargate CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. */
  readonly cpu: number;
  /** Memory in MiB, within Fargate's range for `cpu`. */
  readonly memoryMiB: number;
  /** @default - the image's ENTRYPOINT */
  readonly entryPoint?: readonly string[];
  /** @default - the image's CMD */
  readonly command?: readonly string[];
  /** Non-secret settings (resource names are added by the data bindings). */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** @default Duration.seconds(60) */
  readonly stopTimeout?: Duration;
}

/** Fargate's valid memory sizes (MiB) per CPU value. */
const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: steps(1024, 4096, 1024),
  1024: steps(2048, 8192, 1024),
  2048: steps(4096, 16384, 1024),
  4096: steps(8192, 30720, 1024),
  8192: steps(16384, 61440, 4096),
  16384: steps(32768, 122880, 8192),
};

function steps(min: number, max: number, step: number): number[] {
  const sizes: number[] = [];
  for (let size = min; size <= max; size += step) sizes.push(size);
  return sizes;
}

export const TMP_VOLUME = 'tmp';

export class PipelineTaskDefinition extends Construct implements DataConsumer {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly logGroup: logs.LogGroup;
  private readonly consumer: DataConsumer;

  constructor(scope: Construct, id: string, props: PipelineTaskDefinitionProps) {
    super(scope, id);
    assertFargateSize(props.cpu, props.memoryMiB, id);
    if (props.imageTag.trim().length === 0)
      throw new Error(`PipelineTaskDefinition ${id}: imageTag must not be empty`);
    if (isMovingTag(props.imageTag))
      throw new Error(
        `PipelineTaskDefinition ${id}: imageTag "${props.imageTag}" is a moving tag; run an immutable one (the commit's SHA tag)`
      );

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
      volumes: [{ name: TMP_VOLUME }],
    });
    this.container = this.taskDefinition.addContainer('Container', {
      containerName: props.containerName,
      image: ecs.ContainerImage.fromEcrRepository(props.repository, props.imageTag),
      ...(props.entryPoint ? { entryPoint: [...props.entryPoint] } : {}),
      ...(props.command ? { command: [...props.command] } : {}),
      environment: { ...(props.environment ?? {}) },
      readonlyRootFilesystem: true,
      user: 'node',
      essential: true,
      stopTimeout: props.stopTimeout ?? Duration.seconds(60),
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: props.containerName }),
    });
    this.container.addMountPoints({ sourceVolume: TMP_VOLUME, containerPath: '/tmp', readOnly: false });
    this.consumer = containerConsumer(this.container);
  }

  get grantPrincipal() {
    return this.consumer.grantPrincipal;
  }

  addEnvironment(key: string, value: string): void {
    this.consumer.addEnvironment(key, value);
  }
}

function assertFargateSize(cpu: number, memoryMiB: number, id: string): void {
  const sizes = FARGATE_MEMORY[cpu];
  if (!sizes) {
    throw new Error(
      `PipelineTaskDefinition ${id}: cpu ${cpu} is not a Fargate size (${Object.keys(FARGATE_MEMORY).join(', ')})`
    );
  }
  if (!sizes.includes(memoryMiB)) {
    throw new Error(
      `PipelineTaskDefinition ${id}: memoryMiB ${memoryMiB} is not valid for cpu ${cpu} (${sizes[0]}-${sizes[sizes.length - 1]} MiB, see Fargate task sizes)`
    );
  }
}
