import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CONTEXT_KEYS, readAlarmSettings, readAppSettings } from '../../infra/bin/app-settings';
import { readGithubDeploySettings, readPublicDomainSettings } from '../../infra/bin/public-settings';
import { cdkJsonContext } from './stack-fixture';

const reader = (context: Record<string, unknown>) => (key: string) => context[key];
const COMMIT = '3f2a9c1e5b7d9f0a1c3e5b7d9f0a1c3e5b7d9f0a';
const onCommit = { headCommit: () => COMMIT };

describe('readAppSettings', () => {
  it('reads the defaults cdk.json gives the app', () => {
    const settings = readAppSettings(reader(cdkJsonContext()), onCommit);
    expect(settings).toEqual({
      stackName: 'PodcastPlatform',
      imageTag: '3f2a9c1e5b7d',
      logRetention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
      runArtifactsExpirationDays: 14,
      eventTtlDays: 30,
    });
  });

  it('falls back to defaults with no context at all', () => {
    expect(readAppSettings(reader({}), onCommit)).toEqual({
      stackName: 'PodcastPlatform',
      imageTag: '3f2a9c1e5b7d',
      logRetention: 30,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  });

  it('accepts -c overrides, which arrive as strings', () => {
    const headCommit = jest.fn(() => COMMIT);
    const settings = readAppSettings(
      reader({
        [CONTEXT_KEYS.imageTag]: 'git-3f2a9c1',
        [CONTEXT_KEYS.logRetentionDays]: '90',
        [CONTEXT_KEYS.removalPolicy]: 'destroy',
        [CONTEXT_KEYS.stackName]: 'PodcastPlatformDev',
        [CONTEXT_KEYS.stageTaskCommand]: '["node","dist/containers/stage-task/main.js"]',
      }),
      { headCommit }
    );
    // A given tag needs no git.
    expect(headCommit).not.toHaveBeenCalled();
    expect(settings).toMatchObject({
      imageTag: 'git-3f2a9c1',
      logRetention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
      stackName: 'PodcastPlatformDev',
      stageTaskCommand: ['node', 'dist/containers/stage-task/main.js'],
    });
  });

  it('rejects bad values, naming the context key', () => {
    const bad = (key: string, value: unknown) => () => readAppSettings(reader({ [key]: value }), onCommit);
    expect(bad(CONTEXT_KEYS.imageTag, 'has space')).toThrow(
      /context podcast-platform:imageTag: "has space" is not a Docker image tag/
    );
    expect(bad(CONTEXT_KEYS.logRetentionDays, 31)).toThrow(
      /podcast-platform:logRetentionDays: 31 is not a CloudWatch Logs retention/
    );
    expect(bad(CONTEXT_KEYS.removalPolicy, 'snapshot')).toThrow(
      /podcast-platform:removalPolicy: "snapshot" is not "retain" or "destroy"/
    );
    expect(bad(CONTEXT_KEYS.eventTtlDays, '0')).toThrow(
      /podcast-platform:eventTtlDays: "0" is not a whole number >= 1/
    );
    expect(bad(CONTEXT_KEYS.stackName, '1stack')).toThrow(/podcast-platform:stackName/);
    expect(bad(CONTEXT_KEYS.stageTaskCommand, 'node main.js')).toThrow(
      /podcast-platform:stageTaskCommand: "node main.js" is not a JSON array of strings/
    );
    expect(bad(CONTEXT_KEYS.stageTaskCommand, [])).toThrow(/non-empty JSON array of strings/);
  });
});

describe('the image tag', () => {
  const read = (context: Record<string, unknown>, headCommit: () => string = () => COMMIT) =>
    readAppSettings(reader(context), { headCommit }).imageTag;

  it('defaults to the SHA tag build-and-push pushes for the checked-out commit (its first 12 hex digits)', () => {
    expect(read({})).toBe('3f2a9c1e5b7d');
    expect(cdkJsonContext()[CONTEXT_KEYS.imageTag]).toBeUndefined();
  });

  it('reads the real checkout with git when no tag is given', () => {
    expect(readAppSettings(reader({})).imageTag).toMatch(/^[0-9a-f]{12}$/);
  });

  it('refuses a moving tag, saying to deploy an immutable SHA tag', () => {
    for (const moving of ['latest', 'latest-staging']) {
      expect(() => read({ [CONTEXT_KEYS.imageTag]: moving })).toThrow(
        `context podcast-platform:imageTag: "${moving}" is a moving tag (the repository lets latest and latest-* move to each new build), so the tasks would not run a fixed image: deploy an immutable SHA tag, the commit's first 12 hex digits that \`npm run build-and-push\` prints (-c podcast-platform:imageTag=<sha tag>), or leave the key unset to deploy the checked-out commit's`
      );
    }
    // Immutable tags other than a SHA (a release the repository will not let move) are fine.
    expect(read({ [CONTEXT_KEYS.imageTag]: 'v9.1.0' })).toBe('v9.1.0');
    expect(read({ [CONTEXT_KEYS.imageTag]: 'latestfix' })).toBe('latestfix');
  });

  it('says how to get a tag when none is given and git cannot name the commit', () => {
    const noGit = () => {
      throw new Error('git rev-parse HEAD failed: git is not installed');
    };
    expect(() => read({}, noGit)).toThrow(
      "context podcast-platform:imageTag: not set, and its default, the checked-out commit's SHA tag, cannot be read (git rev-parse HEAD failed: git is not installed). Run `npm run build-and-push -- --region <region> --stack <stack>`: its last line is the image URI, ending in :<sha tag> (the commit's first 12 hex digits); then deploy with -c podcast-platform:imageTag=<sha tag>"
    );
    expect(read({ [CONTEXT_KEYS.imageTag]: '3f2a9c1e5b7d' }, noGit)).toBe('3f2a9c1e5b7d');
  });
});

describe('readAlarmSettings', () => {
  it('has no email by default, and reads one from context', () => {
    expect(readAlarmSettings(reader(cdkJsonContext()))).toEqual({});
    expect(readAlarmSettings(reader({ [CONTEXT_KEYS.alarmEmail]: '' }))).toEqual({});
    expect(readAlarmSettings(reader({ [CONTEXT_KEYS.alarmEmail]: 'ops+pods@example.co.uk' }))).toEqual({
      alarmEmail: 'ops+pods@example.co.uk',
    });
  });

  it('rejects what is not one email address, naming the key', () => {
    for (const value of [
      'ops',
      'ops@localhost',
      'Ops <ops@example.com>',
      'a@example.com,b@example.com',
      'a b@example.com',
    ]) {
      expect(() => readAlarmSettings(reader({ [CONTEXT_KEYS.alarmEmail]: value }))).toThrow(
        `context podcast-platform:alarmEmail: ${JSON.stringify(value)} is not an email address (e.g. ops@example.com)`
      );
    }
    expect(() => readAlarmSettings(reader({ [CONTEXT_KEYS.alarmEmail]: 42 }))).toThrow(
      'context podcast-platform:alarmEmail: 42 is not a string'
    );
  });
});

describe('readPublicDomainSettings', () => {
  const certificateArn =
    'arn:aws:acm:us-east-1:123456789012:certificate/0f2c5a1e-1b2c-4d3e-8f90-a1b2c3d4e5f6';
  const read = (context: Record<string, unknown>) => () => readPublicDomainSettings(reader(context));

  it('has no custom domain with cdk.json, or with neither key set', () => {
    expect(readPublicDomainSettings(reader(cdkJsonContext()))).toBeUndefined();
    expect(
      readPublicDomainSettings(reader({ [CONTEXT_KEYS.domainName]: '', [CONTEXT_KEYS.certificateArn]: '' }))
    ).toBeUndefined();
  });

  it('reads the domain and its us-east-1 certificate when both are set', () => {
    expect(
      read({
        [CONTEXT_KEYS.domainName]: 'podcasts.example.com',
        [CONTEXT_KEYS.certificateArn]: certificateArn,
      })()
    ).toEqual({ domainName: 'podcasts.example.com', certificateArn });
  });

  it('rejects one key without the other, naming the missing key', () => {
    expect(read({ [CONTEXT_KEYS.domainName]: 'podcasts.example.com' })).toThrow(
      'context podcast-platform:certificateArn: not set, but podcast-platform:domainName is; set both (the host name and its certificate) or neither'
    );
    expect(read({ [CONTEXT_KEYS.certificateArn]: certificateArn })).toThrow(
      /^context podcast-platform:domainName: not set, but podcast-platform:certificateArn is/
    );
  });

  it('rejects a host name that is not one lowercase name, naming the key', () => {
    for (const domainName of [
      'https://podcasts.example.com',
      'podcasts.example.com/feeds',
      '*.example.com',
      'Podcasts.Example.com',
      'localhost',
      '-bad.example.com',
      `${'a'.repeat(64)}.example.com`,
    ]) {
      expect(
        read({ [CONTEXT_KEYS.domainName]: domainName, [CONTEXT_KEYS.certificateArn]: certificateArn })
      ).toThrow(
        `context podcast-platform:domainName: ${JSON.stringify(domainName)} is not a lowercase host name`
      );
    }
  });

  it('rejects a certificate ARN that is not an ACM ARN, or not in us-east-1, naming the key', () => {
    const withArn = (arn: unknown) =>
      read({ [CONTEXT_KEYS.domainName]: 'podcasts.example.com', [CONTEXT_KEYS.certificateArn]: arn });
    expect(withArn('arn:aws:iam::123456789012:server-certificate/podcasts')).toThrow(
      /context podcast-platform:certificateArn: .* is not an ACM certificate ARN/
    );
    expect(withArn(certificateArn.replace('123456789012', '1234'))).toThrow(/is not an ACM certificate ARN/);
    expect(withArn(certificateArn.replace('us-east-1', 'eu-west-1'))).toThrow(
      /context podcast-platform:certificateArn: .* is not in us-east-1 \(CloudFront uses ACM certificates from us-east-1 only/
    );
    expect(withArn(42)).toThrow(/context podcast-platform:certificateArn: 42 is not a string/);
  });
});

describe('readGithubDeploySettings', () => {
  const providerArn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
  const read = (context: Record<string, unknown>) => () => readGithubDeploySettings(reader(context));

  it('has no deploy role with cdk.json, or with the keys empty', () => {
    expect(readGithubDeploySettings(reader(cdkJsonContext()))).toBeUndefined();
    expect(read({ [CONTEXT_KEYS.githubRepository]: '' })()).toBeUndefined();
  });

  it('reads the repository, the branch (main by default) and an existing provider', () => {
    expect(read({ [CONTEXT_KEYS.githubRepository]: 'octo-org/octo-repo' })()).toEqual({
      repository: 'octo-org/octo-repo',
      branch: 'main',
    });
    expect(
      read({
        [CONTEXT_KEYS.githubRepository]: 'octo-org@123456/octo.repo_2@789012',
        [CONTEXT_KEYS.githubBranch]: 'release/v2',
        [CONTEXT_KEYS.githubOidcProviderArn]: providerArn,
      })()
    ).toEqual({
      repository: 'octo-org@123456/octo.repo_2@789012',
      branch: 'release/v2',
      oidcProviderArn: providerArn,
    });
  });

  it('rejects a branch or provider without a repository, naming the missing key', () => {
    expect(read({ [CONTEXT_KEYS.githubBranch]: 'main' })).toThrow(
      'context podcast-platform:githubBranch: set, but podcast-platform:githubRepository is not; the deploy role is created only for a repository (-c podcast-platform:githubRepository=owner/repo)'
    );
    expect(read({ [CONTEXT_KEYS.githubOidcProviderArn]: providerArn })).toThrow(
      /^context podcast-platform:githubOidcProviderArn: set, but podcast-platform:githubRepository is not/
    );
  });

  it('rejects what the OIDC subject cannot name, naming the key', () => {
    for (const repository of [
      'octo-repo',
      'https://github.com/octo-org/octo-repo',
      'octo-org/octo-repo.git/x',
      'octo-org/*',
      '-octo/octo-repo',
      'octo--org/octo-repo',
      'octo-org/..',
      'octo-org@123456/octo-repo',
      'octo-org/octo repo',
    ]) {
      expect(read({ [CONTEXT_KEYS.githubRepository]: repository })).toThrow(
        `context podcast-platform:githubRepository: ${JSON.stringify(repository)} is not `
      );
    }
    const withBranch = (branch: unknown) =>
      read({ [CONTEXT_KEYS.githubRepository]: 'octo-org/octo-repo', [CONTEXT_KEYS.githubBranch]: branch });
    for (const branch of ['refs/heads/main', 'feature/*', 'a..b', '/main', 'main/', 'x.lock', '-main']) {
      expect(withBranch(branch)).toThrow(
        `context podcast-platform:githubBranch: ${JSON.stringify(branch)} is not a branch name (e.g. main), without refs/heads/ or wildcards`
      );
    }
    expect(withBranch(7)).toThrow(/context podcast-platform:githubBranch: 7 is not a string/);
    expect(
      read({
        [CONTEXT_KEYS.githubRepository]: 'octo-org/octo-repo',
        [CONTEXT_KEYS.githubOidcProviderArn]: 'arn:aws:iam::123456789012:oidc-provider/accounts.google.com',
      })
    ).toThrow(
      /context podcast-platform:githubOidcProviderArn: .* is not the ARN of the account's GitHub OIDC provider/
    );
  });
});
