import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { CONTEXT_KEYS, readProviderSettings } from '../../infra/bin/app-settings';
import { acknowledgeNagFindings } from '../../infra/bin/nag-acknowledgments';
import { ProviderAccess, unionProviders } from '../../infra/constructs/provider-access';
import type { PodcastPlatformStack } from '../../infra/stacks/podcast-platform-stack';
import { STAGES } from '../../stages/pipeline-plan';
import { ENV } from '../../stages/shared/env';
import { realStack } from './real-stack';
import { logicalIdOf, templateOf, testApp } from './stack-fixture';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const PROVIDER_ACTION = /^(bedrock|polly|secretsmanager):/;

/** The role, environment and provider statements of a stage function, run-status or a task. */
function processOf(stack: PodcastPlatformStack, template: Template, id: string) {
  const json = template.toJSON() as {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, read field by field below
    Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  };
  const fn = id === 'run-status' ? stack.functions.runStatus : stack.functions.byStage.get(id);
  const task = id === 'orchestrator' ? stack.tasks.orchestrator : stack.tasks.byStage.get(id);
  let role: IConstruct;
  let env: Record<string, unknown>;
  if (fn) {
    role = fn.role;
    env = json.Resources[logicalIdOf(fn.function)]?.Properties.Environment.Variables;
  } else if (task) {
    role = task.taskDefinition.taskRole;
    const container = json.Resources[logicalIdOf(task.taskDefinition)]?.Properties.ContainerDefinitions[0];
    env = Object.fromEntries(
      (container.Environment as { Name: string; Value: unknown }[]).map((e) => [e.Name, e.Value])
    );
  } else throw new Error(`no process ${id}`);
  const roleId = logicalIdOf(role);
  const statements = Object.values(json.Resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }])
    )
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[])
    .filter((s) => [s.Action].flat().some((a) => PROVIDER_ACTION.test(a)));
  return { role, env, statements };
}

const modelArn = (modelId: string, region: unknown = { Ref: 'AWS::Region' }) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:', region, `::foundation-model/${modelId}`]],
});

describe('ProviderAccess on the registry', () => {
  const stack = realStack();
  const template = templateOf(stack);
  const secret = { Ref: logicalIdOf(stack.providerAccess.secret) };
  const bedrock = {
    Effect: 'Allow',
    Action: 'bedrock:InvokeModel',
    Resource: modelArn('amazon.nova-lite-v1:0'),
  };
  const polly = {
    Effect: 'Allow',
    Action: 'polly:SynthesizeSpeech',
    Resource: '*',
    Condition: { StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } },
  };
  const secretRead = { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secret };

  it('follows the registry: summarize, outline and script write; tts speaks', () => {
    const uses = (kind: string) =>
      STAGES.filter((s) => s.providers?.includes(kind as never)).map((s) => s.id);
    expect(uses('writer')).toEqual(['summarize', 'outline', 'script']);
    expect(uses('speech')).toEqual(['tts']);
    expect(unionProviders(STAGES)).toEqual(['artwork', 'fetcher', 'mixer', 'speech', 'writer']);
  });

  it('grants the writer stages InvokeModel on exactly the default model, the secret, and their variables', () => {
    for (const id of ['summarize', 'outline', 'script']) {
      const { statements, env } = processOf(stack, template, id);
      expect([id, statements]).toEqual([id, [bedrock, secretRead]]);
      expect(env).toMatchObject({
        [ENV.bedrockModelId]: 'amazon.nova-lite-v1:0',
        [ENV.providerSecretArn]: secret,
      });
    }
  });

  it('grants tts SynthesizeSpeech (region-limited) and the secret, but no model', () => {
    const { statements, env } = processOf(stack, template, 'tts');
    expect(statements).toEqual([polly, secretRead]);
    expect(env[ENV.providerSecretArn]).toEqual(secret);
    expect(env[ENV.bedrockModelId]).toBeUndefined();
  });

  it('grants the orchestrator task what every stage it runs needs', () => {
    const { statements, env } = processOf(stack, template, 'orchestrator');
    expect(statements).toEqual([bedrock, polly, secretRead]);
    expect(env).toMatchObject({
      [ENV.bedrockModelId]: 'amazon.nova-lite-v1:0',
      [ENV.providerSecretArn]: secret,
    });
  });

  it('gives every other process no provider grant and no provider variable', () => {
    const others = [
      ...STAGES.filter((s) => !s.providers?.some((p) => p === 'writer' || p === 'speech')).map((s) => s.id),
      'run-status',
    ];
    expect(others).toEqual([
      'prepare',
      'discover',
      'scrape',
      'review',
      'mix',
      'artwork',
      'notes',
      'publish',
      'feed',
      'run-status',
    ]);
    for (const id of others) {
      const { statements, env } = processOf(stack, template, id);
      expect([id, statements, env[ENV.bedrockModelId], env[ENV.providerSecretArn]]).toEqual([
        id,
        [],
        undefined,
        undefined,
      ]);
    }
  });

  it('creates one provider secret holding an empty JSON object', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResourceProperties('AWS::SecretsManager::Secret', { SecretString: '{}' });
  });

  it('acknowledges the Polly wildcard (and the secret without rotation) with reasons, exactly where it is granted', () => {
    acknowledgeNagFindings(stack);
    const acks = (construct: IConstruct) =>
      construct.node.metadata
        .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
        .map((m) => Object.entries(m.data as Record<string, string>))
        .flat();
    expect(stack.providerAccess.pollyPrincipals.map((p) => p.node.path)).toEqual([
      stack.functions.byStage.get('tts')?.role.node.path,
      stack.tasks.orchestrator.taskDefinition.taskRole.node.path,
    ]);
    for (const principal of stack.providerAccess.pollyPrincipals) {
      expect(
        acks(principal).some(
          ([id, reason]) =>
            id.endsWith('AwsSolutions-IAM5[Resource::*]') && reason.includes('polly:SynthesizeSpeech')
        )
      ).toBe(true);
    }
    expect(acks(stack.providerAccess.secret).some(([id]) => id.endsWith('AwsSolutions-SMG4'))).toBe(true);
  });
});

