/**
 * `npm run bench`: measures the pipeline on this machine and writes bench/results.json.
 *
 * 1. Every Lambda bundle, as infra builds it and in the alternative placements: size and module
 *    init (lambda-bundles.ts).
 * 2. The shipped example and a generated podcast with 3x its stories and length, each in both
 *    modes, `--runs` times (default 3), round-robin, every run on fresh local servers
 *    (pipeline-run.ts): wall time, real-time factor, stage shares, orchestration overhead,
 *    DynamoDB and S3 requests, state transitions, and the estimated AWS cost (cost-model.ts).
 * 3. `serve`'s edge endpoint: requests per run through it and the latency it adds (serve-edge.ts).
 * 4. The length table: episodes of a spread of configs against their targetMinutes (length-table.ts).
 * 5. The targets, met or not; the report on stdout (markdown), progress on stderr.
 *
 * Options: --runs <n> (>= 1), --samples <n> module-init samples per bundle (>= 1),
 * --only-example (skip the larger podcast), --only length (just the length table: its section
 * and target are replaced in the existing results file), --out <file> (default bench/results.json).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SDK_PLACEMENT } from '../infra/constructs/lambda-bundling';
import { COST_ASSUMPTIONS } from './cost-model';
import { type BundleVariant, measureBundles } from './lambda-bundles';
import { writeLargerPodcast } from './larger-podcast';
import { LENGTH_CASES, lengthTarget, measureLengthTable, renderLengthTable } from './length-table';
import { type Mode, measureRun, type RunMeasurement, type RunPlan } from './pipeline-run';
import { PRICE_REGION, PRICES, PRICES_AS_OF } from './prices';
import { type MachineInfo, renderReport } from './report';
import { summarizeRuns, type RunSummary } from './run-summary';
import { StageProbe } from './stage-probe';
import { measureServeEdge, renderEdgeReport } from './serve-edge';
import { evaluateTargets } from './targets';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE_DIR = path.join(ROOT, 'examples', 'tech-weekly');
const MODES: readonly Mode[] = ['monolithic', 'distributed'];

export const BUNDLE_VARIANTS: readonly (BundleVariant & { description: string })[] = [
  { name: 'sdk-bundled', sdk: 'bundled', description: 'AWS SDK inlined from package-lock (bundleAwsSDK)' },
  {
    name: 'sdk-runtime',
    sdk: 'runtime',
    description: '@aws-sdk/* and @smithy/* external, loaded from the Node.js 22 runtime',
  },
  {
    name: 'sdk-runtime+zod-ns',
    sdk: 'runtime',
    zodNamespaceImport: true,
    description:
      "what-if: as sdk-runtime, with stage sources importing zod as `import * as z from 'zod'` (tree-shakable) instead of `import { z }`",
  },
];

interface Options {
  runs: number;
  samples: number;
  onlyExample: boolean;
  onlyLength: boolean;
  out: string;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    runs: 3,
    samples: 5,
    onlyExample: false,
    onlyLength: false,
    out: path.join(ROOT, 'bench', 'results.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const count = () => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} needs a whole number >= 1`);
      return n;
    };
    if (arg === '--runs') options.runs = count();
    else if (arg === '--samples') options.samples = count();
    else if (arg === '--only-example') options.onlyExample = true;
    else if (arg === '--only') {
      if (argv[++i] !== 'length') throw new Error('--only takes "length"');
      options.onlyLength = true;
    } else if (arg === '--out') options.out = path.resolve(argv[++i] ?? options.out);
    else
      throw new Error(
        `unknown option ${arg} (--runs n, --samples n, --only-example, --only length, --out file)`
      );
  }
  return options;
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

function machineInfo(loadStart: number, loadAfterBundles: number): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: { start: loadStart, afterBundles: loadAfterBundles, end: os.loadavg()[0] ?? 0 },
  };
}

async function runCases(plans: readonly RunPlan[], runs: number): Promise<Map<string, RunMeasurement[]>> {
  const probe = new StageProbe().install();
  const results = new Map<string, RunMeasurement[]>();
  try {
    for (const plan of plans) {
      // Round-robin over the modes, so drifting machine load spreads over both.
      for (let round = 1; round <= runs; round++) {
        for (const mode of MODES) {
          const measured = await measureRun(plan, mode, probe);
          progress(
            `  ${plan.label} ${mode} run ${round}/${runs}: ${(measured.wallMs / 1000).toFixed(1)} s, ${(measured.audioMs / 1000).toFixed(0)} s of audio`
          );
          const key = `${plan.label}|${mode}`;
          results.set(key, [...(results.get(key) ?? []), measured]);
        }
      }
    }
  } finally {
    probe.uninstall();
  }
  return results;
}

/** `--only length`: the length table alone, its section and target replaced in the results file. */
async function lengthOnly(options: Options): Promise<void> {
  const temp = await mkdtemp(path.join(os.tmpdir(), 'podcast-bench-length-'));
  const probe = new StageProbe().install();
  try {
    const length = await measureLengthTable({ exampleDir: EXAMPLE_DIR, tempDir: temp, probe, progress });
    const previous = JSON.parse(await readFile(options.out, 'utf8').catch(() => '{}')) as {
      targets?: { target: string }[];
    };
    const target = lengthTarget(length);
    const targets = [
      ...(previous.targets ?? []).filter((t) => !t.target.startsWith('every length row')),
      target,
    ];
    await writeFile(options.out, `${JSON.stringify({ ...previous, length, targets }, null, 2)}\n`);
    process.stdout.write(
      `${renderLengthTable(length)}\n\n${target.met ? 'met' : 'NOT met'}: ${target.target} (${target.actual})\n`
    );
  } finally {
    probe.uninstall();
    await rm(temp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.onlyLength) return lengthOnly(options);
  const loadStart = os.loadavg()[0] ?? 0;
  const started = Date.now();
  const date = new Date().toISOString();

  progress(`bundles: ${BUNDLE_VARIANTS.length} variants, ${options.samples} init samples each`);
  const bundles = await measureBundles({ root: ROOT, variants: BUNDLE_VARIANTS, samples: options.samples });
  const chosenVariant =
    BUNDLE_VARIANTS.find((v) => v.sdk === SDK_PLACEMENT && !v.zodNamespaceImport)?.name ?? 'sdk-bundled';
  const chosen = bundles.filter((b) => b.variant === chosenVariant);
  // The cost model bills INIT at its CPU time (see targets.ts on wall-clock time here).
  const initMsByFunction = Object.fromEntries(chosen.map((b) => [b.fn, b.initCpuMs]));
  const loadAfterBundles = os.loadavg()[0] ?? 0;

  const temp = await mkdtemp(path.join(os.tmpdir(), 'podcast-bench-podcast-'));
  try {
    const plans: RunPlan[] = [
      {
        label: 'example',
        configFile: path.join(EXAMPLE_DIR, 'podcast.json'),
        runInput: {
          runId: 'tech-weekly-2026-11-23',
          podcastId: 'tech-weekly',
          episode: { date: '2026-11-23' },
        },
      },
    ];
    if (!options.onlyExample) {
      const larger = await writeLargerPodcast({
        exampleDir: EXAMPLE_DIR,
        outDir: path.join(temp, 'x3'),
        scale: 3,
      });
      plans.push({ label: 'x3', configFile: larger.configFile, runInput: larger.runInput });
    }
    progress(`runs: ${plans.map((p) => p.label).join(', ')} x ${MODES.join(', ')} x ${options.runs}`);
    const measured = await runCases(plans, options.runs);
    progress('serve: the example in both modes through the edge, then direct vs edge latency');
    const edge = await measureServeEdge({ exampleConfig: path.join(EXAMPLE_DIR, 'podcast.json') });
    progress(`length: ${LENGTH_CASES.length} configs, offline, monolithic`);
    const probe = new StageProbe().install();
    const length = await measureLengthTable({
      exampleDir: EXAMPLE_DIR,
      tempDir: temp,
      probe,
      progress,
    }).finally(() => probe.uninstall());
    const summaries: RunSummary[] = [];
    for (const plan of plans)
      for (const mode of MODES)
        summaries.push(
          summarizeRuns(plan.label, measured.get(`${plan.label}|${mode}`) ?? [], initMsByFunction)
        );

    const example = (mode: Mode) =>
      summaries.find((s) => s.podcast === 'example' && s.mode === mode) as RunSummary;
    const machine = machineInfo(loadStart, loadAfterBundles);
    const targets = evaluateTargets({
      example: { monolithic: example('monolithic'), distributed: example('distributed') },
      bundles: chosen,
      cores: machine.cores,
    });
    targets.push(lengthTarget(length));
    const report = renderReport({
      date: date.slice(0, 10),
      machine,
      runsPerCase: options.runs,
      initSamples: options.samples,
      summaries,
      bundles,
      bundleVariants: BUNDLE_VARIANTS,
      chosenVariant,
      targets,
      pricesAsOf: PRICES_AS_OF,
    });
    const fullReport = `${report}\n\n${renderLengthTable(length)}\n\n${renderEdgeReport(edge)}`;
    const results = {
      date,
      durationSeconds: Math.round((Date.now() - started) / 1000),
      machine,
      options: { runs: options.runs, initSamples: options.samples },
      prices: { asOf: PRICES_AS_OF, region: PRICE_REGION, ...PRICES },
      assumptions: COST_ASSUMPTIONS,
      sdkPlacement: { chosen: SDK_PLACEMENT, variant: chosenVariant },
      runs: summaries,
      bundles,
      targets,
      edge,
      length,
      report: fullReport,
    };
    await writeFile(options.out, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${fullReport}\n`);
    progress(`wrote ${path.relative(process.cwd(), options.out)} in ${results.durationSeconds} s`);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
  );
  process.exit(1);
});
