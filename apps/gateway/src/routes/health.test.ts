import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { PRODUCT_VERSION } from '@dxa/contracts';
import { extractBody, keysUnder, testGateway, type TestGateway, errorOf } from '../test-support.js';

let gw: TestGateway;
let down: TestGateway;

beforeAll(async () => {
  gw = await testGateway('health');
  // Port 1 on loopback: nothing listens there, so this gateway's Redis is "down".
  down = await testGateway('down', { redisUrl: 'redis://:down-secret@127.0.0.1:1', waitForRedis: false });
});
afterAll(async () => {
  await gw.close();
  await down.close();
});

describe('health, readiness and metrics', () => {
  it('/health reports Redis and live workers', async () => {
    const res = await request(gw.app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'healthy', version: PRODUCT_VERSION, redis: 'connected', workers: 0 });
  });

  it('/healthz and /readyz answer 200 with Redis up', async () => {
    expect((await request(gw.app).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(gw.app).get('/readyz')).status).toBe(200);
  });

  it('/metrics has process, request and queue metrics', async () => {
    await request(gw.app).post('/v1/jobs').send(extractBody());
    await request(gw.app).get('/v1/jobs/0000000000none');
    const res = await request(gw.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.text;
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(/dxa_http_requests_total\{method="POST",route="\/v1\/jobs",status="202"\} 1/);
    expect(text).toMatch(/dxa_http_requests_total\{method="GET",route="\/v1\/jobs\/:id",status="404"\} 1/);
    expect(text).toContain('dxa_http_request_duration_seconds_bucket');
    expect(text).toMatch(/bullmq_job_count\{queue="exchange.default", state="waiting"\} 1/);
    expect(text.match(/# TYPE bullmq_job_count /g)).toHaveLength(1);
  });
});

describe('with Redis unreachable', () => {
  it('/health is degraded with 503, /readyz 503, /healthz still 200', async () => {
    const health = await request(down.app).get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', redis: 'disconnected' });
    const ready = await request(down.app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(errorOf(ready).code).toBe('UNAVAILABLE');
    expect((await request(down.app).get('/healthz')).status).toBe(200);
  });

  it('job routes answer 503 UNAVAILABLE without leaking the URL', async () => {
    for (const res of [
      await request(down.app).post('/v1/jobs').send(extractBody()),
      await request(down.app).get('/v1/jobs'),
      await request(down.app).get('/v1/jobs/0000000000abc'),
      await request(down.app).delete('/v1/jobs/0000000000abc'),
      await request(down.app).get('/v1/workers'),
      await request(down.app).post('/tasks').send({ engine: 'pg_main', statement: 'select 1' }),
    ]) {
      expect(res.status).toBe(503);
      expect(errorOf(res).code).toBe('UNAVAILABLE');
      expect(JSON.stringify(res.body)).not.toContain('down-secret');
    }
    expect(await keysUnder(gw.redis, `${down.prefix}:*`)).toEqual([]);
  });

  it('/metrics still serves process metrics', async () => {
    const res = await request(down.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });
});
