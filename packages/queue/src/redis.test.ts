import { describe, expect, it } from 'vitest';
import {
  bullmqConnectionOptions,
  createRedis,
  describeRedisUrl,
  isRedisUnavailableError,
  redisOptionsFor,
} from './redis.js';
import { TEST_REDIS_URL } from './test-redis.js';

describe('createRedis', () => {
  it('gives producers fail-fast options and workers/subscribers patient ones', () => {
    expect(redisOptionsFor('producer')).toMatchObject({ enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    expect(redisOptionsFor('worker').maxRetriesPerRequest).toBeNull();
    expect(redisOptionsFor('subscriber').maxRetriesPerRequest).toBeNull();
    expect(bullmqConnectionOptions('redis://127.0.0.1:6379', 'subscriber')).toMatchObject({
      url: 'redis://127.0.0.1:6379',
      maxRetriesPerRequest: null,
    });
  });

  it('describes a URL without its credentials', () => {
    const described = describeRedisUrl('redis://user:s3cr3t-pw@127.0.0.1:6380/2');
    expect(described).toBe('redis://127.0.0.1:6380/2');
    expect(described).not.toContain('s3cr3t');
  });

  it('talks to the local Redis', async () => {
    const redis = createRedis(TEST_REDIS_URL, 'producer');
    await new Promise((resolve) => redis.once('ready', resolve));
    expect(await redis.ping()).toBe('PONG');
    await redis.quit();
  });

  it('a producer fails fast when Redis is unreachable', async () => {
    // Port 1 on loopback: nothing listens there.
    const redis = createRedis('redis://:pw@127.0.0.1:1', 'producer');
    const err = await redis.ping().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(isRedisUnavailableError(err)).toBe(true);
    expect((err as Error).message).not.toContain('pw');
    redis.disconnect();
  });
});
