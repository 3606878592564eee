/**
 * A small HTTP server on 127.0.0.1 (a random port) for fetch tests: routes by path, counts every
 * request it sees (so a test can prove a refused fetch never reached it), and closes its open
 * sockets on close (a route that hangs on purpose cannot keep jest alive).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface LoopbackServer {
  base: string;
  port: number;
  /** `127.0.0.1:<port>`, for --allow-host. */
  hostPort: string;
  /** Paths requested so far, in order. */
  hits: string[];
  close(): Promise<void>;
}

export async function startLoopbackServer(routes: Record<string, Route>): Promise<LoopbackServer> {
  const hits: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    hits.push(req.url ?? '/');
    const route = routes[pathname];
    if (route) return route(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    hostPort: `127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A route answering with a fixed body and content type. */
export function respond(
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Record<string, string> = {}
): Route {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': contentType, ...headers });
    res.end(body);
  };
}

/** A route that redirects to `location`. */
export function redirect(location: string, status = 302): Route {
  return (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const probe = await startLoopbackServer({});
  await probe.close();
  return probe.port;
}
