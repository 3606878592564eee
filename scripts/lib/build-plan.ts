/**
 * What scripts/build-and-push.ts does, as data: its options (from flags and the environment), the
 * read-only checks it makes first (probeCommands) and the commands that log in, build and push
 * (planCommands). Both are pure, so `--dry-run` and the tests print and check exactly the commands
 * a real run executes.
 */
import type { Command } from './command-runner';
import { PIPE } from './command-runner';
import { BUILD_CONTEXT_PATHS, type BuildOptions, type BuildTarget } from './build-options';
import { DEFAULT_MOVING_TAG, GIT_HEAD_COMMAND, SHA_TAG_LENGTH, shaTag } from './image-tags';

export * from './build-options';
export { DEFAULT_MOVING_TAG, SHA_TAG_LENGTH, shaTag };

/** The ECR registry host of an account and region. */
export function registryHost(account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/** The repository URI ECR would report for this name (what a dry run uses). */
export function repositoryUri(account: string, region: string, name: string): string {
  return `${registryHost(account, region)}/${name}`;
}

/** The image reference printed on the last line: the immutable one, tagged with the commit. */
export function imageRef(target: BuildTarget): string {
  return `${target.repositoryUri}:${shaTag(target.sha)}`;
}

/** The read-only checks, in the order a real run makes them (fail fast on the first problem). */
export const probes = {
  dockerServer: (): Command => ['docker', 'version', '--format', '{{.Server.Version}}'],
  buildx: (options: BuildOptions): Command => [
    'docker',
    'buildx',
    'inspect',
    ...(options.builder ? [options.builder] : []),
  ],
  callerAccount: (options: BuildOptions): Command => [
    'aws',
    'sts',
    'get-caller-identity',
    '--region',
    options.region,
    '--query',
    'Account',
    '--output',
    'text',
  ],
  stackOutput: (options: BuildOptions, stack: string): Command => [
    'aws',
    'cloudformation',
    'describe-stacks',
    '--region',
    options.region,
    '--stack-name',
    stack,
    '--query',
    `Stacks[0].Outputs[?OutputKey=='${options.stackOutput}'].OutputValue`,
    '--output',
    'text',
  ],
  repository: (options: BuildOptions, name: string): Command => [
    'aws',
    'ecr',
    'describe-repositories',
    '--region',
    options.region,
    '--repository-names',
    name,
    '--query',
    'repositories[0].repositoryUri',
    '--output',
    'text',
  ],
  gitSha: (): Command => [...GIT_HEAD_COMMAND],
  /** Whether the SHA tag is already in the repository (its tags are immutable: it cannot be pushed again). */
  shaTagPushed: (options: BuildOptions, name: string, sha: string): Command => [
    'aws',
    'ecr',
    'describe-images',
    '--region',
    options.region,
    '--repository-name',
    name,
    '--image-ids',
    `imageTag=${shaTag(sha)}`,
    '--query',
    'imageDetails[0].imageDigest',
    '--output',
    'text',
  ],
  gitDirty: (): Command => ['git', 'status', '--porcelain', '--', ...BUILD_CONTEXT_PATHS],
};

/** The checks a real run with these options makes (the stack lookup only without --repository). */
export function probeCommands(options: BuildOptions, repositoryName: string, sha: string): Command[] {
  return [
    probes.dockerServer(),
    probes.buildx(options),
    probes.callerAccount(options),
    ...(options.stack && !options.repository ? [probes.stackOutput(options, options.stack)] : []),
    probes.repository(options, repositoryName),
    ...(options.sha ? [] : [probes.gitSha()]),
    ...(options.sha || options.allowDirty ? [] : [probes.gitDirty()]),
    probes.shaTagPushed(options, repositoryName, sha),
  ];
}

/** Log in to the plan (the password goes through a pipe, never onto a command line), build and push. */
export function planCommands(options: BuildOptions, target: BuildTarget): Command[] {
  const registry = target.repositoryUri.split('/')[0] as string;
  return [
    [
      'aws',
      'ecr',
      'get-login-password',
      '--region',
      target.region,
      PIPE,
      'docker',
      'login',
      '--username',
      'AWS',
      '--password-stdin',
      registry,
    ],
    [
      'docker',
      'buildx',
      'build',
      ...(options.builder ? ['--builder', options.builder] : []),
      '--platform',
      options.platforms.join(','),
      '-f',
      options.dockerfile,
      '-t',
      imageRef(target),
      '-t',
      `${target.repositoryUri}:${options.tag}`,
      '--build-arg',
      `GIT_SHA=${target.sha}`,
      '--build-arg',
      `IMAGE_VERSION=${shaTag(target.sha)}`,
      '--push',
      options.context,
    ],
  ];
}
