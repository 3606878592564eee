/**
 * PipelineCluster: the ECS cluster the Fargate tasks (monolithic orchestrator, ECS stages) run in,
 * with Container Insights on.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';

export interface PipelineClusterProps {
  readonly vpc: ec2.IVpc;
  /**
   * ENHANCED adds per-task and per-container metrics at a higher CloudWatch cost.
   * @default ecs.ContainerInsights.ENABLED
   */
  readonly containerInsights?: ecs.ContainerInsights;
}

export class PipelineCluster extends Construct {
  readonly cluster: ecs.Cluster;

  constructor(scope: Construct, id: string, props: PipelineClusterProps) {
    super(scope, id);
    const insights = props.containerInsights ?? ecs.ContainerInsights.ENABLED;
    if (insights === ecs.ContainerInsights.DISABLED) {
      throw new Error(
        "PipelineCluster: container insights cannot be disabled (they are the tasks' only resource metrics)"
      );
    }
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: props.vpc, containerInsightsV2: insights });
  }
}
