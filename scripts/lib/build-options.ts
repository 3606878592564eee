/**
 * build-and-push's options: its flags and environment, checked (a ValidationError names the flag),
 * and its usage text.
 */
import { ValidationError } from '../../stages/shared/errors';
import { parseFlags } from './cli-flags';
import { DEFAULT_MOVING_TAG, isMovingTag, MOVING_TAG_FILTERS, SHA_TAG_LENGTH } from './image-tags';

export const DOCKERFILE = 'containers/orchestrator/Dockerfile';
/** Fargate runs the pipeline on ARM64 (infra's task definitions); amd64 is opt-in (--platforms). */
export const DEFAULT_PLATFORMS = ['linux/arm64'] as const;
export const SUPPORTED_PLATFORMS = ['linux/arm64', 'linux/amd64'] as const;
/** The stack output naming the ECR repository (infra's ContainerRepository). */
export const DEFAULT_STACK_OUTPUT = 'ContainerRepositoryName';
/**
 * What the image is built from: the .dockerignore allow-list, and the paths whose uncommitted
 * changes would make the image differ from the commit it is tagged with.
 */
export const BUILD_CONTEXT_PATHS = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'stages',
  'containers',
  'stepfunctions',
  'scripts/lib',
] as const;

export interface BuildOptions {
  region: string;
  /** From --account or the environment; otherwise read from STS (a real run checks it there too). */
  account?: string;
  /** ECR repository name; or read from a stack output. */
  repository?: string;
  stack?: string;
  stackOutput: string;
  /** The moving tag pushed next to the SHA tag (one the repository lets move: MOVING_TAG_FILTERS). */
  tag: string;
  /** The commit; otherwise from the environment (CI) or `git rev-parse`. */
  sha?: string;
  platforms: string[];
  dockerfile: string;
  context: string;
  builder?: string;
  dryRun: boolean;
  allowDirty: boolean;
}

/** What the checks found: where the image goes and which commit it is. */
export interface BuildTarget {
  account: string;
  region: string;
  repositoryName: string;
  repositoryUri: string;
  sha: string;
}

export const BUILD_USAGE = `usage: build-and-push [options]

Builds containers/orchestrator/Dockerfile for ARM64 (and optionally amd64) with docker buildx and
pushes it to the stack's ECR repository, tagged with the commit's first ${SHA_TAG_LENGTH} hex digits
(immutable: the tag \`cdk deploy\` deploys by default) and a moving tag. The last line of stdout
is the image URI with the SHA tag.

options:
  --region <region>        AWS region (default: AWS_REGION, then AWS_DEFAULT_REGION)
  --account <id>           AWS account (default: AWS_ACCOUNT_ID or CDK_DEFAULT_ACCOUNT, else STS);
                           a real run checks the credentials belong to it
  --repository <name>      ECR repository name
  --stack <name>           read the repository name from this stack's output instead
  --stack-output <key>     the output's key (default ${DEFAULT_STACK_OUTPUT})
  --tag <tag>              moving tag pushed with the SHA tag (default ${DEFAULT_MOVING_TAG}; the
                           repository lets only ${MOVING_TAG_FILTERS.join(' and ')} move)
  --sha <commit>           commit to tag (default: GITHUB_SHA, CI_COMMIT_SHA, else git rev-parse HEAD)
  --platforms <list>       comma-separated (default ${DEFAULT_PLATFORMS.join(',')}; also linux/amd64)
  --builder <name>         docker buildx builder (several platforms need a docker-container builder)
  --dockerfile <path>      default ${DOCKERFILE}
  --context <dir>          build context (default ., the repository root; see .dockerignore)
  --allow-dirty            build even if the working tree has uncommitted changes
  --dry-run                print every command instead of running it (no docker or AWS needed;
                           needs --account and --repository, since STS and the stack are not read)
  -h, --help               this text

exit codes: 0 pushed, 1 a check or the build failed, 2 bad options`;

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const COMMIT = /^[0-9a-f]{7,40}$/;

