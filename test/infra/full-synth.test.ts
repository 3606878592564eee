/**
 * The full synth, as `cdk synth` runs it, with the cdk-nag plugin registered the way
 * infra/bin/app.ts registers it (any unacknowledged finding throws), plus a real esbuild bundle of
 * one stage function (bundling all twelve takes about a minute; they share one entry wrapper).
 * CDK's built-in CloudFormation template validation stays off here: its WASM engine adds about
 * 11 s; `npm run synth` runs it on every synth.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledgeNagFindings } from '../../infra/bin/nag-acknowledgments';
import { StageFunction } from '../../infra/constructs/stage-function';
import { realStack } from './real-stack';
import { PROJECT_ROOT, logicalIdOf, testApp } from './stack-fixture';

describe('full synth', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'podcast-platform-synth-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes the stack through cdk-nag and bundles a stage function that loads', () => {
    // Prepare: the app as app.ts builds it, plus a stack holding one bundled stage function.
    const app = testApp({
      outdir,
      context: { 'aws:cdk:bundling-stacks': ['Bundled'], 'aws:cdk:enable-asset-metadata': true },
    });
    const stack = realStack({}, app);
    acknowledgeNagFindings(stack);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
    const bundledStack = new Stack(app, 'Bundled');
    const testOnly =
      'Test-only stack holding one bundled function; the pipeline stack acknowledges these findings per function.';
    Validations.of(bundledStack).acknowledge(
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: testOnly },
      { id: 'AwsSolutions-L1', reason: testOnly }
    );
    const bundled = new StageFunction(bundledStack, 'Prepare', {
      entry: path.join(PROJECT_ROOT, 'stages', 'prepare', 'handler.ts'),
      projectRoot: PROJECT_ROOT,
      memoryMb: 256,
      timeoutSeconds: 30,
      serviceName: 'podcast-platform',
    });

    // Act: throws on any validation or nag violation.
    const assembly = app.synth();

    // Assess: the pipeline stack is in the assembly...
    expect(assembly.getStackByName(stack.stackName).template.Resources).toBeDefined();
    // ...the function's asset is a minified bundle with a linked source map...
    const bundledTemplate = assembly.getStackByName('Bundled').template as {
      Resources: Record<string, { Metadata?: Record<string, string> }>;
    };
    const fnId = logicalIdOf(bundled.function);
    const bundle = path.join(
      outdir,
      String(bundledTemplate.Resources[fnId]?.Metadata?.['aws:asset:path']),
      'index.js'
    );
    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    expect(readFileSync(bundle, 'utf8')).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
    expect(statSync(bundle).size).toBeLessThan(10 * 1024 * 1024);
    // ...and the bundle loads outside the repository (nothing left to resolve from node_modules) and exports the handler.
    // A plain node process (not jest's module system) loads it the way the Lambda runtime does.
    const probe = `const m=require(${JSON.stringify(bundle)});process.stdout.write(JSON.stringify({type:typeof m.handler}))`;
    const child = spawnSync(process.execPath, ['--enable-source-maps', '-e', probe], {
      cwd: outdir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(child.stderr).toBe('');
    const loaded = JSON.parse(child.stdout) as { type: string };
    expect(loaded.type).toBe('function');
  });
});
