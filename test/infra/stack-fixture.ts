/**
 * Shared setup for the infra tests: an App with cdk.json's context and bundling skipped (the one
 * full-synth test bundles one function), and a small stage list with a fixture definition for
 * construct-level tests. The real stack (registry stages) is in real-stack.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Template } from 'aws-cdk-lib/assertions';
import type { InfraStage } from '../../infra/constructs/stage-spec';
import {
  PodcastPlatformStack,
  type PodcastPlatformStackProps,
} from '../../infra/stacks/podcast-platform-stack';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURE_ASL = path.join(__dirname, 'fixtures', 'small-pipeline.asl.json');
export const REAL_ASL = path.join(PROJECT_ROOT, 'stepfunctions', 'podcast_pipeline.asl.json');

/** The context cdk.json gives the app, so tests synthesize what `cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/**
 * Bundling is skipped (a test names the stacks to bundle with `aws:cdk:bundling-stacks` in
 * `context`) and so is CDK's built-in CloudFormation validation, whose WASM engine costs seconds
 * per process; `cdk synth` runs both.
 */
export function testApp(options: { context?: Record<string, unknown>; outdir?: string } = {}): App {
  return new App({
    builtinCloudFormationValidation: false,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...(options.context ?? {}) },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
}

/** An empty stack for construct-level tests. */
export function emptyStack(): Stack {
  return new Stack(testApp(), 'Test');
}

/** A small registry-shaped list: a lambda stage with podcast access, an ecs stage with internet, a plain lambda stage. */
export const SMALL_STAGES: readonly InfraStage[] = [
  {
    id: 'prepare',
    runtime: 'lambda',
    timeoutSeconds: 30,
    lambda: { memoryMb: 256 },
    access: { podcasts: 'readWrite' },
  },
  {
    id: 'scrape',
    runtime: 'ecs',
    timeoutSeconds: 900,
    lambda: { memoryMb: 1024 },
    task: { cpu: 512, memoryMb: 1024 },
    access: { internet: true },
  },
  { id: 'tts', runtime: 'lambda', timeoutSeconds: 600, lambda: { memoryMb: 1024 } },
];

export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** Resources of one type as [logicalId, resource] pairs. */
export function resourcesOfType(
  template: Template,
  type: string
): [string, { Properties?: Record<string, unknown> }][] {
  return Object.entries(template.findResources(type)) as [string, { Properties?: Record<string, unknown> }][];
}

/** The stack's wiring on SMALL_STAGES and the fixture definition (no registry import). */
export function smallStack(
  overrides: Partial<PodcastPlatformStackProps> = {},
  app: App = testApp()
): PodcastPlatformStack {
  return new PodcastPlatformStack(app, 'Small', {
    stages: SMALL_STAGES,
    imageTag: 'v1.2.3',
    definitionPath: FIXTURE_ASL,
    ...overrides,
  });
}

/** The logical id of a construct's CloudFormation resource, as it appears in the template. */
export function logicalIdOf(construct: IConstruct): string {
  const cfn = construct.node.defaultChild;
  if (!(cfn instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).resolve(cfn.logicalId) as string;
}
