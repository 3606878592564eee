/**
 * The benchmark's markdown report: the machine and date, the runs, where the time goes per stage,
 * the requests per run, the estimated cost, the Lambda bundles, and the targets.
 */
import type { BundleMeasurement } from './lambda-bundles';
import type { RunSummary } from './run-summary';
import type { TargetResult } from './targets';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1-minute load average at the start, after the bundle measurements, and at the end. */
  loadAverage: { start: number; afterBundles: number; end: number };
}

export interface ReportInput {
  date: string;
  machine: MachineInfo;
  runsPerCase: number;
  initSamples: number;
  summaries: readonly RunSummary[];
  bundles: readonly BundleMeasurement[];
  bundleVariants: readonly { name: string; description: string }[];
  chosenVariant: string;
  targets: readonly TargetResult[];
  pricesAsOf: string;
}

const table = (header: readonly string[], rows: readonly (readonly string[])[]) =>
  [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

const s1 = (ms: number) => (ms / 1000).toFixed(1);
const kib = (bytes: number) => (bytes / 1024).toFixed(0);
const usd = (value: number) => `$${value.toFixed(5)}`;

function runsTable(summaries: readonly RunSummary[]): string {
  return table(
    [
      'podcast',
      'mode',
      'wall s (median)',
      'runs, s',
      'audio s',
      'audio s / wall s',
      'overhead ms',
      'overhead %',
      'transitions',
      'DDB writes / stage unit',
      'est. cost',
      'orchestration cost',
    ],
    summaries.map((s) => [
      s.podcast,
      s.mode,
      s1(s.medianWallMs),
      s.wallSamplesMs.map((w) => s1(w)).join(', '),
      s.audioSeconds.toFixed(1),
      s.realTimeFactor.toFixed(1),
      s.overheadMs.toFixed(0),
      s.overheadPct.toFixed(2),
      String(s.transitions),
      s.dynamoWritesPerStageUnit.toFixed(2),
      usd(s.cost.totalUsd),
      usd(s.cost.orchestrationUsd),
    ])
  );
}

function stagesTable(summaries: readonly RunSummary[]): string {
  const stageIds = [...new Set(summaries.flatMap((s) => s.stages.map((st) => st.stage)))];
  const header = [
    'stage',
    ...summaries.map((s) => `${s.podcast} ${s.mode}: share % / overhead ms / round trips per unit`),
  ];
  const rows = stageIds.map((id) => [
    id,
    ...summaries.map((s) => {
      const row = s.stages.find((st) => st.stage === id);
      return row
        ? `${row.sharePct.toFixed(1)} / ${row.overheadMs.toFixed(1)} / ${row.lifecycleRequestsPerUnit.toFixed(1)}`
        : '-';
    }),
  ]);
  return table(header, rows);
}

function requestsTable(summaries: readonly RunSummary[]): string {
  const ops = [...new Set(summaries.flatMap((s) => Object.keys(s.requestsByOperation)))].sort();
  return table(
    ['operation', ...summaries.map((s) => `${s.podcast} ${s.mode}`)],
    [
      ...ops.map((op) => [op, ...summaries.map((s) => String(s.requestsByOperation[op] ?? 0))]),
      ['same in every run', ...summaries.map((s) => (s.requestsStable ? 'yes' : 'no'))],
    ]
  );
}

function costTable(summaries: readonly RunSummary[]): string {
  const items = [...new Set(summaries.flatMap((s) => s.cost.lines.map((l) => l.item)))];
  return table(
    ['item', ...summaries.map((s) => `${s.podcast} ${s.mode}: quantity, $ (orchestration $)`)],
    items.map((item) => [
      item,
      ...summaries.map((s) => {
        const line = s.cost.lines.find((l) => l.item === item);
        return line
          ? `${line.quantity.toFixed(line.quantity < 10 ? 2 : 0)} ${line.unit}, ${line.usd.toFixed(6)} (${line.orchestrationUsd.toFixed(6)})`
          : '-';
      }),
    ])
  );
}

function bundlesTable(
  bundles: readonly BundleMeasurement[],
  variants: ReportInput['bundleVariants']
): string {
  const fns = [...new Set(bundles.map((b) => b.fn))];
  return table(
    [
      'function',
      ...variants.map((v) => `${v.name}: KiB (SDK KiB) / init CPU ms (wall ms)`),
      'shipped beside, KiB',
      'largest inputs (chosen), KiB',
    ],
    fns.map((fn) => {
      const chosen = bundles.find((b) => b.fn === fn);
      return [
        fn,
        ...variants.map((v) => {
          const b = bundles.find((x) => x.fn === fn && x.variant === v.name);
          return b
            ? `${kib(b.bytes)} (${kib(b.sdkBytes ?? 0)}) / ${b.initCpuMs.toFixed(0)} (${b.initMs.toFixed(0)})`
            : '-';
        }),
        chosen?.shippedBytes ? kib(chosen.shippedBytes) : '0',
        chosen ? chosen.topInputs.map((t) => `${t.name} ${t.kib.toFixed(0)}`).join(', ') : '',
      ];
    })
  );
}

export function renderReport(input: ReportInput): string {
  const m = input.machine;
  const chosen = input.bundles.filter((b) => b.variant === input.chosenVariant);
  return [
    `## Benchmark (${input.date})`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB.toFixed(1)} GiB, Node.js ${m.node} (${m.platform}); 1-minute load average ${m.loadAverage.start.toFixed(2)} at the start, ${m.loadAverage.afterBundles.toFixed(2)} after the bundles, ${m.loadAverage.end.toFixed(2)} at the end (other work on the machine shows in wall-clock times). ` +
      `Each case ran ${input.runsPerCase} times on fresh local servers; module init is the median of ${input.initSamples} fresh processes (CPU time of require(), wall-clock time in brackets). Prices: us-east-1 as of ${input.pricesAsOf} (bench/prices.ts).`,
    '',
    '### Runs',
    '',
    runsTable(input.summaries),
    '',
    '### Where the time goes (median run)',
    '',
    "Share: the stage's units as a share of the wall time (parallel branches overlap). Overhead: wall time inside the stage's units with no stage work running (its lifecycle: checkpoint, run record, events). Round trips: DynamoDB/S3 requests per unit outside the stage's own work.",
    '',
    stagesTable(input.summaries),
    '',
    '### DynamoDB and S3 requests per run',
    '',
    requestsTable(input.summaries),
    '',
    '### Estimated AWS cost per run',
    '',
    costTable(input.summaries),
    '',
    `### Lambda bundles (infra builds: ${input.chosenVariant})`,
    '',
    input.bundleVariants.map((v) => `- ${v.name}: ${v.description}`).join('\n'),
    '',
    bundlesTable(
      [...chosen, ...input.bundles.filter((b) => b.variant !== input.chosenVariant)],
      input.bundleVariants
    ),
    '',
    '### Targets',
    '',
    table(
      ['target', 'actual', 'met'],
      input.targets.map((t) => [t.target, t.actual, t.met ? 'met' : 'not met'])
    ),
    '',
  ].join('\n');
}
