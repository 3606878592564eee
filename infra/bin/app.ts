#!/usr/bin/env node
/**
 * The CDK app's composition root: settings from context, the one stack built from the plan,
 * the cdk-nag AwsSolutions checks and the findings this app accepts (each with its reason).
 *
 * cdk-nag 3 is a CDK policy-validation plugin (`Validations.of(app).addPlugins`), the successor of
 * v2's `Aspects.of(app).add(new AwsSolutionsChecks())`; any unacknowledged finding fails the synth.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { STAGES } from '../../stages/pipeline-plan';
import { PodcastPlatformStack } from '../stacks/podcast-platform-stack';
import { readAppSettings } from './app-settings';
import { acknowledgeNagFindings } from './nag-acknowledgments';

const app = new App();
const settings = readAppSettings((key) => app.node.tryGetContext(key));

const stack = new PodcastPlatformStack(app, settings.stackName, {
  description:
    'podcast-platform: turns a podcast config into a published episode (Step Functions + Lambda + Fargate)',
  stages: STAGES,
  imageTag: settings.imageTag,
  logRetention: settings.logRetention,
  removalPolicy: settings.removalPolicy,
  ...(settings.runArtifactsExpirationDays !== undefined
    ? { runArtifactsExpirationDays: settings.runArtifactsExpirationDays }
    : {}),
  ...(settings.eventTtlDays !== undefined ? { eventTtlDays: settings.eventTtlDays } : {}),
  ...(settings.stageTaskCommand ? { stageTaskCommand: settings.stageTaskCommand } : {}),
});
Tags.of(stack).add('project', 'podcast-platform');

acknowledgeNagFindings(stack);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
