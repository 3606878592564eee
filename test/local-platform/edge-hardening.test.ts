/**
 * What a careless or hostile client of `serve`'s edge gets (found by a red-team pass): a clear
 * refusal, never a crash, a stuck connection, a ghost execution or a rewritten S3 key.
 */
import { request as httpRequest, Agent } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { silentLogger } from '../../stages/shared/logger';
import { type RunningServe, startServe } from '../../local-platform/serve';
import { parseServeArgs } from '../../local-platform/serve-command';

let dataDir: string;
let serve: RunningServe;
let sfn: SFNClient;
let s3: S3Client;

function raw(
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    agent?: Agent;
  } = {}
): Promise<{ status: number; body: string }> {
  const url = new URL(serve.endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers ?? {},
        ...(options.agent ? { agent: options.agent } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'serve-edge-'));
  serve = await startServe({ port: 0, dataDir, cwd: dataDir, env: {}, logger: silentLogger });
  const common = {
    endpoint: serve.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  };
  sfn = new SFNClient({ ...common, maxAttempts: 1 });
  s3 = new S3Client({ ...common, forcePathStyle: true });
});

afterAll(async () => {
  sfn.destroy();
  s3.destroy();
  await serve.stop('test done');
  await rm(dataDir, { recursive: true, force: true });
});

test('a Host header no URL can be made from is a 400, and the edge goes on', async () => {
  expect((await raw({ headers: { Host: 'a b' }, path: '/x' })).status).toBe(400);
  expect((await raw({ headers: { Host: '[' }, path: '/x' })).status).toBe(400);
  expect((await raw({ path: '/_serve/health' })).status).toBe(200);
});

test('a refused oversized body closes its connection instead of poisoning the next request', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const headers = {
    'Content-Type': 'application/x-amz-json-1.0',
    'X-Amz-Target': 'AWSStepFunctions.StartExecution',
  };
  const big = await raw({ method: 'POST', headers, body: 'x'.repeat(3 * 1024 * 1024), agent });
  expect(big.status).toBe(400);
  const next = await raw({
    method: 'POST',
    headers: { ...headers, 'X-Amz-Target': 'AWSStepFunctions.ListStateMachines' },
    body: '{}',
    agent,
  });
  expect(next.status).toBe(200);
  agent.destroy();
});

test('only the API operations are operations, over POST only, and filters are checked', async () => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const answer = await raw({
      method: 'POST',
      headers: { 'X-Amz-Target': `AWSStepFunctions.${name}` },
      body: '{}',
    });
    expect([name, answer.status, JSON.parse(answer.body).__type]).toEqual([
      name,
      400,
      'UnknownOperationException',
    ]);
  }
  expect(
    (await raw({ method: 'GET', headers: { 'X-Amz-Target': 'AWSStepFunctions.ListStateMachines' } })).status
  ).toBe(405);
  await expect(
    sfn.send(
      new ListExecutionsCommand({ stateMachineArn: serve.stateMachineArn, statusFilter: 'BOGUS' as never })
    )
  ).rejects.toMatchObject({ name: 'ValidationException' });
  expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines).toHaveLength(1);
});

test('an 80-character name of 3-byte characters is stored, runs and ends (no ghost execution)', async () => {
  const name = '中'.repeat(80);
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: serve.stateMachineArn,
      name,
      input: '{"not":"a run input"}',
    })
  );
  let status: string | undefined = 'RUNNING';
  for (let i = 0; i < 100 && status === 'RUNNING'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
  }
  expect(status).toBe('FAILED');
  await expect(
    sfn.send(new StopExecutionCommand({ executionArn, cause: 'c'.repeat(40_000) }))
  ).rejects.toMatchObject({ name: 'ValidationException' });
});

test('S3 keys are literal: dot segments are neither resolved nor turned into bucket names', async () => {
  const Bucket = 'podcast-platform-local-media';
  await s3.send(new PutObjectCommand({ Bucket, Key: '../escape.txt', Body: 'kept' }));
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: '../escape.txt' }));
  expect(await got.Body?.transformToString()).toBe('kept');
  const { Buckets } = await s3.send(new ListBucketsCommand({}));
  expect(Buckets?.map((b) => b.Name).sort()).toEqual([
    'podcast-platform-local-media',
    'podcast-platform-local-rss',
  ]);
  // A bare credential parameter without a signature is not a signed request.
  expect((await raw({ path: `/${Bucket}/..%2Fescape.txt?AWSAccessKeyId=x` })).status).toBe(403);
});

test('--port takes a port number only', () => {
  for (const port of ['0x10', ' 5', '1e3', '-1', '70000'])
    expect(() => parseServeArgs(['--port', port])).toThrow(/--port/);
  expect(parseServeArgs(['--port', '0']).port).toBe(0);
});
