import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export type HealthServer = { port: number; close(): Promise<void> };

export type HealthChecks = {
  /** Readiness: resolves when Redis answers. */
  ready(): Promise<void>;
  metrics: Registry;
};

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function handle(req: IncomingMessage, res: ServerResponse, checks: HealthChecks): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET')
    return send(res, 405, JSON.stringify({ error: { code: 'BAD_REQUEST', message: 'only GET' } }));
  if (path === '/healthz') return send(res, 200, JSON.stringify({ status: 'ok' }));
  if (path === '/readyz') {
    try {
      await checks.ready();
      return send(res, 200, JSON.stringify({ status: 'ready', redis: 'connected' }));
    } catch {
      return send(res, 503, JSON.stringify({ status: 'unavailable', redis: 'unreachable' }));
    }
  }
  if (path === '/metrics') return send(res, 200, await checks.metrics.metrics(), checks.metrics.contentType);
  return send(res, 404, JSON.stringify({ error: { code: 'NOT_FOUND', message: `no route ${path ?? ''}` } }));
}

/** /healthz (liveness), /readyz (Redis reachable) and /metrics (Prometheus text) for probes and scrapers. */
export async function startHealthServer(
  host: string,
  port: number,
  checks: HealthChecks,
): Promise<HealthServer> {
  const server = createServer((req, res) => {
    handle(req, res, checks).catch(() =>
      send(res, 500, JSON.stringify({ error: { code: 'INTERNAL', message: 'health check failed' } })),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`health port ${host}:${port} is already in use`) : err);
    });
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
