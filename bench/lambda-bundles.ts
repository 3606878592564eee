/**
 * Every stage Lambda's bundle, built with esbuild's API from the settings infra's StageFunction
 * uses (infra/constructs/lambda-bundling.ts), then measured: the minified size (esbuild metafile),
 * what is in it, the files shipped beside it, and its module initialisation time: a fresh `node`
 * process per sample that times require() of the bundle (median of `samples`), with the
 * NODE_OPTIONS the function gets on Lambda (--enable-source-maps).
 *
 * The AWS SDK is measured in both placements. For `runtime` the SDK must come from outside the
 * bundle, as /var/runtime/node_modules provides it on Lambda: a folder holding only `@aws-sdk` and
 * `@smithy` (links to this checkout's copies) is put on NODE_PATH, so a bundle that needs any
 * other package it left out fails to load instead of finding it in node_modules.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import {
  LAMBDA_BUNDLE,
  lambdaExternals,
  type SdkPlacement,
  shippedFiles,
} from '../infra/constructs/lambda-bundling';
import { type ProviderKind, STAGES } from '../stages/pipeline-plan';

export interface LambdaFunctionSpec {
  id: string;
  entry: string;
  providers: readonly ProviderKind[];
  memoryMb: number;
}

export interface BundleVariant {
  name: string;
  sdk: SdkPlacement;
  /** A what-if: stage sources import zod as a namespace (`import * as z`) instead of `{ z }`. */
  zodNamespaceImport?: boolean;
  sourceMaps?: boolean;
}

export interface BundleMeasurement {
  fn: string;
  variant: string;
  bytes: number;
  mapBytes: number;
  /** Files copied beside the bundle (mespeak for tts). */
  shippedBytes: number;
  externals: string[];
  /** The biggest contributors (package or `src`), KiB in the minified output. */
  topInputs: { name: string; kib: number }[];
  /** Bytes of the output that come from the AWS SDK (`@aws-sdk/*`, `@smithy/*`, `@aws-crypto/*`, `@aws/*`). */
  sdkBytes: number;
  /** Median wall-clock time of require() in a fresh process. */
  initMs: number;
  /** Median CPU time (user + system) of the same require(): less sensitive to other load. */
  initCpuMs: number;
  initSamplesMs: number[];
}

/** The run-status function's memory (infra/constructs/stage-functions.ts default). */
export const RUN_STATUS_MEMORY_MB = 256;

/** The Lambda functions infra deploys: one per `lambda` stage plus run-status. */
export function lambdaFunctions(root: string): LambdaFunctionSpec[] {
  const stages = STAGES.filter((s) => s.runtime === 'lambda').map((s) => ({
    id: s.id,
    entry: path.join(root, 'stages', s.id, 'handler.ts'),
    providers: s.providers ?? [],
    memoryMb: s.lambda.memoryMb,
  }));
  return [
    ...stages,
    {
      id: 'run-status',
      entry: path.join(root, 'stages', 'run-status', 'handler.ts'),
      providers: [],
      memoryMb: RUN_STATUS_MEMORY_MB,
    },
  ];
}

