import { Redis } from 'ioredis';

export const REDIS_URL = process.env.DXA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes every key under a test's prefix. */
export async function cleanupRedisPrefix(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
