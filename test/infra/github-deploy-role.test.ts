/**
 * The GitHub deploy role (infra/constructs/github-deploy-role.ts): created only when the context
 * names a repository; trusted only by that repository's branch through GitHub's OIDC provider; and
 * allowed only to push this stack's image, read this stack and assume two CDK bootstrap roles.
 */
import { DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { CONTEXT_KEYS } from '../../infra/bin/app-settings';
import { ECR_PUSH_ACTIONS, GithubDeployRole } from '../../infra/constructs/github-deploy-role';
import { realStack } from './real-stack';
import { emptyStack, logicalIdOf, smallStack, templateOf, testApp } from './stack-fixture';

const REPO = 'octo-org/octo-repo';
const PROVIDER_ARN = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: Record<string, unknown>;
  Condition?: Record<string, unknown>;
}

function withContext(context: Record<string, unknown>) {
  const stack = smallStack({}, testApp({ context }));
  return { stack, template: templateOf(stack) };
}

function roleOf(template: Template): { id: string; properties: Record<string, unknown> } {
  const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([, role]) =>
    JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('AssumeRoleWithWebIdentity')
  );
  expect(roles).toHaveLength(1);
  const [id, role] = roles[0]!;
  return { id, properties: role.Properties as Record<string, unknown> };
}

function policyStatements(template: Template, roleId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** The CDK bootstrap role ARN the stack builds (env-agnostic: partition, account and region are references). */
const bootstrapRoleArn = (qualifier: string, kind: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':iam::',
      { Ref: 'AWS::AccountId' },
      `:role/cdk-${qualifier}-${kind}-role-`,
      { Ref: 'AWS::AccountId' },
      '-',
      { Ref: 'AWS::Region' },
    ],
  ],
});

