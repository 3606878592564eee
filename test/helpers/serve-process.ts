/**
 * Jest helper: `serve` as a real process (node + tsx + the test preload that swaps in the quick
 * offline providers and injects TEST_FAULT_INJECTION faults), on a free port, with SDK v3 clients
 * pointed at its edge endpoint with an arbitrary key pair. `stop()` sends SIGTERM and waits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(REPO_ROOT, 'local-platform', 'main.ts');
const PRELOAD = path.join(REPO_ROOT, 'test', 'helpers', 'fault-injection-preload.ts');

export interface ServeProcess {
  endpoint: string;
  stateMachineArn: string;
  originUrl: string;
  child: ChildProcess;
  stderr: () => string;
  clients: { sfn: SFNClient; dynamo: DynamoDBDocumentClient; s3: S3Client };
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function startServeProcess(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}
): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', PRELOAD, MAIN, '--port', '0', ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not get ready: ${stderr}`)),
      options.timeoutMs ?? 30_000
    );
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /serve ready: endpoint (\S+) state machine (\S+) origin (\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  const endpoint = ready[1] as string;
  const common = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'any-key', secretAccessKey: 'any-secret' },
  };
  const clients = {
    sfn: new SFNClient(common),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(common)),
    s3: new S3Client({ ...common, forcePathStyle: true }),
  };
  return {
    endpoint,
    stateMachineArn: ready[2] as string,
    originUrl: ready[3] as string,
    child,
    stderr: () => stderr,
    clients,
    async stop() {
      for (const client of Object.values(clients)) client.destroy();
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