describe('ProviderAccess models', () => {
  it('takes the models from context: an inference profile gets its profile ARN and the model in its destination regions', () => {
    const app = testApp({
      context: {
        [CONTEXT_KEYS.bedrockModelId]: 'us.amazon.nova-pro-v1:0',
        [CONTEXT_KEYS.bedrockExtraModelIds]: ['amazon.nova-micro-v1:0'],
      },
    });
    const stack = realStack({}, app);
    const { statements, env } = processOf(stack, templateOf(stack), 'script');
    expect(statements[0]?.Resource).toEqual([
      {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':bedrock:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':inference-profile/us.amazon.nova-pro-v1:0',
          ],
        ],
      },
      {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:*::foundation-model/amazon.nova-pro-v1:0'],
        ],
      },
      modelArn('amazon.nova-micro-v1:0'),
    ]);
    expect(env[ENV.bedrockModelId]).toBe('us.amazon.nova-pro-v1:0');
  });

  it('rejects a model id that is not one, naming it', () => {
    expect(
      () =>
        new ProviderAccess(new Stack(testApp(), 'S'), 'P', {
          bedrockModelId: 'amazon.nova-lite-v1:0',
          extraBedrockModelIds: ['*'],
        })
    ).toThrow('ProviderAccess: "*" is not a Bedrock model id');
  });

  it('reads the provider settings from context, naming a bad key', () => {
    const read = (context: Record<string, unknown>) => (key: string) => context[key];
    expect(readProviderSettings(read({}))).toEqual({
      bedrockModelId: 'amazon.nova-lite-v1:0',
      extraBedrockModelIds: [],
    });
    expect(
      readProviderSettings(
        read({ [CONTEXT_KEYS.bedrockExtraModelIds]: 'amazon.nova-pro-v1:0, amazon.nova-micro-v1:0' })
      ).extraBedrockModelIds
    ).toEqual(['amazon.nova-pro-v1:0', 'amazon.nova-micro-v1:0']);
    expect(() => readProviderSettings(read({ [CONTEXT_KEYS.bedrockModelId]: 'bedrock/*' }))).toThrow(
      /context podcast-platform:bedrockModelId: "bedrock\/\*" is not a Bedrock model id/
    );
    expect(() => readProviderSettings(read({ [CONTEXT_KEYS.bedrockExtraModelIds]: [42] }))).toThrow(
      /podcast-platform:bedrockExtraModelIds/
    );
  });
});
