/**
 * No IAM policy in the stack grants a wildcard resource on the data and provider services
 * (secretsmanager, bedrock, polly, dynamodb, s3). Precisely, for every Allow statement in an
 * identity policy (AWS::IAM::Policy, AWS::IAM::ManagedPolicy, a role's inline policies) with an
 * action of those services (or `*`), each resource is rejected when:
 *
 * 1. it is `*`, or its ARN's service is `*`: every resource of the service (or of every service);
 * 2. it is an ARN whose resource part has the wildcard in the name position: every bucket
 *    (`arn:aws:s3:::*`, `arn:aws:s3:::*` + `/*`), every table, secret, model or lexicon of the
 *    account (`table/*`, `secret:*`, `secret:prod*`, `foundation-model/*`, `lexicon/*`).
 *
 * A wildcard below a named parent is object-scoped and accepted: the objects of one bucket
 * (`<bucket>/*`), the indexes of one table (`table/<name>/index/*`); so is a `*` region in a model
 * ARN that names its model (a cross-region inference profile's destinations). The one exception is
 * documented AWS behaviour: `polly:SynthesizeSpeech` has no resource-level permissions, so a
 * statement holding exactly that action may name `*` (provider-access.ts, nag-acknowledgments.ts).
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { realStack } from './real-stack';
import { templateOf, testApp } from './stack-fixture';

const SERVICES = new Set(['secretsmanager', 'bedrock', 'polly', 'dynamodb', 's3']);
/** The statement that may use Resource `*`: exactly this action, nothing else. */
const DOCUMENTED_EXCEPTION = ['polly:SynthesizeSpeech'];

interface Statement {
  Effect: string;
  Action?: string | string[];
  Resource?: unknown;
}

/** A CloudFormation value as text: references to stack resources become `<LogicalId>`, pseudo parameters `{AWS.Region}`. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  const fn = value as Record<string, unknown>;
  if (typeof fn.Ref === 'string')
    return fn.Ref.startsWith('AWS::') ? `{${fn.Ref.replace('::', '.')}}` : `<${fn.Ref}>`;
  if (Array.isArray(fn['Fn::GetAtt'])) return `<${(fn['Fn::GetAtt'] as string[]).join('.')}>`;
  if (Array.isArray(fn['Fn::Join'])) {
    const [separator, parts] = fn['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  return JSON.stringify(value);
}

const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Why a resource is a service-wide wildcard, or undefined when it is scoped. */
function wildcardReason(resource: string): string | undefined {
  if (resource === '*') return 'Resource "*"';
  if (resource.startsWith('<')) return undefined; // a named resource of this stack, or something below it
  if (!resource.startsWith('arn:')) return `not an ARN: ${resource}`;
  const parts = resource.split(':');
  const service = parts[2] ?? '';
  const resourcePart = parts.slice(5).join(':');
  if (service === '*' || service === '') return `every service: ${resource}`;
  if (service === 's3') {
    const bucket = resourcePart.split('/')[0] ?? '';
    return bucket.includes('*') ? `every bucket: ${resource}` : undefined;
  }
  const [type = '', name = ''] = resourcePart.split(/[/:]/);
  if (type.includes('*') || name === '' || name.includes('*'))
    return `every ${type || 'resource'} of the service: ${resource}`;
  return undefined;
}

function wildcardGrants(stack: Stack): string[] {
  const template = templateOf(stack).toJSON() as {
    Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  };
  const found: string[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const documents: unknown[] = [];
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy')
      documents.push(resource.Properties?.PolicyDocument);
    if (resource.Type === 'AWS::IAM::Role')
      for (const inline of asList(resource.Properties?.Policies as { PolicyDocument: unknown }[]))
        documents.push(inline.PolicyDocument);
    for (const document of documents) {
      for (const statement of asList((document as { Statement?: Statement[] }).Statement)) {
        if (statement.Effect !== 'Allow') continue;
        const actions = asList(statement.Action);
        const relevant = actions.filter(
          (action) => action === '*' || SERVICES.has(action.split(':')[0] ?? '')
        );
        if (relevant.length === 0) continue;
        const exception =
          actions.length === DOCUMENTED_EXCEPTION.length &&
          actions.every((a) => DOCUMENTED_EXCEPTION.includes(a));
        for (const value of asList(statement.Resource)) {
          const text = render(value);
          if (exception && text === '*') continue;
          const reason = wildcardReason(text);
          if (reason) found.push(`${logicalId}: ${relevant.join(',')} on ${reason}`);
        }
      }
    }
  }
  return found.sort();
}

