/**
 * What goes into each stage Lambda's bundle: the one place that maps the plan's `providers` to
 * the heavy npm packages behind them, and the esbuild settings every StageFunction uses. The CDK
 * construct (stage-function.ts) turns these into NodejsFunction bundling props; the benchmark
 * (bench/lambda-bundles.ts) builds the same bundles with esbuild's API from the same values.
 *
 * Rules (measured with `npm run bench`, see bench/results.json):
 * - A provider package is left out of a bundle (esbuild `external`) unless the stage's registry
 *   `providers` name that provider. The adapters require these packages inside the function that
 *   first needs them, so a bundle without them still loads.
 * - `@ffmpeg-installer/*` is never in a Lambda: it is a native binary, and the one stage that
 *   mixes (mix) runs on ECS.
 * - mespeak (the offline speech engine, ~1.9 MB minified with its voice data) is not inlined even
 *   for tts: its files are copied beside the bundle (`node_modules/mespeak`, only the files it
 *   loads) and required on the first synthesis, so the tts bundle stays small and its module init
 *   does not pay for eSpeak.
 * - The AWS SDK: see SDK_PLACEMENT.
 */
import type { ProviderKind } from '../../stages/pipeline-plan';

/**
 * The npm packages each provider's adapters load. Cloud SDK clients appear under every provider
 * that may call them (the provider secret is read by both cloud providers).
 */
export const PROVIDER_PACKAGES: Readonly<Record<ProviderKind, readonly string[]>> = {
  fetcher: [],
  writer: ['@aws-sdk/client-bedrock-runtime', '@aws-sdk/client-secrets-manager'],
  speech: ['mespeak', '@aws-sdk/client-polly', '@aws-sdk/client-secrets-manager'],
  mixer: ['@ffmpeg-installer/*'],
  artwork: ['pngjs'],
};

/** Every provider kind, for "this function may call any provider". */
export const ALL_PROVIDERS: readonly ProviderKind[] = Object.keys(PROVIDER_PACKAGES) as ProviderKind[];

/** Packages no Lambda bundle contains, whatever its providers. */
export const NEVER_IN_LAMBDA: readonly string[] = ['@ffmpeg-installer/*'];

/**
 * Packages that, when a stage uses them, are shipped as files beside the bundle instead of being
 * inlined: `node_modules/<package>/<file>` in the function's asset, only the files listed.
 */
export const SHIPPED_BESIDE: Readonly<Record<string, readonly string[]>> = {
  mespeak: [
    'package.json',
    'src/index.js',
    'src/ESpeak.js',
    'src/mespeak_config.json',
    // The voices of the podcast languages (MESPEAK_VOICE_FILES in adapters/offline/mespeak-voices.ts).
    'voices/en/en-us.json',
    'voices/en/en.json',
    'voices/de.json',
    'voices/fr.json',
    'voices/es.json',
    'voices/es-la.json',
  ],
};

/**
 * Where the AWS SDK v3 comes from:
 * - `bundled`: the clients are inlined from package-lock's versions (what AWS's SDK team
 *   recommends for production: the version the code was tested with, no dependency on what the
 *   runtime ships, and the cloud providers' newer API fields always present);
 * - `runtime`: `@aws-sdk/*` and `@smithy/*` are external and load from the Node.js 22 runtime's
 *   own copy of SDK v3 (/var/runtime/node_modules): a much smaller bundle, a version chosen by
 *   Lambda.
 *
 * Decided by measurement (bench/results.json `bundles`, both placements, every Lambda): see the
 * comment on the chosen value.
 */
export type SdkPlacement = 'bundled' | 'runtime';

/**
 * `runtime`, by measurement (`npm run bench`, both placements built and loaded side by side for
 * every function; bench/results.json of 2026-11-23): the bundles are 568-726 KiB instead of
 * 1352-1580 KiB, and module init takes 150-165 ms of CPU instead of 171-229 ms (median of 5
 * fresh processes each; an earlier run with 11 samples gave wall-clock medians of 141-148 ms
 * against 168-172 ms). The runtime's SDK packages are single dist-cjs files that load about as
 * fast as the same code compiled inside a bundle, and a bundle without them has far less to
 * parse. What it costs: the SDK version is the one the Lambda runtime ships, not package-lock's
 * (which the tests run against), so an API field newer than the runtime's copy would be missing;
 * `@aws-sdk/*` and `@smithy/*` both come from the runtime so the set stays consistent. Set
 * `bundled` to pin the SDK: every function gains ~800 KiB and 20-60 ms of init.
 */
