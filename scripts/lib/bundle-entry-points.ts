/**
 * Bundles the container's two entry points with esbuild: the monolithic orchestrator
 * (`dist/orchestrator.js`, the image's ENTRYPOINT) and the ECS stage task (`dist/stage-task.js`,
 * same image with the entry point overridden). The Dockerfile's build stage runs this file:
 *
 *   tsx scripts/lib/bundle-entry-points.ts dist
 *
 * Everything is bundled (the AWS SDK too: fewer files to load on a cold start) except:
 * - packages that must stay on disk because they load files by path at run time:
 *   `@ffmpeg-installer/*` spawns the `ffmpeg` binary that sits inside its platform package, and
 *   `mespeak` reads its config and voice JSON files from its own folder. They are production
 *   dependencies, so `npm ci --omit=dev` puts them in the image's node_modules;
 * - the embedded local servers (`dynalite` with its native LevelDB addon, `s3rver`): development
 *   dependencies that the orchestrator imports lazily, only when no AWS configuration is set. In
 *   the image they are absent and that import fails with a clear message instead.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';

/** Output name (without `.js`) -> entry file, relative to the repository root. */
export const ENTRY_POINTS = {
  orchestrator: 'containers/orchestrator/main.ts',
  'stage-task': 'containers/stage-task/main.ts',
} as const;

export type EntryName = keyof typeof ENTRY_POINTS;

/**
 * How the image starts each entry point. The orchestrator's is the Dockerfile's ENTRYPOINT; the
 * stage task's is what its ECS task definitions set as the container's `entryPoint` (RunTask
 * overrides can replace the command, never the entry point), or `docker run --entrypoint node`.
 */
export const IMAGE_ENTRYPOINTS: Record<EntryName, readonly string[]> = {
  orchestrator: ['node', '--enable-source-maps', 'dist/orchestrator.js'],
  'stage-task': ['node', '--enable-source-maps', 'dist/stage-task.js'],
};

/** Loaded from node_modules at run time (files read or spawned by path). */
export const RUNTIME_EXTERNALS = ['@ffmpeg-installer/*', 'mespeak'] as const;

/** Development-only packages behind a lazy import; never present in the production image. */
export const DEV_ONLY_EXTERNALS = ['dynalite', 's3rver', 'aws-local-stepfunctions'] as const;

/** The Node.js major the image runs (its base image is node:<major>-bookworm-slim). */
export const NODE_MAJOR = 22;

/** The esbuild options for `outdir`, with entry points resolved against `root`. */
export function bundleOptions(outdir: string, root: string = process.cwd()): BuildOptions {
  return {
    entryPoints: Object.fromEntries(
      Object.entries(ENTRY_POINTS).map(([name, file]) => [name, path.resolve(root, file)])
    ),
    outdir: path.resolve(root, outdir),
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: `node${NODE_MAJOR}`,
    format: 'cjs',
    // `node --enable-source-maps` maps stack traces back to the TypeScript lines; the sources
    // themselves are not embedded (smaller maps, no source code shipped twice).
    sourcemap: true,
    sourcesContent: false,
    // Error classes and stage ids must keep their names (STYLE.md: Retry/Catch match names).
    keepNames: true,
    minify: false,
    legalComments: 'linked',
    external: [...RUNTIME_EXTERNALS, ...DEV_ONLY_EXTERNALS],
    // In a CommonJS bundle every bundled file shares the bundle's `module`, so a file's
    // `if (require.main === module)` CLI block (e.g. stepfunctions/generate-definition.ts, which
    // writes the ASL file) would run when the image starts, and fail on its read-only root
    // filesystem. Inside the bundle no file is the main module: make that guard false.
    define: { 'require.main': 'undefined' },
    metafile: true,
    logLevel: 'warning',
  };
}

export interface BundleReport {
  outdir: string;
  /** Every file written (bundles, source maps, legal comments), with the packages it requires. */
  outputs: { file: string; bytes: number; externals: string[] }[];
}

const BUILTINS = new Set(builtinModules);

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0] as string);
}

/** `@scope/name/sub/path` -> `@scope/name`, `name/sub` -> `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/**
 * Each output bundle (name relative to `outdir`) with its size and the bare package imports it
 * leaves to node_modules, from esbuild's metafile (whose paths are relative to `root`).
 */
export function describeOutputs(metafile: Metafile, root: string, outdir: string): BundleReport['outputs'] {
  return Object.entries(metafile.outputs)
    .map(([file, output]) => ({
      file: path.relative(outdir, path.resolve(root, file)),
      bytes: output.bytes,
      externals: [
        ...new Set(output.imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => i.path)),
      ].sort(),
    }))
    .sort((a, b) => a.file.localeCompare(b.file));
}

/** Builds both bundles into `outdir` (relative to `root`) and reports what was written. */
export async function bundleEntryPoints(outdir: string, root: string = process.cwd()): Promise<BundleReport> {
  const options = bundleOptions(outdir, root);
  const result = await build(options);
  const absOut = options.outdir as string;
  return { outdir: absOut, outputs: describeOutputs(result.metafile as Metafile, root, absOut) };
}

if (require.main === module) {
  const outdir = process.argv[2] ?? 'dist';
  bundleEntryPoints(outdir).then(
    (report) => {
      for (const output of report.outputs) {
        const externals = output.externals.length > 0 ? `  (requires ${output.externals.join(', ')})` : '';
        console.log(
          `${path.join(outdir, output.file).padEnd(36)} ${(output.bytes / 1024).toFixed(0).padStart(7)} KiB${externals}`
        );
      }
    },
    (error: unknown) => {
      console.error(`bundle failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  );
}
