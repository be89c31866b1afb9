import { spawnSync } from 'node:child_process';
import { closeRedis, createRedis, waitForRedis } from '@dxa/queue';

async function ping(url: string): Promise<boolean> {
  const redis = createRedis(url, 'producer');
  redis.on('error', () => undefined);
  try {
    await waitForRedis(redis, 2_000);
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    await closeRedis(redis);
  }
}

/** Uses the Redis at `url`, starting a local redis-server if none answers on the default port. */
export async function ensureRedis(url: string, log: (line: string) => void): Promise<void> {
  if (await ping(url)) return;
  log(`no Redis answers at ${url}; starting a local redis-server …`);
  const started = spawnSync(
    'redis-server',
    ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  if (started.error || started.status !== 0) {
    throw new Error(
      `Redis is not running at ${url} and redis-server could not be started; install Redis or set REDIS_URL`,
    );
  }
  for (let i = 0; i < 50; i++) {
    if (await ping(url)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`started redis-server but ${url} does not answer`);
}
