/**
 * Runs the build-and-push plan: the read-only checks first, each failing fast with a message that
 * names what is missing (docker, buildx, AWS credentials, the repository, the commit), then the
 * registry login, the multi-platform build and the push; nothing to do when the commit's SHA tag is
 * already in the repository (its tags are immutable). Progress goes to stderr; stdout gets only
 * the image URI (or, with --dry-run, the commands and then the URI), so CI can capture it.
 */
import { describeError, ValidationError } from '../../stages/shared/errors';
import {
  BUILD_USAGE,
  type BuildOptions,
  type BuildTarget,
  imageRef,
  parseBuildOptions,
  planCommands,
  probeCommands,
  probes,
  repositoryUri,
} from './build-plan';
import {
  type Command,
  type CommandResult,
  type CommandRunner,
  firstLine,
  formatCommand,
} from './command-runner';

/** A check or step failed: exit code 1 with this one-line message. */
export class PreflightError extends Error {
  override readonly name = 'PreflightError';
}

export interface BuildIo {
  run: CommandRunner;
  out: (line: string) => void;
  err: (line: string) => void;
}

async function probe(
  io: BuildIo,
  command: Command,
  failure: (result: CommandResult) => string
): Promise<string> {
  const result = await io.run(command);
  if (result.code !== 0) throw new PreflightError(failure(result));
  return result.stdout.trim();
}

/** The commit to tag: --sha / CI environment, else `git rev-parse HEAD`. */
async function resolveSha(options: BuildOptions, io: BuildIo): Promise<string> {
  if (options.sha) return options.sha;
  return probe(io, probes.gitSha(), (r) => `cannot determine the git commit: ${firstLine(r)} (pass --sha)`);
}

/** Runs every check in order and returns where the image goes. */
export async function resolveTarget(options: BuildOptions, io: BuildIo): Promise<BuildTarget> {
  const server = await probe(io, probes.dockerServer(), (r) => `docker is not available: ${firstLine(r)}`);
  io.err(`docker engine ${server}`);
  const builder = await probe(io, probes.buildx(options), (r) =>
    options.builder
      ? `docker buildx builder "${options.builder}" is not available: ${firstLine(r)}`
      : `docker buildx is not available: ${firstLine(r)}`
  );
  const driver = /^Driver:\s*(\S+)/m.exec(builder)?.[1];
  if (options.platforms.length > 1 && driver === 'docker') {
    throw new PreflightError(
      `the buildx builder${options.builder ? ` "${options.builder}"` : ''} uses the docker driver, which cannot build ${options.platforms.join(' and ')} in one image: ` +
        'create one with `docker buildx create --use --driver docker-container` (and QEMU for foreign platforms), or pass --builder'
    );
  }

  const account = await probe(
    io,
    probes.callerAccount(options),
    (r) => `AWS credentials are not available: ${firstLine(r)}`
  );
  if (options.account && account !== options.account) {
    throw new PreflightError(
      `the AWS credentials belong to account ${account}, not --account ${options.account}`
    );
  }
  io.err(`AWS account ${account}, region ${options.region}`);

  let repositoryName = options.repository;
  if (!repositoryName) {
    const stack = options.stack as string;
    const value = await probe(
      io,
      probes.stackOutput(options, stack),
      (r) => `cannot read output ${options.stackOutput} of stack ${stack}: ${firstLine(r)}`
    );
    if (!value || value === 'None')
      throw new PreflightError(
        `stack ${stack} has no output ${options.stackOutput} (pass --repository or --stack-output)`
      );
    repositoryName = value;
  }
  const name = repositoryName;
  const uri = await probe(io, probes.repository(options, name), (r) =>
    /RepositoryNotFoundException/.test(r.stderr)
      ? `ECR repository ${name} does not exist in account ${account}, region ${options.region} (deploy the stack first, or check --repository)`
      : `cannot describe ECR repository ${name}: ${firstLine(r)}`
  );
  if (!uri || uri === 'None')
    throw new PreflightError(
      `ECR repository ${name} does not exist in account ${account}, region ${options.region}`
    );

  const sha = await resolveSha(options, io);
  if (!options.sha && !options.allowDirty) {
    const status = await io.run(probes.gitDirty());
    if (status.code !== 0) throw new PreflightError(`cannot read the git working tree: ${firstLine(status)}`);
    // Porcelain lines are "XY path": two status columns, a space, the path (do not trim them).
    const changed = status.stdout.split('\n').filter((line) => line.length > 3);
    if (changed.length > 0) {
      const files = changed
        .slice(0, 5)
        .map((line) => line.slice(3))
        .join(', ');
      throw new PreflightError(
        `uncommitted changes in the build context (${files}): the image would not be commit ${sha.slice(0, 12)}; commit them or pass --allow-dirty`
      );
    }
  }
  return { account, region: options.region, repositoryName: name, repositoryUri: uri, sha };
}

