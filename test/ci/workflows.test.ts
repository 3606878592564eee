/**
 * The GitHub workflows (.github/workflows): each one valid for GitHub (action-validator, the
 * workflow schema and its glob checks), and the properties the project relies on: pull requests
 * run exactly the README's test command; main deploys only after those tests, on OIDC
 * credentials, with the SHA tag build-and-push printed; the shell steps do what they say.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_GITHUB_BRANCH } from '../../infra/constructs/github-deploy-role';
import { DEFAULT_PLATFORMS } from '../../scripts/lib/build-plan';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  uses?: string;
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  steps?: Step[];
  'runs-on'?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}

const workflowFiles = readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file));
const load = (file: string) => parse(readFileSync(path.join(WORKFLOWS, file), 'utf8')) as Workflow;
const steps = (job: Job | undefined) => job?.steps ?? [];
const actionSteps = (job: Job | undefined, action: string) =>
  steps(job).filter((step) => step.uses?.split('@')[0] === action);

/** The README's test command: the `npm test` line of the "Set-up" section's code block. */
function readmeTestCommand(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const setUp = readme.split(/^## /m).find((section) => section.startsWith('Set-up'));
  const block = /```bash\n([\s\S]*?)```/.exec(setUp ?? '')?.[1] ?? '';
  const commands = block.split('\n').filter((line) => /\bnpm test\b/.test(line) && !line.startsWith('#'));
  expect(commands).toHaveLength(1);
  return commands[0]!.trim();
}

/** `action-validator <file>` (@action-validator/cli: the WASM build of action-validator, offline). */
function actionValidator(file: string): { status: number | null; output: string } {
  const cli = require.resolve('@action-validator/cli/cli.mjs');
  const result = spawnSync(process.execPath, [cli, file], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Runs one `run:` script with bash as GitHub does (`bash -e`, plus pipefail under `shell: bash`). */
function runStep(script: string, cwd: string, env: Record<string, string>) {
  return spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
}

describe('the GitHub workflows', () => {
  it('are there: ci.yml and deploy.yml', () => {
    expect(workflowFiles.sort()).toEqual(['ci.yml', 'deploy.yml']);
  });

  it.each(workflowFiles)('%s passes action-validator (GitHub workflow schema and globs)', (file) => {
    expect(actionValidator(path.join(WORKFLOWS, file))).toEqual({ status: 0, output: '' });
  });

  it('are checked by a validator that does reject a broken workflow', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'workflow-'));
    try {
      const broken = path.join(dir, 'broken.yml');
      writeFileSync(
        broken,
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: nothere\n    steps:\n      - run: true\n'
      );
      const result = actionValidator(broken);
      expect(result.status).toBe(1);
      expect(result.output).toContain('unresolved job nothere');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pin every action to a full commit SHA, with its version in a comment', () => {
    for (const file of workflowFiles) {
      const text = readFileSync(path.join(WORKFLOWS, file), 'utf8');
      const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)].filter(
        ([, ref]) => !ref!.startsWith('./')
      );
      expect(uses.length).toBeGreaterThan(0);
      for (const [line, ref, rest] of uses)
        expect([file, line.trim(), /@[0-9a-f]{40}$/.test(ref!), /^ # v\d+\.\d+\.\d+$/.test(rest!)]).toEqual([
          file,
          line.trim(),
          true,
          true,
        ]);
    }
  });
});

describe('ci.yml', () => {
  const ci = load('ci.yml');
  const job = ci.jobs.test;

  it('runs on pull requests and pushes, and is callable by the deploy workflow', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_call']);
    // main's pushes are tested by deploy.yml's call, ahead of its deploy (not twice).
    expect(ci.on.push).toEqual({ 'branches-ignore': [DEFAULT_GITHUB_BRANCH] });
  });

  it("runs exactly the README's test command, on Node 20 with the npm cache, reading the repository only", () => {
    expect(readmeTestCommand()).toBe('npm ci && npm test');
    expect(
      steps(job)
        .filter((step) => step.run)
        .map((step) => step.run!.trim())
    ).toEqual([readmeTestCommand()]);
    expect(job?.['runs-on']).toBe('ubuntu-latest');
    expect(actionSteps(job, 'actions/setup-node')[0]?.with).toEqual({ 'node-version': 20, cache: 'npm' });
    expect(actionSteps(job, 'actions/checkout')).toHaveLength(1);
    expect(ci.permissions).toEqual({ contents: 'read' });
  });
});

