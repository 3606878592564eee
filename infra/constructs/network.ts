/**
 * Network: the VPC the Fargate tasks run in. Two AZs, public subnets only and no NAT gateway
 * (tasks get a public IP so they can pull images and reach the podcast's sources without paying
 * for NAT), gateway endpoints so S3 and DynamoDB traffic stays on the AWS network, flow logs to
 * their own log group, and a task security group with no ingress and egress limited to web ports.
 * The Lambdas are not attached to this VPC.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface NetworkProps {
  /**
   * Availability zones (one public subnet each); the state machine's task network takes two.
   * @default 2
   */
  readonly maxAzs?: number;
  /**
   * TCP ports the tasks may reach on the internet (images, AWS APIs, sources over HTTP(S)).
   * @default [80, 443]
   */
  readonly egressPorts?: readonly number[];
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly flowLogRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  readonly taskSecurityGroup: ec2.SecurityGroup;
  readonly flowLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(scope, id);
    const maxAzs = props.maxAzs ?? 2;
    const egressPorts = props.egressPorts ?? [80, 443];
    if (!Number.isInteger(maxAzs) || maxAzs < 2) {
      throw new Error(
        `Network: maxAzs must be at least 2 (the task network uses two subnets), got ${maxAzs}`
      );
    }
    if (
      egressPorts.length === 0 ||
      egressPorts.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)
    ) {
      throw new Error(
        `Network: egressPorts must be a non-empty list of TCP ports (got [${egressPorts.join(', ')}])`
      );
    }

    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
      flowLogs: {
        All: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
      restrictDefaultSecurityGroup: true,
    });

    this.taskSecurityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: this.vpc,
      description: 'Pipeline Fargate tasks: no ingress, egress to web ports only',
      allowAllOutbound: false,
    });
    for (const port of egressPorts) {
      this.taskSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(port), `outbound TCP ${port}`);
    }
  }

  /** The public subnets tasks run in (one per AZ). */
  get taskSubnets(): ec2.ISubnet[] {
    return this.vpc.publicSubnets;
  }
}
