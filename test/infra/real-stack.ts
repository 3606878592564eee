/**
 * The real stack for the infra tests: the plan's stages, the committed ASL and the settings
 * cdk.json gives the app.
 */
import type { App } from 'aws-cdk-lib';
import { readAppSettings } from '../../infra/bin/app-settings';
import type { InfraStage } from '../../infra/constructs/stage-spec';
import {
  PodcastPlatformStack,
  type PodcastPlatformStackProps,
} from '../../infra/stacks/podcast-platform-stack';
import { STAGES } from '../../stages/pipeline-plan';
import { testApp } from './stack-fixture';

/** The checked-out commit the tests pretend to be on: the default image tag is its first 12 digits. */
export const TEST_HEAD_COMMIT = '0123456789abcdef0123456789abcdef01234567';
export const TEST_SHA_TAG = '0123456789ab';

/** The real stack: registry stages, the committed ASL, settings from cdk.json (on TEST_HEAD_COMMIT). */
export function realStack(
  overrides: Partial<PodcastPlatformStackProps> = {},
  app: App = testApp()
): PodcastPlatformStack {
  const settings = readAppSettings((key) => app.node.tryGetContext(key), {
    headCommit: () => TEST_HEAD_COMMIT,
  });
  return new PodcastPlatformStack(app, settings.stackName, {
    stages: STAGES,
    imageTag: settings.imageTag,
    logRetention: settings.logRetention,
    removalPolicy: settings.removalPolicy,
    ...overrides,
  });
}

/** The stage ids of the plan with the given runtime. */
export function registryStages(runtime: 'lambda' | 'ecs'): InfraStage[] {
  return STAGES.filter((stage) => stage.runtime === runtime);
}