function check(value: string | undefined, pattern: RegExp, flag: string, what: string): string | undefined {
  if (value !== undefined && !pattern.test(value))
    throw new ValidationError(`${flag}: "${value}" is not ${what}`, flag);
  return value;
}

/**
 * The moving tag is pushed again by every build, so it must be one the repository lets move;
 * any other tag is immutable there and the second build's push would be refused.
 */
function movingTag(tag: string): string {
  check(tag, DOCKER_TAG, '--tag', 'a valid image tag');
  if (!isMovingTag(tag))
    throw new ValidationError(
      `--tag: "${tag}" is not a tag the repository lets move (${MOVING_TAG_FILTERS.join(', ')}); its other tags are immutable, so the next build could not move it. Deploy by the SHA tag; pick a moving tag such as ${DEFAULT_MOVING_TAG}-${tag}`,
      '--tag'
    );
  return tag;
}

/** Options from argv and env (flags win); undefined for --help. */
export function parseBuildOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BuildOptions | undefined {
  const flags = parseFlags(argv, {
    values: [
      'region',
      'account',
      'repository',
      'stack',
      'stack-output',
      'tag',
      'sha',
      'platforms',
      'builder',
      'dockerfile',
      'context',
    ],
    switches: ['dry-run', 'allow-dirty', 'help'],
    aliases: { h: 'help' },
  });
  if (flags.switches.has('help')) return undefined;
  if (flags.positionals.length > 0)
    throw new ValidationError(`unexpected argument "${flags.positionals[0]}" (see --help)`, 'argv');
  const v = flags.values;
  const region = check(
    v.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    REGION,
    '--region',
    'an AWS region'
  );
  if (!region) throw new ValidationError('no region: pass --region or set AWS_REGION', '--region');
  const platforms = (v.platforms ?? DEFAULT_PLATFORMS.join(','))
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const platform of platforms) {
    if (!(SUPPORTED_PLATFORMS as readonly string[]).includes(platform)) {
      throw new ValidationError(
        `--platforms: "${platform}" is not one of ${SUPPORTED_PLATFORMS.join(', ')}`,
        '--platforms'
      );
    }
  }
  if (platforms.length === 0)
    throw new ValidationError('--platforms: name at least one platform', '--platforms');
  if (v.repository && v.stack)
    throw new ValidationError('pass either --repository or --stack, not both', '--repository');
  if (!v.repository && !v.stack)
    throw new ValidationError('no repository: pass --repository <name> or --stack <name>', '--repository');
  const sha = v.sha ?? env.GITHUB_SHA ?? env.CI_COMMIT_SHA;
  const options: BuildOptions = {
    region,
    stackOutput: v['stack-output'] ?? DEFAULT_STACK_OUTPUT,
    tag: movingTag(v.tag ?? DEFAULT_MOVING_TAG),
    platforms: [...new Set(platforms)],
    dockerfile: v.dockerfile ?? DOCKERFILE,
    context: v.context ?? '.',
    dryRun: flags.switches.has('dry-run'),
    allowDirty: flags.switches.has('allow-dirty'),
  };
  const account = check(
    v.account ?? env.AWS_ACCOUNT_ID ?? env.CDK_DEFAULT_ACCOUNT,
    ACCOUNT,
    '--account',
    'a 12-digit AWS account id'
  );
  if (account) options.account = account;
  const repository = check(v.repository, REPOSITORY, '--repository', 'an ECR repository name');
  if (repository) options.repository = repository;
  if (v.stack) options.stack = v.stack;
  const commit = check(sha?.toLowerCase(), COMMIT, '--sha', 'a git commit (7-40 hex digits)');
  if (commit) options.sha = commit;
  if (v.builder) options.builder = v.builder;
  if (options.dryRun && !options.account) {
    throw new ValidationError(
      '--dry-run does not call STS: pass --account (or set AWS_ACCOUNT_ID)',
      '--account'
    );
  }
  if (options.dryRun && !options.repository) {
    throw new ValidationError('--dry-run does not read the stack: pass --repository', '--repository');
  }
  return options;
}
