import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from './health-server.js';
import { createWorkerMetrics } from './metrics.js';

describe('health server', () => {
  let server: HealthServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves liveness, readiness from the check, and metrics', async () => {
    let redisUp = true;
    const metrics = createWorkerMetrics();
    metrics.processed.inc({ type: 'migrate' });
    server = await startHealthServer('127.0.0.1', 0, {
      ready: () => (redisUp ? Promise.resolve() : Promise.reject(new Error('down'))),
      metrics: metrics.registry,
    });
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    redisUp = false;
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ redis: 'unreachable' });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/dxa_worker_jobs_processed_total\{type="migrate"\} 1/);
    expect(text).toContain('dxa_worker_active_jobs');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('names the port when it is taken', async () => {
    const metrics = createWorkerMetrics();
    server = await startHealthServer('127.0.0.1', 0, {
      ready: () => Promise.resolve(),
      metrics: metrics.registry,
    });
    await expect(
      startHealthServer('127.0.0.1', server.port, {
        ready: () => Promise.resolve(),
        metrics: metrics.registry,
      }),
    ).rejects.toThrow(/already in use/);
  });
});
