import { PRODUCT_VERSION } from '@dxa/contracts';
import type { Redis, WorkerRegistry } from '@dxa/queue';

export type HealthReport = {
  healthy: boolean;
  body: {
    status: 'healthy' | 'degraded';
    version: string;
    redis: 'connected' | 'disconnected';
    workers: number;
  };
};

const PING_TIMEOUT_MS = 1_000;

/** True when Redis answers a PING within a second. */
export async function redisReachable(redis: Redis): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>(
    (resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)),
  );
  const ping = redis.ping().then(
    (reply) => reply === 'PONG',
    () => false,
  );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function healthReport(redis: Redis, registry: WorkerRegistry): Promise<HealthReport> {
  const connected = await redisReachable(redis);
  const workers = connected
    ? await registry.live().then(
        (w) => w.length,
        () => 0,
      )
    : 0;
  return {
    healthy: connected,
    body: {
      status: connected ? 'healthy' : 'degraded',
      version: PRODUCT_VERSION,
      redis: connected ? 'connected' : 'disconnected',
      workers,
    },
  };
}
