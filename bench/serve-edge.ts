/**
 * The cost of `serve`'s edge endpoint: how many requests a run sends through it (per service,
 * per mode: the task processes reach DynamoDB, S3 and Step Functions through the edge; the
 * in-process Lambda handlers go to the embedded servers directly), and the latency the edge adds
 * to one request: the same DynamoDB and S3 calls sent to the embedded server's own port and
 * through the edge, median and p95 of each, interleaved so machine load hits both alike.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { StderrLogger } from '../stages/shared/logger';
import type { EdgeService } from '../local-platform/edge/edge-server';
import { startServe } from '../local-platform/serve';

export interface EdgeRunCost {
  mode: 'monolithic' | 'distributed';
  status: string;
  wallMs: number;
  /** Requests through the edge during the run, by service. */
  requests: Partial<Record<EdgeService, number>>;
}

export interface EdgeLatency {
  call: string;
  samples: number;
  directMedianMs: number;
  edgeMedianMs: number;
  addedMedianMs: number;
  directP95Ms: number;
  edgeP95Ms: number;
}

export interface EdgeMeasurement {
  runs: EdgeRunCost[];
  latency: EdgeLatency[];
  /** Time the edge spent routing, per request (its own code, not the servers'). */
  routingMicrosPerRequest: number;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

async function timed(send: () => Promise<unknown>): Promise<number> {
  const began = performance.now();
  await send();
  return performance.now() - began;
}

export async function measureServeEdge(options: {
  exampleConfig: string;
  samples?: number;
}): Promise<EdgeMeasurement> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'podcast-bench-serve-'));
  const { loadPodcastConfigFile } = await import('../containers/orchestrator/local/podcast-config-file');
  const { resolvePublicBaseUrl } = await import('../stages/shared/public-urls');
  const podcast = await loadPodcastConfigFile(options.exampleConfig);
  const serve = await startServe({
    port: 0,
    dataDir,
    cwd: process.cwd(),
    env: process.env,
    logger: new StderrLogger('error'),
    podcastFiles: [options.exampleConfig],
    storePodcasts: (deps) => deps.podcasts.put(resolvePublicBaseUrl(podcast, deps.publicOrigin, 'podcast')),
  });
  const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
  const at = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials });
  const sfn = new SFNClient(at(serve.endpoint));
  try {
    const runs: EdgeRunCost[] = [];
    for (const mode of ['monolithic', 'distributed'] as const) {
      const before = { ...serve.stats.requests };
      const began = Date.now();
      const name = `bench-edge-${mode}`;
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: serve.stateMachineArn,
          name,
          input: JSON.stringify({
            runId: name,
            podcastId: podcast.podcastId,
            // The distributed run is dated the day before: story memory reads only earlier
            // episodes, so both runs pick the same stories and make the same episode.
            episode: { date: mode === 'monolithic' ? '2026-11-23' : '2026-11-22' },
            flags: { useMonolithicOrchestrator: mode === 'monolithic' },
          }),
        })
      );
      let status = 'RUNNING';
      while (status === 'RUNNING') {
        await new Promise((resolve) => setTimeout(resolve, 200));
        status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status ?? 'UNKNOWN';
      }
      const requests: Partial<Record<EdgeService, number>> = {};
      for (const [service, count] of Object.entries(serve.stats.requests) as [EdgeService, number][]) {
        const delta = count - (before[service] ?? 0);
        if (delta > 0) requests[service] = delta;
      }
      runs.push({ mode, status, wallMs: Date.now() - began, requests });
    }

    const samples = options.samples ?? 300;
    const direct = serve.directEndpoints;
    const calls = [
      {
        call: 'DynamoDB DescribeTable',
        direct: new DynamoDBClient(at(direct.dynamodb)),
        edge: new DynamoDBClient(at(serve.endpoint)),
        command: () => new DescribeTableCommand({ TableName: serve.tableNames.runs }),
      },
      {
        call: 'S3 HeadBucket',
        direct: new S3Client({ ...at(direct.s3), credentials: direct.s3Credentials, forcePathStyle: true }),
        edge: new S3Client({ ...at(serve.endpoint), forcePathStyle: true }),
        command: () => new HeadBucketCommand({ Bucket: serve.bucketNames.media }),
      },
    ];
    const latency: EdgeLatency[] = [];
    for (const { call, direct: viaDirect, edge: viaEdge, command } of calls) {
      const send = (client: DynamoDBClient | S3Client) => () =>
        (client as DynamoDBClient).send(command() as never);
      for (let i = 0; i < 20; i++) await Promise.all([send(viaDirect)(), send(viaEdge)()]);
      const directMs: number[] = [];
      const edgeMs: number[] = [];
      for (let i = 0; i < samples; i++) {
        directMs.push(await timed(send(viaDirect)));
        edgeMs.push(await timed(send(viaEdge)));
      }
      viaDirect.destroy();
      viaEdge.destroy();
      const directMedianMs = quantile(directMs, 0.5);
      const edgeMedianMs = quantile(edgeMs, 0.5);
      latency.push({
        call,
        samples,
        directMedianMs,
        edgeMedianMs,
        addedMedianMs: edgeMedianMs - directMedianMs,
        directP95Ms: quantile(directMs, 0.95),
        edgeP95Ms: quantile(edgeMs, 0.95),
      });
    }
    const total = Object.values(serve.stats.requests).reduce((sum, n) => sum + n, 0);
    return { runs, latency, routingMicrosPerRequest: total ? serve.stats.routingMicros / total : 0 };
  } finally {
    sfn.destroy();
    await serve.stop('bench done');
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The edge's section of the bench report (markdown). */
export function renderEdgeReport(edge: EdgeMeasurement): string {
  const lines = [
    '### `serve` edge endpoint',
    '',
    '| run through `serve` | status | wall s | requests through the edge |',
    '| --- | --- | ---: | --- |',
    ...edge.runs.map(
      (run) =>
        `| example, ${run.mode} | ${run.status} | ${(run.wallMs / 1000).toFixed(1)} | ${Object.entries(
          run.requests
        )
          .map(([service, n]) => `${service} ${n}`)
          .join(', ')} |`
    ),
    '',
    '| call | samples | direct median ms | edge median ms | added median ms | direct p95 ms | edge p95 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...edge.latency.map(
      (l) =>
        `| ${l.call} | ${l.samples} | ${l.directMedianMs.toFixed(2)} | ${l.edgeMedianMs.toFixed(2)} | ${l.addedMedianMs.toFixed(2)} | ${l.directP95Ms.toFixed(2)} | ${l.edgeP95Ms.toFixed(2)} |`
    ),
    '',
    `Step Functions requests include this bench's own DescribeExecution polls (every 200 ms) and the stage tasks' SendTask* calls; the in-process Lambda handlers reach the embedded servers directly. The edge's own routing: ${edge.routingMicrosPerRequest.toFixed(1)} µs per request.`,
  ];
  return lines.join('\n');
}
