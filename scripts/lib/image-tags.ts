/**
 * The pipeline image's tags, one convention for the build and the deploy: build-and-push tags
 * each image with its commit (SHA_TAG_LENGTH hex digits, immutable) and moves `latest` to it;
 * the ECR repository lets only the moving tags move (IMMUTABLE_WITH_EXCLUSION, the exclusion
 * filters below); the CDK app deploys a SHA tag, by default the checked-out commit's, and refuses
 * a moving tag (its image can change under a deployed task definition).
 */
import { execFileSync } from 'node:child_process';

/** How long the SHA tag is: 12 hex digits, unambiguous in any real repository. */
export const SHA_TAG_LENGTH = 12;

/** The moving tag build-and-push pushes with the SHA tag (--tag). */
export const DEFAULT_MOVING_TAG = 'latest';

/**
 * The tags the repository lets move (ECR wildcard exclusion filters: `*` matches any run of
 * characters): `latest`, and `latest-<name>` for a channel of one's own (e.g. latest-staging).
 * Every other tag is immutable once pushed.
 */
export const MOVING_TAG_FILTERS = [DEFAULT_MOVING_TAG, `${DEFAULT_MOVING_TAG}-*`] as const;

/** The command that names the checked-out commit. */
export const GIT_HEAD_COMMAND = ['git', 'rev-parse', 'HEAD'] as const;

const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

export function shaTag(sha: string): string {
  return sha.slice(0, SHA_TAG_LENGTH);
}

/** Whether the repository lets this tag move (it matches a MOVING_TAG_FILTERS pattern). */
export function isMovingTag(tag: string): boolean {
  return MOVING_TAG_FILTERS.some((filter) => wildcard(filter).test(tag));
}

function wildcard(filter: string): RegExp {
  const pattern = filter
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`);
}

/**
 * The checked-out commit (`git rev-parse HEAD` in `cwd`), for the CDK app's default image tag.
 * Throws with git's own reason when there is no git or no repository.
 */
export function readHeadCommit(cwd: string): string {
  const [command, ...args] = GIT_HEAD_COMMAND;
  let output: string;
  try {
    output = execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10_000,
    });
  } catch (error) {
    const { code, stderr, message } = error as NodeJS.ErrnoException & { stderr?: string };
    const reason =
      code === 'ENOENT' ? 'git is not installed' : (stderr?.trim().split('\n')[0] ?? '') || message;
    throw new Error(`git rev-parse HEAD failed: ${reason}`, { cause: error });
  }
  const commit = output.trim();
  if (!COMMIT.test(commit)) throw new Error(`git rev-parse HEAD printed "${commit}", not a commit`);
  return commit;
}