/**
 * Whether the commit's SHA tag is already in the repository. Its tags are immutable, so a second
 * push of the same tag would be refused after a whole build: a rerun for the same commit (a CI
 * retry) finds the image there and has nothing to do.
 */
async function alreadyPushed(options: BuildOptions, target: BuildTarget, io: BuildIo): Promise<boolean> {
  const result = await io.run(probes.shaTagPushed(options, target.repositoryName, target.sha));
  if (result.code === 0) return /^sha256:/.test(result.stdout.trim());
  if (/ImageNotFoundException/.test(result.stderr)) return false;
  throw new PreflightError(`cannot look up ${imageRef(target)} in ECR: ${firstLine(result)}`);
}

/** Logs in, builds and pushes; returns the image reference with the SHA tag. */
export async function buildAndPush(options: BuildOptions, io: BuildIo): Promise<string> {
  const target = await resolveTarget(options, io);
  if (await alreadyPushed(options, target, io)) {
    io.err(
      `${imageRef(target)} is already in the repository (its SHA tags are immutable): nothing to build or push; ${options.tag} is left where it is`
    );
    return imageRef(target);
  }
  const [login, build] = planCommands(options, target) as [Command, Command];
  const registry = login[login.length - 1] as string;
  io.err(`logging in to ${registry}`);
  const loggedIn = await io.run(login);
  if (loggedIn.code !== 0)
    throw new PreflightError(`docker login to ${registry} failed: ${firstLine(loggedIn)}`);
  io.err(`building ${options.platforms.join(', ')} and pushing ${imageRef(target)}`);
  io.err(formatCommand(build));
  const built = await io.run(build, { stream: true });
  if (built.code !== 0)
    throw new PreflightError(`docker buildx build failed with exit code ${built.code} (its output is above)`);
  return imageRef(target);
}

/**
 * Prints every command a real run would execute, then the image URI. Nothing runs except, when no
 * --sha is given, the read-only `git rev-parse HEAD` (the commit is part of every tag).
 */
export async function dryRun(options: BuildOptions, io: BuildIo): Promise<string> {
  const account = options.account as string;
  const name = options.repository as string;
  const target: BuildTarget = {
    account,
    region: options.region,
    repositoryName: name,
    repositoryUri: repositoryUri(account, options.region, name),
    sha: await resolveSha(options, io),
  };
  for (const command of [...probeCommands(options, name, target.sha), ...planCommands(options, target)])
    io.out(formatCommand(command));
  io.out(imageRef(target));
  return imageRef(target);
}

/** The whole script: 0 pushed (or planned), 1 a check or step failed, 2 bad options. */
export async function buildAndPushMain(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: BuildIo
): Promise<number> {
  let options: BuildOptions | undefined;
  try {
    options = parseBuildOptions(argv, env);
  } catch (error) {
    io.err(`error: ${describeError(error).message}`);
    return error instanceof ValidationError ? 2 : 1;
  }
  if (!options) {
    io.out(BUILD_USAGE);
    return 0;
  }
  try {
    const ref = options.dryRun ? await dryRun(options, io) : await buildAndPush(options, io);
    if (!options.dryRun) io.out(ref);
    return 0;
  } catch (error) {
    io.err(`error: ${describeError(error).message}`);
    return error instanceof ValidationError ? 2 : 1;
  }
}
