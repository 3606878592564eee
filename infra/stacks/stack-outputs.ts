/**
 * The stack's outputs: what the scripts (start-run, runs, build-and-push), the CI workflow and an
 * operator read from a deployed stack. The ids are stable (they are the outputs' names).
 */
import { CfnOutput } from 'aws-cdk-lib';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { PodcastPlatformStack } from './podcast-platform-stack';

export function addStackOutputs(
  stack: PodcastPlatformStack,
  resources: { repository: ecr.IRepository; cluster: ecs.ICluster }
): void {
  const { repository, cluster } = resources;
  const output = (outputId: string, value: string, description: string) =>
    new CfnOutput(stack, outputId, { value, description });
  output(
    'StateMachineArn',
    stack.pipeline.stateMachine.stateMachineArn,
    'The distributed pipeline (start runs with scripts/start-run)'
  );
  output('PodcastsTableName', stack.tables.podcasts.tableName, 'Podcast configs');
  output('RunsTableName', stack.tables.runs.tableName, 'Run records');
  output('EventsTableName', stack.tables.events.tableName, 'Run events');
  output('EpisodesTableName', stack.tables.episodes.tableName, 'Published episodes');
  output('MediaBucketName', stack.buckets.media.bucketName, 'Run artifacts and published media');
  output('RssBucketName', stack.buckets.rss.bucketName, 'RSS feeds');
  output('RepositoryUri', repository.repositoryUri, 'Push the pipeline image here');
  output(
    'ContainerRepositoryName',
    repository.repositoryName,
    'The ECR repository scripts/build-and-push pushes to'
  );
  output('ClusterName', cluster.clusterName, 'ECS cluster of the orchestrator and ECS stage tasks');
  output(
    'AlarmTopicArn',
    stack.alarmTopic.topicArn,
    'Every alarm notifies this SNS topic (subscribe, or deploy with -c podcast-platform:alarmEmail=<address>)'
  );
  output(
    'PublicOriginUrl',
    stack.publicOrigin.originUrl,
    'Feeds and media: <origin>/podcasts/<id>/feed.xml (publicBaseUrl defaults to <origin>/podcasts/<id>)'
  );
  output(
    'PublicDistributionId',
    stack.publicOrigin.distribution.distributionId,
    'The CloudFront distribution (for invalidations; feeds need none, they are cached 60 s)'
  );
  output(
    'PublicDistributionDomainName',
    stack.publicOrigin.distribution.distributionDomainName,
    "Point the custom domain's CNAME (or Route 53 alias) here"
  );
  if (stack.githubDeploy)
    output(
      'GithubDeployRoleArn',
      stack.githubDeploy.role.roleArn,
      `Set as the GitHub repository variable AWS_DEPLOY_ROLE_ARN (${stack.githubDeploy.subject} may assume it)`
    );
}
