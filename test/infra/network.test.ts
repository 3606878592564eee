import { Match } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ContainerRepository } from '../../infra/constructs/container-repository';
import { Network } from '../../infra/constructs/network';
import { PipelineCluster } from '../../infra/constructs/pipeline-cluster';
import { emptyStack, templateOf } from './stack-fixture';

describe('Network', () => {
  const stack = emptyStack();
  const network = new Network(stack, 'Network');
  const template = templateOf(stack);

  it('has two public subnets, no private subnet and no NAT gateway', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    expect(network.taskSubnets).toHaveLength(2);
    expect(network.vpc.privateSubnets).toHaveLength(0);
    expect(network.vpc.isolatedSubnets).toHaveLength(0);
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true });
  });

  it('routes S3 and DynamoDB through gateway endpoints', () => {
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    for (const service of ['s3', 'dynamodb']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(`\\.${service}$`)])] },
      });
    }
  });

  it('logs all traffic to its own log group with a retention', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('gives tasks a security group with no ingress and egress to web ports only', () => {
    const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup'));
    const taskGroup = groups.find((g) =>
      String(g.Properties.GroupDescription).startsWith('Pipeline Fargate tasks')
    );
    expect(taskGroup?.Properties.SecurityGroupIngress).toBeUndefined();
    expect(taskGroup?.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80 }),
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  it('rejects a single AZ and bad egress ports', () => {
    expect(() => new Network(emptyStack(), 'N', { maxAzs: 1 })).toThrow(/maxAzs must be at least 2/);
    expect(() => new Network(emptyStack(), 'N', { egressPorts: [] })).toThrow(
      /egressPorts must be a non-empty list/
    );
    expect(() => new Network(emptyStack(), 'N', { egressPorts: [70000] })).toThrow(/egressPorts/);
  });
});

describe('ContainerRepository and PipelineCluster', () => {
  const stack = emptyStack();
  new ContainerRepository(stack, 'Repo', { untaggedImagesToKeep: 5 });
  new PipelineCluster(stack, 'Cluster', { vpc: new Network(stack, 'Network').vpc });
  const template = templateOf(stack);

  it('scans images on push, keeps the last N untagged, lets only the moving tags move and is retained', () => {
    template.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        ImageScanningConfiguration: { ScanOnPush: true },
        // SHA tags (and every other tag) are immutable; build-and-push moves latest / latest-*.
        ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        ImageTagMutabilityExclusionFilters: [
          {
            ImageTagMutabilityExclusionFilterType: 'WILDCARD',
            ImageTagMutabilityExclusionFilterValue: 'latest',
          },
          {
            ImageTagMutabilityExclusionFilterType: 'WILDCARD',
            ImageTagMutabilityExclusionFilterValue: 'latest-*',
          },
        ],
        LifecyclePolicy: {
          LifecyclePolicyText: Match.serializedJson(
            Match.objectLike({
              rules: [
                Match.objectLike({
                  selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 },
                }),
              ],
            })
          ),
        },
      }),
    });
  });

  it('turns container insights on', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  it('validates its props', () => {
    expect(() => new ContainerRepository(emptyStack(), 'Repo', { untaggedImagesToKeep: 0 })).toThrow(
      /untaggedImagesToKeep must be a whole number >= 1/
    );
    const other = emptyStack();
    expect(
      () =>
        new PipelineCluster(other, 'C', {
          vpc: new Network(other, 'N').vpc,
          containerInsights: ecs.ContainerInsights.DISABLED,
        })
    ).toThrow(/container insights cannot be disabled/);
  });
});
