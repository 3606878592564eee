/**
 * The optional public-facing settings from CDK context: the public origin's custom domain and the
 * GitHub deploy role. Each is all-or-nothing, validated with a message naming the key.
 */
import {
  DEFAULT_GITHUB_BRANCH,
  GITHUB_BRANCH,
  GITHUB_OIDC_PROVIDER_ARN,
  githubRepositoryProblem,
} from '../constructs/github-deploy-role';
import { CONTEXT_KEYS, type ContextReader, invalid, optionalText } from './app-settings';

/** The public origin's custom domain: a host name and the ACM certificate CloudFront serves for it. */
export interface PublicDomainSettings {
  readonly domainName: string;
  readonly certificateArn: string;
}

// One host name (no wildcard): lowercase labels of letters, digits and inner hyphens, two or more.
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})+$`);
// CloudFront reads certificates from ACM in us-east-1 only.
const ACM_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;

/**
 * The custom domain of the public origin, when both keys are set; undefined when neither is (the
 * distribution's own `*.cloudfront.net` name is the origin). One without the other is an error.
 */
export function readPublicDomainSettings(read: ContextReader): PublicDomainSettings | undefined {
  const domainName = optionalText(read, CONTEXT_KEYS.domainName);
  const certificateArn = optionalText(read, CONTEXT_KEYS.certificateArn);
  if (domainName === undefined && certificateArn === undefined) return undefined;
  if (domainName === undefined)
    throw new Error(
      `context ${CONTEXT_KEYS.domainName}: not set, but ${CONTEXT_KEYS.certificateArn} is; set both (the host name and its certificate) or neither`
    );
  if (certificateArn === undefined)
    throw new Error(
      `context ${CONTEXT_KEYS.certificateArn}: not set, but ${CONTEXT_KEYS.domainName} is; set both (the host name and its certificate) or neither`
    );
  if (!DOMAIN_NAME.test(domainName))
    throw invalid(
      CONTEXT_KEYS.domainName,
      domainName,
      'a lowercase host name without a wildcard, scheme or path (e.g. podcasts.example.com)'
    );
  const arn = ACM_ARN.exec(certificateArn);
  if (!arn)
    throw invalid(
      CONTEXT_KEYS.certificateArn,
      certificateArn,
      'an ACM certificate ARN (arn:aws:acm:us-east-1:<account>:certificate/<id>)'
    );
  if (arn[1] !== 'us-east-1')
    throw invalid(
      CONTEXT_KEYS.certificateArn,
      certificateArn,
      'in us-east-1 (CloudFront uses ACM certificates from us-east-1 only, whatever the stack region)'
    );
  return { domainName, certificateArn };
}

/** The GitHub deploy role's settings: which repository and branch may assume it, through which provider. */
export interface GithubDeploySettings {
  readonly repository: string;
  readonly branch: string;
  /** An existing provider; undefined: the stack creates one. */
  readonly oidcProviderArn?: string;
}

/**
 * The GitHub deploy role, when podcast-platform:githubRepository is set; undefined when it is not
 * (no role). The branch and the provider ARN without a repository are an error.
 */
export function readGithubDeploySettings(read: ContextReader): GithubDeploySettings | undefined {
  const repository = optionalText(read, CONTEXT_KEYS.githubRepository);
  const branch = optionalText(read, CONTEXT_KEYS.githubBranch);
  const oidcProviderArn = optionalText(read, CONTEXT_KEYS.githubOidcProviderArn);
  if (repository === undefined) {
    const orphan =
      branch !== undefined
        ? CONTEXT_KEYS.githubBranch
        : oidcProviderArn !== undefined
          ? CONTEXT_KEYS.githubOidcProviderArn
          : undefined;
    if (orphan)
      throw new Error(
        `context ${orphan}: set, but ${CONTEXT_KEYS.githubRepository} is not; the deploy role is created only for a repository (-c ${CONTEXT_KEYS.githubRepository}=owner/repo)`
      );
    return undefined;
  }
  const problem = githubRepositoryProblem(repository);
  if (problem)
    throw invalid(CONTEXT_KEYS.githubRepository, repository, `${problem}, as GitHub's OIDC subject names it`);
  if (branch !== undefined && !GITHUB_BRANCH.test(branch))
    throw invalid(
      CONTEXT_KEYS.githubBranch,
      branch,
      'a branch name (e.g. main), without refs/heads/ or wildcards'
    );
  if (oidcProviderArn !== undefined && !GITHUB_OIDC_PROVIDER_ARN.test(oidcProviderArn))
    throw invalid(
      CONTEXT_KEYS.githubOidcProviderArn,
      oidcProviderArn,
      "the ARN of the account's GitHub OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com)"
    );
  return {
    repository,
    branch: branch ?? DEFAULT_GITHUB_BRANCH,
    ...(oidcProviderArn !== undefined ? { oidcProviderArn } : {}),
  };
}
