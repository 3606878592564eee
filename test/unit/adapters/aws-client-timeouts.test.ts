/**
 * A persistence request whose connection stalls is abandoned after the client's idle limit and
 * sent again by the SDK's retry, instead of holding the unit until its plan timeout.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  createDynamoDocumentClient,
  createS3Client,
  DYNAMO_TIMEOUTS,
  S3_TIMEOUTS,
} from '../../../stages/shared/adapters/aws/aws-clients';
import { S3ArtifactStore } from '../../../stages/shared/adapters/aws/s3-artifact-store';

/** Accepts connections and reads requests without ever answering; counts the requests. */
async function blackHole(): Promise<{ server: Server; port: number; requests: () => number }> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => {
      requests += (chunk.toString('latin1').match(/^(GET|POST|PUT) /gm) ?? []).length;
    });
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, requests: () => requests };
}

function localEnv(port: number) {
  return {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
}

const SHORT = { connectionMs: 1_000, idleMs: 150 };

describe('persistence clients on a stalled connection', () => {
  let hole: Awaited<ReturnType<typeof blackHole>>;
  beforeEach(async () => {
    hole = await blackHole();
  });
  afterEach(async () => {
    await new Promise((resolve) => {
      hole.server.close(resolve);
      hole.server.emit('close');
    });
  });

  it('gives a DynamoDB request up after the idle limit, as a TimeoutError, once the SDK retries are spent', async () => {
    const client = createDynamoDocumentClient(localEnv(hole.port), SHORT);
    const started = Date.now();

    const error = await client
      .send(new GetCommand({ TableName: 't', Key: { id: 'x' } }))
      .catch((e: unknown) => e);

    // Sent once per attempt the SDK allows DynamoDB (its retry spec gives DynamoDB 4, others 3).
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(hole.requests()).toBe(await client.config.maxAttempts());
    expect(hole.requests()).toBeGreaterThan(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    client.destroy();
  });

  it('gives an S3 request up the same way', async () => {
    const client = createS3Client(localEnv(hole.port), SHORT);

    const error = await client.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(hole.requests()).toBe(await client.config.maxAttempts());
    expect(hole.requests()).toBeGreaterThan(1);
    client.destroy();
  });

  it('bounds every client by default, DynamoDB tighter than S3 (whose bodies are large)', () => {
    for (const timeouts of [DYNAMO_TIMEOUTS, S3_TIMEOUTS]) {
      expect(timeouts.connectionMs).toBeGreaterThan(0);
      expect(timeouts.idleMs).toBeGreaterThan(0);
    }
    expect(DYNAMO_TIMEOUTS.idleMs).toBeLessThan(S3_TIMEOUTS.idleMs);
  });
});

describe('an S3 object whose body stalls part-way', () => {
  it('is read again, as a dropped connection is (the SDK retries requests, not bodies)', async () => {
    // A server that sends half the body and then nothing on the first GET, all of it on the next.
    let requests = 0;
    const server = createHttpServer((_request, response) => {
      requests++;
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '10' });
      if (requests === 1) response.write('{"a":');
      else response.end('{"a":1234}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = createS3Client(localEnv((server.address() as { port: number }).port), SHORT);
    try {
      const object = await new S3ArtifactStore(client, 'bucket').get('k');

      expect(object?.body.toString()).toBe('{"a":1234}');
      expect(requests).toBe(2);
    } finally {
      client.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});