describe('the GitHub deploy role', () => {
  it('is not there without a repository in the context (cdk.json has none)', () => {
    const stack = realStack();
    const template = templateOf(stack);
    expect(stack.githubDeploy).toBeUndefined();
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(Object.keys(template.findOutputs('GithubDeployRoleArn'))).toEqual([]);
    expect(JSON.stringify(template.toJSON())).not.toContain('token.actions.githubusercontent.com');
  });

  describe('with -c podcast-platform:githubRepository', () => {
    const { stack, template } = withContext({ [CONTEXT_KEYS.githubRepository]: REPO });
    const role = roleOf(template);
    const providerId = logicalIdOf(stack.githubDeploy!.oidcProvider!);

    it("creates GitHub's OIDC provider for the STS audience", () => {
      template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
      template.hasResourceProperties('AWS::IAM::OIDCProvider', {
        Url: 'https://token.actions.githubusercontent.com',
        ClientIdList: ['sts.amazonaws.com'],
      });
    });

    it("is assumable only with that provider's tokens for the repository's main branch and the STS audience", () => {
      expect(role.properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: { Ref: providerId } }, // the provider's Ref is its ARN
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:ref:refs/heads/main',
              },
            },
          },
        ],
      });
    });

    it('gives sessions of one hour at most, and no managed policy', () => {
      expect(role.properties.MaxSessionDuration).toBe(3600);
      expect(role.properties.ManagedPolicyArns).toBeUndefined();
      expect(role.properties.Policies).toBeUndefined();
    });

    it('may log in to ECR, push to this repository only, read this stack and assume the deploy and file-publishing bootstrap roles', () => {
      const repositoryArn = { 'Fn::GetAtt': [logicalIdOf(stack.repository), 'Arn'] };
      expect(policyStatements(template, role.id)).toEqual([
        { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        {
          Sid: 'PushThePipelineImage',
          Effect: 'Allow',
          Action: [...ECR_PUSH_ACTIONS],
          Resource: repositoryArn,
        },
        {
          Sid: 'ReadThisStacksOutputs',
          Effect: 'Allow',
          Action: 'cloudformation:DescribeStacks',
          Resource: { Ref: 'AWS::StackId' },
        },
        {
          Sid: 'DeployWithTheCdkBootstrapRoles',
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: [
            bootstrapRoleArn('hnb659fds', 'deploy'),
            bootstrapRoleArn('hnb659fds', 'file-publishing'),
          ],
        },
      ]);
      // Push, never delete; and no wildcard action anywhere.
      expect(ECR_PUSH_ACTIONS).toEqual(
        expect.arrayContaining(['ecr:PutImage', 'ecr:UploadLayerPart', 'ecr:DescribeImages'])
      );
      const actions = policyStatements(template, role.id).flatMap((s) => [s.Action].flat());
      expect(actions.filter((action) => action.includes('*') || /Delete/.test(action))).toEqual([]);
    });

    it('is the only role any web identity may assume, and no other principal may assume it', () => {
      const federated = Object.values(template.findResources('AWS::IAM::Role')).filter((r) =>
        JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('Federated')
      );
      expect(federated).toHaveLength(1);
      const statements = (role.properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
      expect(statements.map((s) => Object.keys(s.Principal ?? {}))).toEqual([['Federated']]);
    });

    it('is the GithubDeployRoleArn output', () => {
      template.hasOutput('GithubDeployRoleArn', { Value: { 'Fn::GetAtt': [role.id, 'Arn'] } });
    });
  });

  it("uses the account's existing provider, another branch and GitHub's immutable subject when given", () => {
    const { template } = withContext({
      [CONTEXT_KEYS.githubRepository]: 'octo-org@123456/octo-repo@789012',
      [CONTEXT_KEYS.githubBranch]: 'release/v2',
      [CONTEXT_KEYS.githubOidcProviderArn]: PROVIDER_ARN,
    });
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    const statement = (roleOf(template).properties.AssumeRolePolicyDocument as { Statement: Statement[] })
      .Statement[0];
    expect(statement?.Principal).toEqual({ Federated: PROVIDER_ARN });
    expect(statement?.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub':
          'repo:octo-org@123456/octo-repo@789012:ref:refs/heads/release/v2',
      },
    });
  });

  it("names the bootstrap roles of the app's bootstrap qualifier", () => {
    const { template } = withContext({
      [CONTEXT_KEYS.githubRepository]: REPO,
      '@aws-cdk/core:bootstrapQualifier': 'podcast1',
    });
    const assume = policyStatements(template, roleOf(template).id).find((s) => s.Action === 'sts:AssumeRole');
    expect(assume?.Resource).toEqual([
      bootstrapRoleArn('podcast1', 'deploy'),
      bootstrapRoleArn('podcast1', 'file-publishing'),
    ]);
  });

  it('refuses a bad repository, branch, provider or qualifier, naming it', () => {
    const stack = emptyStack();
    const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'podcast-platform');
    const make = (props: Record<string, string>) => () =>
      new GithubDeployRole(stack, `R${Math.random()}`, {
        repository: REPO,
        containerRepository: repo,
        ...props,
      });
    expect(make({ repository: 'octo-repo' })).toThrow(
      'GithubDeployRole: repository "octo-repo" is not owner/repo (or owner@<org id>/repo@<repo id>)'
    );
    expect(make({ repository: 'octo-org@1/octo-repo' })).toThrow(/both ids or neither/);
    expect(make({ branch: 'refs/heads/main' })).toThrow(
      'GithubDeployRole: branch "refs/heads/main" is not a branch name'
    );
    expect(make({ branch: '*' })).toThrow(/is not a branch name/);
    expect(make({ oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/example.com' })).toThrow(
      /oidcProviderArn .* is not the ARN of a token.actions.githubusercontent.com OIDC provider/
    );
    expect(make({ bootstrapQualifier: 'has space' })).toThrow(/is not a CDK bootstrap qualifier/);
  });

  it('is refused by the app when the context is bad, naming the key', () => {
    expect(() => withContext({ [CONTEXT_KEYS.githubRepository]: 'octo-org/*' })).toThrow(
      /^context podcast-platform:githubRepository: "octo-org\/\*" is not /
    );
    expect(() => withContext({ [CONTEXT_KEYS.githubBranch]: 'main' })).toThrow(
      /^context podcast-platform:githubBranch: set, but podcast-platform:githubRepository is not/
    );
  });

  it('needs no image-publishing role: the stack has no Docker image assets (the image goes through build-and-push)', () => {
    // If this fails, a construct added a Docker image asset: let GithubDeployRole assume
    // cdk-<qualifier>-image-publishing-role-<account>-<region> too, or CI deploys will fail.
    const spy = jest.spyOn(DefaultStackSynthesizer.prototype, 'addDockerImageAsset');
    try {
      const stack = realStack({ githubDeploy: { repository: REPO, branch: 'main' } });
      expect(Stack.of(stack).synthesizer).toBeInstanceOf(DefaultStackSynthesizer);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