describe('no wildcard grants on secretsmanager, bedrock, polly, dynamodb, s3', () => {
  it('holds for the stack built from the registry', () => {
    expect(wildcardGrants(realStack())).toEqual([]);
  });

  it('holds for a dev stack and for a stack granting a cross-region inference profile and extra models', () => {
    expect(wildcardGrants(realStack({ removalPolicy: RemovalPolicy.DESTROY }))).toEqual([]);
    expect(
      wildcardGrants(realStack({ bedrockModelIds: ['us.amazon.nova-pro-v1:0', 'amazon.nova-micro-v1:0'] }))
    ).toEqual([]);
  });

  it('reports every kind of service-wide wildcard on a deliberately bad stack, and accepts scoped ones', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Bad');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const grant = (id: string, actions: string[], resources: string[]) => {
      const policy = new iam.Policy(stack, id, {
        statements: [new iam.PolicyStatement({ actions, resources })],
      });
      policy.attachToRole(role);
    };
    grant('AnyObject', ['s3:GetObject'], ['*']);
    grant('EveryBucket', ['s3:GetObject'], ['arn:aws:s3:::*/*']);
    grant('EveryTable', ['dynamodb:Query'], ['arn:aws:dynamodb:us-east-1:123456789012:table/*']);
    grant(
      'EverySecret',
      ['secretsmanager:GetSecretValue'],
      ['arn:aws:secretsmanager:us-east-1:123456789012:secret:prod*']
    );
    grant('EveryModel', ['bedrock:InvokeModel'], ['arn:aws:bedrock:us-east-1::foundation-model/*']);
    grant('PollyPlus', ['polly:SynthesizeSpeech', 'polly:DeleteLexicon'], ['*']);
    grant('EveryLexicon', ['polly:SynthesizeSpeech'], ['arn:aws:polly:us-east-1:123456789012:lexicon/*']);
    grant('Everything', ['*'], ['*']);
    // Scoped, accepted:
    grant('Objects', ['s3:GetObject'], ['arn:aws:s3:::media-bucket/*']);
    grant('Indexes', ['dynamodb:Query'], ['arn:aws:dynamodb:us-east-1:123456789012:table/Runs/index/*']);
    grant('Speech', ['polly:SynthesizeSpeech'], ['*']);
    grant('XRay', ['xray:PutTraceSegments'], ['*']);
    grant('Model', ['bedrock:InvokeModel'], ['arn:aws:bedrock:*::foundation-model/amazon.nova-lite-v1:0']);

    // Act
    const found = wildcardGrants(stack);

    // Assess
    const ids = found.map((line) => line.split(':')[0]?.replace(/[0-9A-F]{8}$/, ''));
    expect(ids).toEqual([
      'AnyObject',
      'EveryBucket',
      'EveryLexicon',
      'EveryModel',
      'EverySecret',
      'EveryTable',
      'Everything',
      'PollyPlus',
    ]);
    expect(found.find((line) => line.startsWith('EveryTable'))).toContain('every table of the service');
    expect(found.find((line) => line.startsWith('PollyPlus'))).toContain(
      'polly:SynthesizeSpeech,polly:DeleteLexicon on Resource "*"'
    );
  });

  it('catches a wildcard added to the real stack', () => {
    const stack = realStack();
    stack.functions.byStage
      .get('feed')
      ?.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: ['*'] })
      );
    expect(wildcardGrants(stack)).toEqual([
      expect.stringMatching(/^StageFunctionsFeedRoleDefaultPolicy\w+: dynamodb:GetItem on Resource "\*"$/),
    ]);
  });
});
