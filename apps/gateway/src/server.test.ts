import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createLogger } from '@dxa/logger';
import { PortInUseError, isLoopback, startGateway } from './server.js';
import { deleteKeysUnder, testConfig, TEST_REDIS_URL } from './test-support.js';

const prefix = `dxatest-gw-server-${randomUUID().slice(0, 8)}`;
const logger = createLogger('gateway-test', { level: 'error' });

afterAll(async () => {
  const redis = new Redis(TEST_REDIS_URL);
  await deleteKeysUnder(redis, prefix);
  await redis.quit();
});

describe('startGateway', () => {
  it('listens on a free port with port 0 and closes cleanly', async () => {
    const gateway = await startGateway({ config: testConfig(prefix), logger, port: 0 });
    expect(gateway.port).toBeGreaterThan(0);
    expect(gateway.url).toBe(`http://127.0.0.1:${gateway.port}`);
    const res = await fetch(`${gateway.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'healthy', redis: 'connected' });
    await gateway.close();
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
  });

  it('closes while an event stream is open', async () => {
    const gateway = await startGateway({ config: testConfig(prefix), logger, port: 0 });
    const created = await fetch(`${gateway.url}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'extract', source: { connection: 'pg_main', table: 'public.t' } }),
    });
    const { id } = (await created.json()) as { id: string };
    const stream = await fetch(`${gateway.url}/v1/jobs/${id}/events`);
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: state')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toContain('event: state');
    await gateway.close();
    // The stream is ended by close(): reading it to the end terminates.
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
  });

  it('fails clearly when the port is taken', async () => {
    const first = await startGateway({ config: testConfig(prefix), logger, port: 0 });
    try {
      const err = await startGateway({ config: testConfig(prefix), logger, port: first.port }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PortInUseError);
      expect((err as Error).message).toContain(`port ${first.port}`);
      expect((err as PortInUseError).code).toBe('EADDRINUSE');
    } finally {
      await first.close();
    }
  });

  it('binds loopback only when no API key is configured', async () => {
    const gateway = await startGateway({ config: testConfig(prefix), logger, host: '0.0.0.0', port: 0 });
    expect(gateway.url).toBe(`http://127.0.0.1:${gateway.port}`);
    await gateway.close();
    const keyed = await startGateway({
      config: testConfig(prefix, { apiKey: 'k' }),
      logger,
      host: '127.0.0.2',
      port: 0,
    });
    expect(keyed.url).toBe(`http://127.0.0.2:${keyed.port}`);
    await keyed.close();
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com']) expect(isLoopback(host)).toBe(false);
  });
});