/** Rewrites `import { z } from 'zod'` to a namespace import in the project's own sources. */
const zodNamespacePlugin = (root: string): Plugin => ({
  name: 'zod-namespace-import',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`) || !args.path.startsWith(root))
        return undefined;
      const source = await readFile(args.path, 'utf8');
      return {
        contents: source.replace(/import \{ z \} from 'zod';/g, "import * as z from 'zod';"),
        loader: 'ts',
      };
    });
  },
});

function topInputs(metafile: Metafile, outfile: string): { name: string; kib: number }[] {
  const output = Object.entries(metafile.outputs).find(([file]) => path.resolve(file) === outfile)?.[1];
  const byName = new Map<string, number>();
  for (const [file, info] of Object.entries(output?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? 'src';
    byName.set(pkg, (byName.get(pkg) ?? 0) + info.bytesInOutput);
  }
  return [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, bytes]) => ({ name, kib: Math.round(bytes / 102.4) / 10 }));
}

/** Output bytes that come from the AWS SDK's packages. */
function sdkBytes(metafile: Metafile, outfile: string): number {
  const output = Object.entries(metafile.outputs).find(([file]) => path.resolve(file) === outfile)?.[1];
  let total = 0;
  for (const [file, info] of Object.entries(output?.inputs ?? {})) {
    if (/node_modules\/(@aws-sdk|@smithy|@aws-crypto|@aws)\//.test(file)) total += info.bytesInOutput;
  }
  return total;
}

interface InitSample {
  wallMs: number;
  cpuMs: number;
}

/** Times require() of `bundle` in a fresh node process: wall-clock and CPU (user + system) time. */
function timeRequire(bundle: string, env: NodeJS.ProcessEnv, sourceMaps: boolean): Promise<InitSample> {
  const script = [
    'const c=process.cpuUsage();const t=performance.now();',
    `const m=require(${JSON.stringify(bundle)});`,
    'const wallMs=performance.now()-t;const u=process.cpuUsage(c);',
    "if(typeof m.handler!=='function')throw new Error('the bundle exports no handler');",
    'process.stdout.write(JSON.stringify({wallMs,cpuMs:(u.user+u.system)/1000}));',
  ].join('');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(sourceMaps ? ['--enable-source-maps'] : []), '-e', script], {
      cwd: path.dirname(bundle),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as InitSample);
      else
        reject(
          new Error(
            `loading ${bundle} failed (exit ${code}): ${err.trim().split('\n').slice(0, 3).join(' | ')}`
          )
        );
    });
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface BundleBenchOptions {
  root: string;
  variants: readonly BundleVariant[];
  samples?: number;
  functions?: readonly LambdaFunctionSpec[];
}

/**
 * A stand-in for the Lambda runtime's own SDK (/var/runtime/node_modules): `dir` gets links to this
 * checkout's `@aws-sdk` and `@smithy` and nothing else. Put it on NODE_PATH.
 */
export async function linkRuntimeSdk(root: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const scope of ['@aws-sdk', '@smithy'])
    await symlink(path.join(root, 'node_modules', scope), path.join(dir, scope), 'dir');
}

export interface Built {
  fn: LambdaFunctionSpec;
  variant: BundleVariant;
  outfile: string;
  result: Omit<BundleMeasurement, 'initMs' | 'initCpuMs' | 'initSamplesMs'>;
  samples: InitSample[];
}

/**
 * Builds every function in every variant, then samples module init round-robin (one sample of
 * each bundle per round), so load from other processes on the machine spreads over all bundles
 * alike. Cleans up its temp folder.
 */
export async function measureBundles(options: BundleBenchOptions): Promise<BundleMeasurement[]> {
  const work = await mkdtemp(path.join(tmpdir(), 'podcast-bundles-'));
  const runtimeModules = path.join(work, 'runtime', 'node_modules');
  await linkRuntimeSdk(options.root, runtimeModules);
  try {
    const built: Built[] = [];
    for (const variant of options.variants) {
      for (const fn of options.functions ?? lambdaFunctions(options.root))
        built.push(await buildOne(fn, variant, options.root, work));
    }
    for (let round = 0; round < (options.samples ?? 5); round++) {
      for (const b of built) {
        const env: NodeJS.ProcessEnv = {
          PATH: process.env.PATH ?? '',
          AWS_REGION: 'us-east-1',
          NODE_PATH: b.variant.sdk === 'runtime' ? runtimeModules : '',
        };
        b.samples.push(await timeRequire(b.outfile, env, b.variant.sourceMaps ?? true));
      }
    }
    return built.map((b) => ({
      ...b.result,
      initMs: median(b.samples.map((x) => x.wallMs)),
      initCpuMs: median(b.samples.map((x) => x.cpuMs)),
      initSamplesMs: b.samples.map((x) => Math.round(x.wallMs * 10) / 10),
    }));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Builds one function's bundle under `<work>/<variant>/<fn>/` and copies its shipped files beside it. */
export async function buildOne(
  fn: LambdaFunctionSpec,
  variant: BundleVariant,
  root: string,
  work: string
): Promise<Built> {
  const outdir = path.join(work, variant.name, fn.id);
  const outfile = path.join(outdir, 'index.js');
  const externals = lambdaExternals(fn.providers, variant.sdk);
  const result = await build({
    entryPoints: [fn.entry],
    outfile,
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: LAMBDA_BUNDLE.target,
    format: LAMBDA_BUNDLE.format,
    mainFields: LAMBDA_BUNDLE.mainFields,
    minify: LAMBDA_BUNDLE.minify,
    keepNames: LAMBDA_BUNDLE.keepNames,
    sourcemap: LAMBDA_BUNDLE.sourceMap,
    sourcesContent: LAMBDA_BUNDLE.sourcesContent,
    external: externals,
    metafile: true,
    logLevel: 'error',
    plugins: variant.zodNamespaceImport ? [zodNamespacePlugin(root)] : [],
  });
  let shippedBytes = 0;
  for (const file of shippedFiles(fn.providers)) {
    const target = path.join(outdir, file.to);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(root, file.from), target);
    shippedBytes += (await stat(target)).size;
  }
  return {
    fn,
    variant,
    outfile,
    samples: [],
    result: {
      fn: fn.id,
      variant: variant.name,
      bytes: (await stat(outfile)).size,
      mapBytes: (await stat(`${outfile}.map`)).size,
      shippedBytes,
      externals,
      topInputs: topInputs(result.metafile, outfile),
      sdkBytes: sdkBytes(result.metafile, outfile),
    },
  };
}