describe('deploy.yml', () => {
  const deploy = load('deploy.yml');
  const job = deploy.jobs.deploy;
  const runSteps = steps(job).filter((step) => step.run);
  const buildStep = runSteps.find((step) => /npm run --silent build-and-push\b/.test(step.run!));
  const deployStep = runSteps.find((step) => /\bnpx cdk deploy\b/.test(step.run!));
  const guardStep = runSteps.find((step) => step.run!.includes('cdk.json'));

  it('runs on pushes to the branch the role trusts by default, one deploy at a time, never cancelled', () => {
    expect(deploy.on).toEqual({ push: { branches: [DEFAULT_GITHUB_BRANCH] } });
    expect(deploy.concurrency).toEqual({ group: expect.any(String), 'cancel-in-progress': false });
    expect(deploy.concurrency?.group).not.toMatch(/\$\{\{/);
  });

  it('deploys only after the tests of ci.yml pass', () => {
    const testJobs = Object.entries(deploy.jobs)
      .filter(([, other]) => other.uses === './.github/workflows/ci.yml')
      .map(([id]) => id);
    expect(testJobs).toHaveLength(1);
    expect([job?.needs].flat()).toEqual(testJobs);
  });

  it('gets OIDC credentials (id-token: write) for the role in AWS_DEPLOY_ROLE_ARN, and nothing else writes', () => {
    expect(deploy.permissions).toEqual({ contents: 'read' });
    expect(job?.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(job?.if).toBe("vars.AWS_DEPLOY_ROLE_ARN != ''");
    const credentials = actionSteps(job, 'aws-actions/configure-aws-credentials');
    expect(credentials.length).toBeGreaterThanOrEqual(1);
    for (const step of credentials) {
      expect(step.with).toMatchObject({
        'role-to-assume': '${{ vars.AWS_DEPLOY_ROLE_ARN }}',
        'aws-region': '${{ vars.AWS_REGION }}',
        'role-duration-seconds': 3600,
      });
      expect(Object.keys(step.with ?? {})).not.toContain('aws-access-key-id');
    }
    // A fresh session right before the deploy (a session lasts one hour at most).
    const order = steps(job).map(
      (step) => step.uses?.split('@')[0] ?? step.run?.trim().split(/\s+/).slice(0, 3).join(' ')
    );
    expect(order.lastIndexOf('aws-actions/configure-aws-credentials')).toBe(
      steps(job).indexOf(deployStep!) - 1
    );
  });

  it('builds for the platform build-and-push builds by default (arm64 under QEMU on an x86-64 runner)', () => {
    expect(DEFAULT_PLATFORMS).toEqual(['linux/arm64']);
    expect(actionSteps(job, 'docker/setup-qemu-action')[0]?.with).toEqual({ platforms: 'arm64' });
    expect(actionSteps(job, 'docker/setup-buildx-action')).toHaveLength(1);
    const names = steps(job).map((step) => step.uses?.split('@')[0] ?? step.run?.trim());
    expect(names.indexOf('npm ci')).toBeLessThan(steps(job).indexOf(buildStep!));
  });

  it('passes the SHA tag build-and-push printed to cdk deploy', () => {
    expect(buildStep?.id).toBeDefined();
    expect(buildStep?.run).toContain('--region "$AWS_REGION" --stack "$STACK_NAME"');
    expect(deployStep?.env).toEqual({ IMAGE_TAG: `\${{ steps.${buildStep!.id}.outputs.tag }}` });
    expect(deployStep?.run?.trim()).toBe(
      'npx cdk deploy "$STACK_NAME" --require-approval never -c "podcast-platform:imageTag=$IMAGE_TAG"'
    );
  });

  describe('the build-and-push step', () => {
    const sha = '3f2a9c1e5b7d9f0a1c3e5b7d9f0a1c3e5b7d9f0a';
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'deploy-step-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** The step, with a fake `npm` that prints `stdout` (progress goes to stderr, as build-and-push does). */
    const run = (stdout: string) => {
      const bin = path.join(dir, 'bin');
      mkdirSync(bin);
      writeFileSync(
        path.join(bin, 'npm'),
        `#!/usr/bin/env bash\necho "npm $*" > "${dir}/argv"\necho "building..." >&2\nprintf '%s' '${stdout}'\n`
      );
      chmodSync(path.join(bin, 'npm'), 0o755);
      const output = path.join(dir, 'output');
      writeFileSync(output, '');
      const result = runStep(buildStep!.run!, dir, {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        GITHUB_SHA: sha,
        GITHUB_OUTPUT: output,
        AWS_REGION: 'eu-west-1',
        STACK_NAME: 'PodcastPlatform',
      });
      return {
        ...result,
        output: readFileSync(output, 'utf8'),
        argv: readFileSync(path.join(dir, 'argv'), 'utf8'),
      };
    };

    it("outputs the tag from build-and-push's last stdout line", () => {
      const uri = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/podcast-platform-abc:3f2a9c1e5b7d';
      const result = run(`something else\n${uri}\n`);
      expect(result.status).toBe(0);
      expect(result.argv.trim()).toBe(
        'npm run --silent build-and-push -- --region eu-west-1 --stack PodcastPlatform'
      );
      expect(result.output).toBe(`uri=${uri}\ntag=3f2a9c1e5b7d\n`);
    });

    it('fails when the image printed is not tagged with the commit', () => {
      const result = run('123456789012.dkr.ecr.eu-west-1.amazonaws.com/podcast-platform:latest\n');
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('::error::build-and-push printed');
      expect(result.output).toBe('');
    });
  });

  describe('the cdk.json check', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'deploy-guard-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const check = (context: Record<string, unknown>, repository = 'Octo-Org/octo-repo', ref = 'main') => {
      writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ app: 'x', context }));
      const githubEnv = path.join(dir, 'env');
      writeFileSync(githubEnv, '');
      const result = runStep(guardStep!.run!, dir, {
        GITHUB_REPOSITORY: repository,
        GITHUB_REF_NAME: ref,
        GITHUB_ENV: githubEnv,
      });
      return { status: result.status, stdout: result.stdout, env: readFileSync(githubEnv, 'utf8') };
    };

    it("passes when cdk.json names this repository and branch, and exports the stack's name", () => {
      expect(check({ 'podcast-platform:githubRepository': 'octo-org/octo-repo' })).toEqual({
        status: 0,
        stdout: '',
        env: 'STACK_NAME=PodcastPlatform\n',
      });
      expect(
        check(
          {
            'podcast-platform:githubRepository': 'octo-org@1/octo-repo@2',
            'podcast-platform:githubBranch': 'release',
            'podcast-platform:stackName': 'PodcastPlatformProd',
          },
          'octo-org/octo-repo',
          'release'
        )
      ).toMatchObject({ status: 0, env: 'STACK_NAME=PodcastPlatformProd\n' });
    });

    it('refuses a deploy that would drop the role or trust another repository or branch', () => {
      const refused = [
        check({}),
        check({ 'podcast-platform:githubRepository': 'someone/else' }),
        check({ 'podcast-platform:githubRepository': 'octo-org/octo-repo' }, 'Octo-Org/octo-repo', 'dev'),
      ];
      expect(refused.map((r) => [r.status, r.env])).toEqual([
        [1, ''],
        [1, ''],
        [1, ''],
      ]);
      expect(refused[0]?.stdout).toContain(
        '::error file=cdk.json::podcast-platform:githubRepository is not set, so this deploy would delete the role it runs as'
      );
      expect(refused[1]?.stdout).toContain('is someone/else, not this repository (Octo-Org/octo-repo)');
      expect(refused[2]?.stdout).toContain('githubBranch is main, not the branch deploying (dev)');
    });
  });
});
