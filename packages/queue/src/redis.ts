import { Redis } from 'ioredis';
import type { RedisOptions as BullRedisOptions } from 'bullmq';
import { createLogger } from '@dxa/logger';

export type RedisRole = 'producer' | 'worker' | 'subscriber';

const log = createLogger('redis');

/** Reconnect delay grows to at most 2 s and never gives up, so a Redis restart heals by itself. */
function reconnectDelay(times: number): number {
  return Math.min(100 * 2 ** Math.min(times, 5), 2_000);
}

/**
 * ioredis options for a role. Producers (the gateway) fail fast so an HTTP request gets a 503
 * instead of hanging; workers and subscribers wait for Redis to come back (BullMQ requires
 * `maxRetriesPerRequest: null` on blocking connections).
 */
export type RoleRedisOptions = {
  connectTimeout: number;
  retryStrategy: (times: number) => number;
  maxRetriesPerRequest: number | null;
  enableOfflineQueue?: boolean;
};

/** Options that fit both ioredis and BullMQ's connection option types. */
export function redisOptionsFor(role: RedisRole): RoleRedisOptions {
  const common = { connectTimeout: 5_000, retryStrategy: reconnectDelay };
  if (role === 'producer') return { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1 };
  return { ...common, maxRetriesPerRequest: null };
}

/** `host:port/db` of a Redis URL, never its user or password: safe for logs and errors. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}:${u.port || '6379'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return '(unparseable redis url)';
  }
}

/** BullMQ connection options (BullMQ creates and owns the client), e.g. for QueueEvents. */
export function bullmqConnectionOptions(
  url: string,
  role: RedisRole,
): BullRedisOptions & RoleRedisOptions & { url: string } {
  return { url, ...redisOptionsFor(role) };
}

/** The one place Redis clients are created; connection errors are logged once per distinct message. */
export function createRedis(url: string, role: RedisRole): Redis {
  const client = new Redis(url, redisOptionsFor(role));
  const where = describeRedisUrl(url);
  let lastError = '';
  client.on('error', (err: Error) => {
    const message = err.message.replaceAll(url, where);
    if (message === lastError) return;
    lastError = message;
    log.warn('redis connection error', { redis: where, role, error: message });
  });
  client.on('ready', () => {
    if (lastError) log.info('redis connection restored', { redis: where, role });
    lastError = '';
  });
  return client;
}

/** True when an error means Redis is not reachable right now (as opposed to a bad command). */
export function isRedisUnavailableError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)
  ) {
    return true;
  }
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    /Stream isn't writeable|Connection is closed|enableOfflineQueue|Reached the max retries per request/i.test(
      err.message,
    )
  );
}

/** Resolves once the client is ready, or rejects after `timeoutMs`. */
export async function waitForRedis(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}

export type { Redis };

/** QUIT when connected (pending replies arrive first), else just drop the socket. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // fall through: the connection broke while closing
    }
  }
  client.disconnect();
}