export const SDK_PLACEMENT: SdkPlacement = 'bundled';

/** What `runtime` placement leaves out (the CDK feature flag @aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages does the same). */
export const RUNTIME_SDK_PACKAGES: readonly string[] = ['@aws-sdk/*', '@smithy/*'];

/** Bundle settings shared by the construct and the benchmark (NodejsFunction names in comments). */
export const LAMBDA_BUNDLE = {
  /** `target` */
  target: 'node22',
  /** `format: OutputFormat.CJS` */
  format: 'cjs',
  /** `minify` */
  minify: true,
  /** `keepNames`: error class names stay readable in logs (Retry/Catch match literal names anyway). */
  keepNames: true,
  /**
   * `mainFields`: packages' ES module builds first (the AWS SDK's `dist-es`, tree-shakable),
   * their CommonJS builds otherwise. Measured on the S3 and DynamoDB clients bundled and minified:
   * 523 KB and ~45 ms CPU to load, against 801 KB and ~80 ms for their `dist-cjs` single files.
   */
  mainFields: ['module', 'main'] as string[],
  /** `sourceMap` with `sourceMapMode: DEFAULT` (a linked .map file) and `sourcesContent: false`. */
  sourceMap: true,
  sourcesContent: false,
} as const;

/** The heavy packages `providers` do not use, plus those no Lambda carries. */
function unusedProviderPackages(providers: readonly ProviderKind[]): string[] {
  const used = new Set(providers.flatMap((kind) => PROVIDER_PACKAGES[kind]));
  const all = new Set(ALL_PROVIDERS.flatMap((kind) => PROVIDER_PACKAGES[kind]));
  return [...all].filter((pkg) => !used.has(pkg));
}

/**
 * esbuild `external` for a stage function: the provider packages it does not use, the
 * never-in-Lambda ones, the packages shipped beside the bundle, and the SDK when it comes from the
 * runtime. Sorted and without duplicates (the order does not matter to esbuild; a stable list
 * keeps the asset hash stable).
 */
export function lambdaExternals(
  providers: readonly ProviderKind[],
  sdk: SdkPlacement = SDK_PLACEMENT
): string[] {
  const externals = new Set<string>([...unusedProviderPackages(providers), ...NEVER_IN_LAMBDA]);
  for (const pkg of shippedBeside(providers)) externals.add(pkg);
  if (sdk === 'runtime') for (const pkg of RUNTIME_SDK_PACKAGES) externals.add(pkg);
  return [...externals].sort();
}

/** The SHIPPED_BESIDE packages this stage's providers use. */
export function shippedBeside(providers: readonly ProviderKind[]): string[] {
  const used = new Set(providers.flatMap((kind) => PROVIDER_PACKAGES[kind]));
  return Object.keys(SHIPPED_BESIDE).filter((pkg) => used.has(pkg));
}

/** One file to copy into the asset: from `<projectRoot>/<from>` to `<outputDir>/<to>`. */
export interface ShippedFile {
  from: string;
  to: string;
}

/** The files copied beside the bundle for this stage (relative paths, POSIX separators). */
export function shippedFiles(providers: readonly ProviderKind[]): ShippedFile[] {
  return shippedBeside(providers).flatMap((pkg) =>
    (SHIPPED_BESIDE[pkg] ?? []).map((file) => ({
      from: `node_modules/${pkg}/${file}`,
      to: `node_modules/${pkg}/${file}`,
    }))
  );
}

/** Single-quotes a path for a POSIX shell command. */
function shellQuote(path: string): string {
  return `'${path.replace(/'/g, `'\\''`)}'`;
}

/**
 * Shell commands (NodejsFunction `commandHooks.afterBundling`) that copy the shipped files into
 * the asset. Local bundling runs them with the project root as `inputDir`.
 */
export function copyShippedFilesCommands(
  providers: readonly ProviderKind[],
  inputDir: string,
  outputDir: string
): string[] {
  return shippedFiles(providers).map(({ from, to }) => {
    const target = `${outputDir}/${to}`;
    const dir = target.slice(0, target.lastIndexOf('/'));
    return `mkdir -p ${shellQuote(dir)} && cp ${shellQuote(`${inputDir}/${from}`)} ${shellQuote(target)}`;
  });
}
