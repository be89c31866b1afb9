import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { WorkerInfo } from '@dxa/contracts';
import { createWorkerRegistry, WORKER_TTL_SECONDS } from './worker-registry.js';
import { deleteKeysUnder, TEST_REDIS_URL, testPrefix } from './test-redis.js';

const prefix = testPrefix('registry');
let redis: Redis;

const info = (id: string): WorkerInfo => ({
  id,
  host: 'test-host',
  pid: 123,
  affinities: ['blue'],
  concurrency: 2,
  active_jobs: [],
  connections: ['source:pg_main'],
  started_at: '2030-01-01T00:00:00.000Z',
  last_heartbeat: '2030-01-01T00:00:05.000Z',
  version: '0.1.0',
  draining: false,
});

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  await redis.quit();
  await deleteKeysUnder(prefix);
});

describe('worker registry', () => {
  it('lists workers after a heartbeat, with a 15 s TTL', async () => {
    const registry = createWorkerRegistry(redis, prefix);
    await registry.heartbeat(info('w-a'));
    await registry.heartbeat(info('w-b'));
    expect((await registry.live()).map((w) => w.id)).toEqual(['w-a', 'w-b']);
    const ttl = await redis.ttl(`${prefix}:worker:w-a`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(WORKER_TTL_SECONDS);
    expect(await registry.live()).toContainEqual(info('w-b'));
  });

  it('drops workers whose entry expired', async () => {
    const registry = createWorkerRegistry(redis, prefix);
    await registry.heartbeat(info('w-gone'));
    await redis.del(`${prefix}:worker:w-gone`); // as if the TTL ran out
    expect((await registry.live()).map((w) => w.id)).not.toContain('w-gone');
    expect(await redis.sismember(`${prefix}:workers`, 'w-gone')).toBe(0);
  });

  it('unregisters a worker', async () => {
    const registry = createWorkerRegistry(redis, prefix);
    await registry.heartbeat(info('w-c'));
    await registry.unregister('w-c');
    expect((await registry.live()).map((w) => w.id)).not.toContain('w-c');
    expect(await redis.exists(`${prefix}:worker:w-c`)).toBe(0);
  });
});
