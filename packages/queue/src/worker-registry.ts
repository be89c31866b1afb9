import type { Redis } from 'ioredis';
import { WorkerInfo } from '@dxa/contracts';
import type { WorkerRegistry } from './api.js';

/** A worker that missed a few heartbeats is gone. */
export const WORKER_TTL_SECONDS = 15;

export function createWorkerRegistry(redis: Redis, prefix: string): WorkerRegistry {
  const keyOf = (id: string): string => `${prefix}:worker:${id}`;
  const setKey = `${prefix}:workers`;
  return {
    async heartbeat(info) {
      await redis
        .multi()
        .set(keyOf(info.id), JSON.stringify(info), 'EX', WORKER_TTL_SECONDS)
        .sadd(setKey, info.id)
        .exec();
    },
    async unregister(id) {
      await redis.multi().del(keyOf(id)).srem(setKey, id).exec();
    },
    async live() {
      const ids = (await redis.smembers(setKey)).sort();
      if (ids.length === 0) return [];
      const values = await redis.mget(ids.map(keyOf));
      const live: WorkerInfo[] = [];
      const expired: string[] = [];
      values.forEach((raw, i) => {
        const parsed = raw === null ? undefined : WorkerInfo.safeParse(safeJson(raw));
        if (parsed?.success) live.push(parsed.data);
        else if (raw === null) expired.push(ids[i]!);
      });
      if (expired.length > 0) await redis.srem(setKey, ...expired);
      return live;
    },
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
