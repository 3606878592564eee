/**
 * ProviderAccess: what the cloud providers need from the stack, granted exactly to the processes
 * whose plan `providers` call them, each grant next to the variable that names its resource.
 *
 * - `writer` (Bedrock): `bedrock:InvokeModel` (which also authorizes the Converse API the writer
 *   uses; there is no separate Converse action) on the foundation-model ARN of each configured
 *   model id in the stack's region; a cross-region inference profile id (`us.<model>`) gets its
 *   profile ARN plus the model's ARN in the regions the profile routes to. Sets BEDROCK_MODEL_ID.
 * - `speech` (Polly): `polly:SynthesizeSpeech`. Polly has no resource-level permissions for it (the
 *   Amazon Polly developer guide's "API Permissions: Actions, Permissions, and Resources Reference"
 *   lists its Resource as `*`), so the statement names `*`, narrowed by an `aws:RequestedRegion`
 *   condition to the stack's region; this is the one documented wildcard (acknowledged for
 *   cdk-nag IAM5 on `pollyPrincipals`, allowed by name in test/infra/no-wildcards.test.ts).
 * - both: `secretsmanager:GetSecretValue` on the provider secret this construct creates (one JSON
 *   object of third-party provider keys; Bedrock and Polly need none) and PROVIDER_SECRET_ARN.
 */
import { ArnFormat, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, type IConstruct } from 'constructs';
import type { ProviderKind } from '../../stages/pipeline-plan';
import { ENV } from '../../stages/shared/env';
import type { DataConsumer } from './data-bindings';
import type { InfraStage } from './stage-spec';

/** A registry stage as infra sees it, with the providers it calls. */
export type ProviderStage = InfraStage & { readonly providers?: readonly ProviderKind[] };

export interface ProviderAccessProps {
  /** The model podcasts write with unless their config names another (BEDROCK_MODEL_ID). */
  readonly bedrockModelId: string;
  /** Further model ids podcasts may name in `providers.bedrockModelId`. @default [] */
  readonly extraBedrockModelIds?: readonly string[];
  /** What happens to the provider secret when the stack is deleted. @default RemovalPolicy.RETAIN (CloudFormation's default) */
  readonly removalPolicy?: RemovalPolicy;
}

/** The Polly action: the one action granted on Resource `*` (no resource-level permissions exist for it). */
export const POLLY_ACTIONS = ['polly:SynthesizeSpeech'] as const;
export const BEDROCK_ACTIONS = ['bedrock:InvokeModel'] as const;
export const SECRET_ACTIONS = ['secretsmanager:GetSecretValue'] as const;

const MODEL_ID = /^[a-z0-9][a-z0-9._:-]{2,199}$/;
const INFERENCE_PROFILE = /^(us|us-gov|eu|apac|jp|au|ca|global)\.(.+)$/;

/** The providers a process running all these stages calls (the monolithic orchestrator). */
export function unionProviders(stages: readonly ProviderStage[]): ProviderKind[] {
  return [...new Set(stages.flatMap((stage) => stage.providers ?? []))].sort();
}

export class ProviderAccess extends Construct {
  /** The provider secret: a JSON object of provider keys, empty until an operator adds some. */
  readonly secret: secretsmanager.Secret;
  readonly bedrockModelId: string;
  /** Every model id granted (the default first). */
  readonly modelIds: readonly string[];
  /** The roles granted polly:SynthesizeSpeech (its Resource `*` is acknowledged on each, see nag-acknowledgments). */
  readonly pollyPrincipals: IConstruct[] = [];

  constructor(scope: Construct, id: string, props: ProviderAccessProps) {
    super(scope, id);
    this.modelIds = [...new Set([props.bedrockModelId, ...(props.extraBedrockModelIds ?? [])])];
    for (const modelId of this.modelIds) {
      if (!MODEL_ID.test(modelId))
        throw new Error(
          `ProviderAccess: "${modelId}" is not a Bedrock model id (e.g. amazon.nova-lite-v1:0)`
        );
    }
    this.bedrockModelId = props.bedrockModelId;
    this.secret = new secretsmanager.Secret(this, 'ProviderSecret', {
      description:
        'podcast-platform: third-party provider keys, a JSON object {"<provider>": "<key>"} read once per process',
      secretObjectValue: {},
      ...(props.removalPolicy ? { removalPolicy: props.removalPolicy } : {}),
    });
  }

  /** The ARNs `bedrock:InvokeModel` is granted on. */
  modelArns(): string[] {
    const stack = Stack.of(this);
    const foundationModel = (modelId: string, region?: string) =>
      stack.formatArn({
        service: 'bedrock',
        account: '',
        resource: 'foundation-model',
        resourceName: modelId,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        ...(region ? { region } : {}),
      });
    return this.modelIds.flatMap((modelId) => {
      const profile = INFERENCE_PROFILE.exec(modelId);
      if (!profile?.[2]) return [foundationModel(modelId)];
      return [
        stack.formatArn({
          service: 'bedrock',
          resource: 'inference-profile',
          resourceName: modelId,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
        // The profile routes each call to the model in one of its regions.
        foundationModel(profile[2], '*'),
      ];
    });
  }

  /** Grants what `providers` call (nothing for stages that call no cloud provider) and sets their variables. */
  bind(consumer: DataConsumer, providers: readonly ProviderKind[] | undefined): void {
    const writes = providers?.includes('writer') ?? false;
    const speaks = providers?.includes('speech') ?? false;
    if (!writes && !speaks) return;
    const principal = consumer.grantPrincipal;
    if (writes) {
      principal.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: [...BEDROCK_ACTIONS], resources: this.modelArns() })
      );
      consumer.addEnvironment(ENV.bedrockModelId, this.bedrockModelId);
    }
    if (speaks) {
      principal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: [...POLLY_ACTIONS],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:RequestedRegion': Stack.of(this).region } },
        })
      );
      if (isConstruct(principal)) this.pollyPrincipals.push(principal);
    }
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...SECRET_ACTIONS], resources: [this.secret.secretArn] })
    );
    consumer.addEnvironment(ENV.providerSecretArn, this.secret.secretArn);
  }
}

function isConstruct(principal: iam.IPrincipal): principal is iam.IPrincipal & IConstruct {
  return Construct.isConstruct(principal);
}
