import { buildAndPushMain, type BuildIo } from '../../scripts/lib/build-and-push-run';
import { parseBuildOptions, planCommands, type BuildTarget } from '../../scripts/lib/build-plan';
import {
  type Command,
  type CommandResult,
  formatCommand,
  type RunOptions,
  spawnRunner,
} from '../../scripts/lib/command-runner';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const URI = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/podcast-platform';
const BASE = ['--account', '123456789012', '--region', 'eu-west-1', '--repository', 'podcast-platform'];

const ok = (stdout = ''): CommandResult => ({ code: 0, stdout, stderr: '' });
const fail = (stderr: string, code = 1): CommandResult => ({ code, stdout: '', stderr });

/** A runner that answers by the command's first words and records what ran. */
function fakeRunner(answers: Record<string, CommandResult>) {
  const calls: { line: string; options?: RunOptions }[] = [];
  const run = async (command: Command, options?: RunOptions): Promise<CommandResult> => {
    const line = formatCommand(command);
    calls.push({ line, ...(options ? { options } : {}) });
    const key = Object.keys(answers).find((prefix) => line.startsWith(prefix));
    if (!key) throw new Error(`unexpected command: ${line}`);
    return answers[key] as CommandResult;
  };
  return { run, calls };
}

function capture(run: BuildIo['run']) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { run, out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const healthy: Record<string, CommandResult> = {
  'docker version': ok('28.2.2\n'),
  'docker buildx inspect': ok('Name: ci\nDriver: docker-container\n'),
  'aws sts get-caller-identity': ok('123456789012\n'),
  'aws ecr describe-repositories': ok(`${URI}\n`),
  'git rev-parse HEAD': ok(`${SHA}\n`),
  'git status --porcelain': ok(''),
  'aws ecr describe-images': fail(
    "An error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {imageDigest:'null', imageTag:'0123456789ab'} does not exist",
    254
  ),
  'aws ecr get-login-password': ok('Login Succeeded\n'),
  'docker buildx build': ok(''),
};

describe('build-and-push --dry-run', () => {
  it('prints every command, then the image URI tagged with the commit, and runs nothing', async () => {
    // Prepare
    const runner = fakeRunner({});
    const { io, out } = capture(runner.run);

    // Act
    const code = await buildAndPushMain(
      [...BASE, '--dry-run', '--sha', SHA, '--platforms', 'linux/arm64,linux/amd64'],
      {},
      io
    );

    // Assess
    expect(code).toBe(0);
    expect(runner.calls).toEqual([]);
    expect(out).toEqual([
      "docker version --format '{{.Server.Version}}'",
      'docker buildx inspect',
      'aws sts get-caller-identity --region eu-west-1 --query Account --output text',
      "aws ecr describe-repositories --region eu-west-1 --repository-names podcast-platform --query 'repositories[0].repositoryUri' --output text",
      "aws ecr describe-images --region eu-west-1 --repository-name podcast-platform --image-ids imageTag=0123456789ab --query 'imageDetails[0].imageDigest' --output text",
      'aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      `docker buildx build --platform linux/arm64,linux/amd64 -f containers/orchestrator/Dockerfile -t ${URI}:0123456789ab -t ${URI}:latest --build-arg GIT_SHA=${SHA} --build-arg IMAGE_VERSION=0123456789ab --push .`,
      `${URI}:0123456789ab`,
    ]);
  });

  it('reads the commit with git rev-parse only, and takes the moving tag from --tag', async () => {
    const runner = fakeRunner({ 'git rev-parse HEAD': ok(`${SHA}\n`) });
    const { io, out } = capture(runner.run);

    const code = await buildAndPushMain(
      [...BASE, '--dry-run', '--tag', 'latest-stable'],
      { AWS_REGION: 'us-east-1' },
      io
    );

    expect(code).toBe(0);
    expect(runner.calls.map((c) => c.line)).toEqual(['git rev-parse HEAD']);
    expect(out).toContain(
      'git status --porcelain -- package.json package-lock.json tsconfig.json stages containers stepfunctions scripts/lib'
    );
    expect(out.find((l) => l.startsWith('docker buildx build'))).toContain(
      `-t ${URI}:0123456789ab -t ${URI}:latest-stable`
    );
    expect(out[out.length - 1]).toBe(`${URI}:0123456789ab`);
  });

  it('refuses a --tag the repository would not let move (its tags are immutable but latest and latest-*)', async () => {
    const { io, err } = capture(fakeRunner({}).run);

    const code = await buildAndPushMain([...BASE, '--dry-run', '--sha', SHA, '--tag', 'stable'], {}, io);

    expect(code).toBe(2);
    expect(err).toEqual([
      'error: --tag: "stable" is not a tag the repository lets move (latest, latest-*); its other tags are immutable, so the next build could not move it. Deploy by the SHA tag; pick a moving tag such as latest-stable',
    ]);
  });

  it('needs --account and --repository, since it asks neither STS nor the stack', async () => {
    const { io, err } = capture(fakeRunner({}).run);

    const noAccount = await buildAndPushMain(
      ['--region', 'eu-west-1', '--repository', 'podcast-platform', '--dry-run', '--sha', SHA],
      {},
      io
    );
    const noRepository = await buildAndPushMain(
      ['--account', '123456789012', '--region', 'eu-west-1', '--stack', 'Pipeline', '--dry-run'],
      {},
      io
    );

    expect([noAccount, noRepository]).toEqual([2, 2]);
    expect(err).toEqual([
      'error: --dry-run does not call STS: pass --account (or set AWS_ACCOUNT_ID)',
      'error: --dry-run does not read the stack: pass --repository',
    ]);
  });

  it('rejects a region it cannot find and an unsupported platform', () => {
    expect(() => parseBuildOptions(['--repository', 'x1'], {})).toThrow(
      'no region: pass --region or set AWS_REGION'
    );
    expect(() => parseBuildOptions([...BASE, '--platforms', 'linux/s390x'], {})).toThrow(
      '--platforms: "linux/s390x" is not one of linux/arm64, linux/amd64'
    );
  });
});

describe('planCommands', () => {
  it('logs in through a pipe and builds with the builder, both tags and --push', () => {
    const options = parseBuildOptions([...BASE, '--builder', 'multi', '--sha', SHA], {})!;
    const target: BuildTarget = {
      account: '123456789012',
      region: 'eu-west-1',
      repositoryName: 'podcast-platform',
      repositoryUri: URI,
      sha: SHA,
    };

    const [login, build] = planCommands(options, target);

    expect(login).toEqual([
      'aws',
      'ecr',
      'get-login-password',
      '--region',
      'eu-west-1',
      '|',
      'docker',
      'login',
      '--username',
      'AWS',
      '--password-stdin',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    ]);
    expect(build?.slice(0, 7)).toEqual([
      'docker',
      'buildx',
      'build',
      '--builder',
      'multi',
      '--platform',
      'linux/arm64',
    ]);
    expect(build).toEqual(expect.arrayContaining([`${URI}:0123456789ab`, `${URI}:latest`, '--push']));
    expect(build?.[build.length - 1]).toBe('.');
  });
});

describe('build-and-push preflight', () => {
  it('fails fast when docker is missing, before touching AWS', async () => {
    const runner = fakeRunner({ ...healthy, 'docker version': fail('docker: command not found', 127) });
    const { io, out, err } = capture(runner.run);

    const code = await buildAndPushMain(
      ['--region', 'eu-west-1', '--repository', 'podcast-platform'],
      {},
      io
    );

    expect(code).toBe(1);
    expect(err).toEqual(['error: docker is not available: docker: command not found']);
    expect(runner.calls).toHaveLength(1);
    expect(out).toEqual([]);
  });

  it('names a docker engine that is not running', async () => {
    // What `docker version --format` prints with a client and no engine (measured).
    const noEngine = {
      code: 1,
      stdout: '\n',
      stderr:
        'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
    };
    const runner = fakeRunner({ ...healthy, 'docker version': noEngine });
    const { io, err } = capture(runner.run);

    const code = await buildAndPushMain(
      ['--region', 'eu-west-1', '--repository', 'podcast-platform'],
      {},
      io
    );

    expect(code).toBe(1);
    expect(err[err.length - 1]).toBe(
      'error: docker is not available: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'
    );
  });

  it('fails when there are no AWS credentials, and never logs in', async () => {
    const runner = fakeRunner({
      ...healthy,
      'aws sts get-caller-identity': fail(
        '\nUnable to locate credentials. You can configure credentials by running "aws configure".'
      ),
    });
    const { io, err } = capture(runner.run);

    const code = await buildAndPushMain(
      ['--region', 'eu-west-1', '--repository', 'podcast-platform'],
      {},
      io
    );

    expect(code).toBe(1);
    expect(err[err.length - 1]).toBe(
      'error: AWS credentials are not available: Unable to locate credentials. You can configure credentials by running "aws configure".'
    );
    expect(runner.calls.some((c) => c.line.includes('get-login-password'))).toBe(false);
  });

  it('refuses credentials of another account than --account', async () => {
    const runner = fakeRunner({ ...healthy, 'aws sts get-caller-identity': ok('999999999999\n') });
    const { io, err } = capture(runner.run);

    const code = await buildAndPushMain(BASE, {}, io);

    expect(code).toBe(1);
    expect(err[err.length - 1]).toBe(
      'error: the AWS credentials belong to account 999999999999, not --account 123456789012'
    );
  });

  it('names a repository that does not exist', async () => {
    const runner = fakeRunner({
      ...healthy,
      'aws ecr describe-repositories': fail(
        "An error occurred (RepositoryNotFoundException) when calling the DescribeRepositories operation: The repository with name 'nope' does not exist"
      ),
    });
    const { io, err } = capture(runner.run);

    const code = await buildAndPushMain(['--region', 'eu-west-1', '--repository', 'nope'], {}, io);

    expect(code).toBe(1);
    expect(err[err.length - 1]).toBe(
      'error: ECR repository nope does not exist in account 123456789012, region eu-west-1 (deploy the stack first, or check --repository)'
    );
  });

  it('reads the repository from the stack output, and says when the output is missing', async () => {
    const runner = fakeRunner({ ...healthy, 'aws cloudformation describe-stacks': ok('None\n') });
    const { io, err } = capture(runner.run);

    const code = await buildAndPushMain(['--region', 'eu-west-1', '--stack', 'PodcastPlatform'], {}, io);

    expect(code).toBe(1);
    expect(runner.calls.map((c) => c.line)).toContain(
      "aws cloudformation describe-stacks --region eu-west-1 --stack-name PodcastPlatform --query 'Stacks[0].Outputs[?OutputKey=='\\''ContainerRepositoryName'\\''].OutputValue' --output text"
    );
    expect(err[err.length - 1]).toBe(
      'error: stack PodcastPlatform has no output ContainerRepositoryName (pass --repository or --stack-output)'
    );
  });

  it('names a missing buildx plugin', async () => {
    // What a docker CLI without the buildx plugin prints (measured).
    const runner = fakeRunner({
      ...healthy,
      'docker buildx inspect': fail(
        "docker: unknown command: docker buildx\n\nRun 'docker --help' for more information\n"
      ),
    });
    const { io, err } = capture(runner.run);

    const code = await buildAndPushMain(BASE, {}, io);

    expect(code).toBe(1);
    expect(err[err.length - 1]).toBe(
      'error: docker buildx is not available: docker: unknown command: docker buildx'
    );
  });

  it('needs a docker-container builder for several platforms', async () => {
    const runner = fakeRunner({ ...healthy, 'docker buildx inspect': ok('Name: default\nDriver: docker\n') });
    const { io, err } = capture(runner.run);

    const code = await buildAndPushMain([...BASE, '--platforms', 'linux/arm64,linux/amd64'], {}, io);

    expect(code).toBe(1);
    expect(err[err.length - 1]).toMatch(
      /^error: the buildx builder uses the docker driver, which cannot build linux\/arm64 and linux\/amd64 in one image/
    );
  });

  it('refuses uncommitted changes in the build context unless --allow-dirty', async () => {
    const dirty = fakeRunner({
      ...healthy,
      'git status --porcelain': ok(' M stages/registry.ts\n?? stages/new.ts\n'),
    });
    const first = capture(dirty.run);
    const clean = fakeRunner(healthy);
    const second = capture(clean.run);

    const refused = await buildAndPushMain(BASE, {}, first.io);
    const allowed = await buildAndPushMain([...BASE, '--allow-dirty'], {}, second.io);

    expect(refused).toBe(1);
    expect(first.err[first.err.length - 1]).toBe(
      'error: uncommitted changes in the build context (stages/registry.ts, stages/new.ts): the image would not be commit 0123456789ab; commit them or pass --allow-dirty'
    );
    expect(allowed).toBe(0);
    expect(clean.calls.some((c) => c.line.startsWith('git status'))).toBe(false);
  });
});

describe('build-and-push', () => {
  it('checks, logs in, builds and pushes, and prints only the image URI on stdout', async () => {
    const runner = fakeRunner(healthy);
    const { io, out } = capture(runner.run);

    const code = await buildAndPushMain(BASE, { GITHUB_SHA: SHA }, io);

    expect(code).toBe(0);
    expect(runner.calls.map((c) => c.line.split(' ').slice(0, 3).join(' '))).toEqual([
      'docker version --format',
      'docker buildx inspect',
      'aws sts get-caller-identity',
      'aws ecr describe-repositories',
      'aws ecr describe-images',
      'aws ecr get-login-password',
      'docker buildx build',
    ]);
    expect(runner.calls[6]?.options).toEqual({ stream: true });
    expect(out).toEqual([`${URI}:0123456789ab`]);
  });

  it('builds nothing when the commit is already pushed (SHA tags are immutable: a rerun cannot push it again)', async () => {
    const runner = fakeRunner({ ...healthy, 'aws ecr describe-images': ok('sha256:4f1c0ffee\n') });
    const { io, out, err } = capture(runner.run);

    const code = await buildAndPushMain(BASE, { GITHUB_SHA: SHA }, io);

    expect(code).toBe(0);
    expect(runner.calls.map((c) => c.line)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(docker buildx build|aws ecr get-login-password)/)])
    );
    expect(err[err.length - 1]).toBe(
      `${URI}:0123456789ab is already in the repository (its SHA tags are immutable): nothing to build or push; latest is left where it is`
    );
    expect(out).toEqual([`${URI}:0123456789ab`]);
  });

  it('stops when it cannot tell whether the commit is already pushed', async () => {
    const runner = fakeRunner({
      ...healthy,
      'aws ecr describe-images': fail(
        'An error occurred (AccessDeniedException) when calling the DescribeImages operation',
        254
      ),
    });
    const { io, err } = capture(runner.run);

    expect(await buildAndPushMain(BASE, { GITHUB_SHA: SHA }, io)).toBe(1);
    expect(err[err.length - 1]).toBe(
      `error: cannot look up ${URI}:0123456789ab in ECR: An error occurred (AccessDeniedException) when calling the DescribeImages operation`
    );
  });

  it('reports a failed build with its exit code', async () => {
    const runner = fakeRunner({ ...healthy, 'docker buildx build': fail('ERROR: failed to solve', 17) });
    const { io, out, err } = capture(runner.run);

    const code = await buildAndPushMain(BASE, { GITHUB_SHA: SHA }, io);

    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err[err.length - 1]).toBe(
      'error: docker buildx build failed with exit code 17 (its output is above)'
    );
  });
});

describe('spawnRunner', () => {
  it('pipes one command into the next without returning the piped secret', async () => {
    const node = process.execPath;

    const result = await spawnRunner([
      node,
      '-e',
      'process.stdout.write("s3cret-password")',
      '|',
      node,
      '-e',
      'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(`got ${s.length} chars`))',
    ]);

    expect(result).toEqual({ code: 0, stdout: 'got 15 chars\n', stderr: '' });
  });

  it('stops at the first failing stage and reports a missing program as 127', async () => {
    const result = await spawnRunner(['definitely-not-a-command-h7', '|', process.execPath, '-e', '']);

    expect(result.code).toBe(127);
    expect(result.stderr).toBe('definitely-not-a-command-h7: command not found');
  });
});
