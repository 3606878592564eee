/**
 * GithubDeployRole: the role `.github/workflows/deploy.yml` assumes with GitHub's OIDC token (no
 * stored keys; sessions last at most 1 hour) to push the pipeline image and deploy this stack.
 *
 * Trust: only tokens from `https://token.actions.githubusercontent.com` for audience
 * `sts.amazonaws.com` whose subject is one branch of one repository
 * (`repo:<owner>/<repo>:ref:refs/heads/<branch>`, exact match): pull requests, forks, tags, other
 * branches and GitHub environments (whose subject is `...:environment:<name>`) are refused.
 *
 * Permissions, each on the narrowest resource IAM allows:
 * - ECR login (`ecr:GetAuthorizationToken`, which has no resource-level permissions: `*`);
 * - push to this stack's repository only (layer upload, PutImage, and the reads `build-and-push`
 *   and `docker buildx --push` make: DescribeRepositories, DescribeImages, BatchGetImage,
 *   BatchCheckLayerAvailability, GetDownloadUrlForLayer); no delete, and SHA tags stay immutable;
 * - `cloudformation:DescribeStacks` on this stack (build-and-push reads ContainerRepositoryName);
 * - `sts:AssumeRole` on two CDK bootstrap roles of this account and region: the deploy role and
 *   the file-publishing role. That is how CDK documents least-privilege CI: the CLI assumes the
 *   bootstrap roles for each step, and CloudFormation changes the resources with the
 *   cfn-exec-role (whose policy `cdk bootstrap --cloudformation-execution-policies` sets), so this
 *   role itself holds no CloudFormation write or IAM permission. Not the lookup role (it holds
 *   ReadOnlyAccess on the whole account, and this env-agnostic stack makes no lookups) nor the
 *   image-publishing role (the stack has no Docker image assets: the image goes through
 *   build-and-push; test/infra/github-deploy-role.test.ts keeps it that way).
 *
 * Defaults: an IAM OIDC provider for GitHub is created (the native AWS::IAM::OIDCProvider, no
 * custom resource); an account holds one provider per URL, so pass `oidcProviderArn` to use an
 * existing one.
 */
import { Aws, DefaultStackSynthesizer, Duration, Stack } from 'aws-cdk-lib';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience configure-aws-credentials asks GitHub for. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';
export const DEFAULT_GITHUB_BRANCH = 'main';

// An owner (1-39 letters, digits, single inner hyphens) and a repository name (letters, digits,
// `.`, `_`, `-`), each optionally followed by its numeric id: GitHub's immutable subject claim
// (`owner@<org id>/repo@<repo id>`), which repositories created from 15 July 2026 emit.
const OWNER = '[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}';
export const GITHUB_REPOSITORY = new RegExp(`^(${OWNER})(@\\d+)?/([A-Za-z0-9._-]{1,100})(@\\d+)?$`);
const BRANCH_PART = '[A-Za-z0-9_][A-Za-z0-9._-]*';
export const GITHUB_BRANCH = new RegExp(
  `^(?=.{1,200}$)(?!refs/)(?!.*\\.\\.)(?!.*\\.lock$)${BRANCH_PART}(?:/${BRANCH_PART})*$`
);
export const GITHUB_OIDC_PROVIDER_ARN =
  /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/** What `build-and-push` (describe, then `docker buildx build --push`) does in the repository. */
export const ECR_PUSH_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:CompleteLayerUpload',
  'ecr:DescribeImages',
  'ecr:DescribeRepositories',
  'ecr:GetDownloadUrlForLayer',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
] as const;

/** Why a repository string is not one GitHub's `sub` claim can name, or undefined when it is. */
export function githubRepositoryProblem(repository: string): string | undefined {
  const match = GITHUB_REPOSITORY.exec(repository);
  if (!match) return 'owner/repo (or owner@<org id>/repo@<repo id>)';
  if (match[3] === '.' || match[3] === '..') return 'a repository name other than . or ..';
  if ((match[2] === undefined) !== (match[4] === undefined))
    return 'owner/repo or owner@<org id>/repo@<repo id> (both ids or neither)';
  return undefined;
}

export interface GithubDeployRoleProps {
  /**
   * The repository, as GitHub's OIDC `sub` claim names it: `owner/repo`, or for repositories that
   * emit the immutable claim, `owner@<org id>/repo@<repo id>`. Case-sensitive.
   */
  readonly repository: string;
  /** The branch whose workflow runs may assume the role. @default main */
  readonly branch?: string;
  /** The account's existing GitHub OIDC provider. @default - one is created */
  readonly oidcProviderArn?: string;
  /** The ECR repository the role may push to (and nothing else). */
  readonly containerRepository: ecr.IRepository;
  /**
   * The CDK bootstrap qualifier of the roles the role may assume.
   * @default - the stack synthesizer's (context `@aws-cdk/core:bootstrapQualifier`), else hnb659fds
   */
  readonly bootstrapQualifier?: string;
}

export class GithubDeployRole extends Construct {
  readonly role: iam.Role;
  /** The provider this construct created (undefined when `oidcProviderArn` was given). */
  readonly oidcProvider?: iam.OidcProviderNative;
  /** The OIDC `sub` the role trusts. */
  readonly subject: string;

  constructor(scope: Construct, id: string, props: GithubDeployRoleProps) {
    super(scope, id);
    const problem = githubRepositoryProblem(props.repository);
    if (problem)
      throw new Error(`GithubDeployRole: repository ${JSON.stringify(props.repository)} is not ${problem}`);
    const branch = props.branch ?? DEFAULT_GITHUB_BRANCH;
    if (!GITHUB_BRANCH.test(branch))
      throw new Error(`GithubDeployRole: branch ${JSON.stringify(branch)} is not a branch name`);
    if (props.oidcProviderArn !== undefined && !GITHUB_OIDC_PROVIDER_ARN.test(props.oidcProviderArn))
      throw new Error(
        `GithubDeployRole: oidcProviderArn ${JSON.stringify(props.oidcProviderArn)} is not the ARN of a ${GITHUB_OIDC_HOST} OIDC provider`
      );
    const stack = Stack.of(this);
    const qualifier =
      props.bootstrapQualifier ??
      stack.synthesizer.bootstrapQualifier ??
      DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    if (!/^[A-Za-z0-9_-]{1,10}$/.test(qualifier))
      throw new Error(
        `GithubDeployRole: bootstrapQualifier ${JSON.stringify(qualifier)} is not a CDK bootstrap qualifier`
      );

    let providerArn = props.oidcProviderArn;
    if (providerArn === undefined) {
      this.oidcProvider = new iam.OidcProviderNative(this, 'OidcProvider', {
        url: GITHUB_OIDC_URL,
        clientIds: [GITHUB_OIDC_AUDIENCE],
      });
      providerArn = this.oidcProvider.oidcProviderArn;
    }
    this.subject = `repo:${props.repository}:ref:refs/heads/${branch}`;
    this.role = new iam.Role(this, 'Role', {
      description: `GitHub Actions (${this.subject}): push the pipeline image and deploy this stack`,
      assumedBy: new iam.WebIdentityPrincipal(providerArn, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: this.subject,
        },
      }),
      maxSessionDuration: Duration.hours(1),
    });

    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EcrLogin',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      })
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PushThePipelineImage',
        actions: [...ECR_PUSH_ACTIONS],
        resources: [props.containerRepository.repositoryArn],
      })
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadThisStacksOutputs',
        actions: ['cloudformation:DescribeStacks'],
        resources: [Aws.STACK_ID],
      })
    );
    const bootstrapRole = (kind: string) =>
      stack.formatArn({
        service: 'iam',
        region: '',
        resource: 'role',
        resourceName: `cdk-${qualifier}-${kind}-role-${stack.account}-${stack.region}`,
      });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DeployWithTheCdkBootstrapRoles',
        actions: ['sts:AssumeRole'],
        resources: [bootstrapRole('deploy'), bootstrapRole('file-publishing')],
      })
    );
  }
}
