import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createLogger } from '@dxa/logger';
import { bullmqConnectionOptions, createQueue, type QueueJobData } from '@dxa/queue';
import { deleteKeysUnder, TEST_REDIS_URL } from '../test-support.js';
import { createJobEventsHub } from './job-events.js';

const prefix = `dxatest-gw-hub-${randomUUID().slice(0, 8)}`;
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });

afterAll(async () => {
  await deleteKeysUnder(redis, prefix);
  await redis.quit();
});

describe('job events hub', () => {
  it('fans one queue event stream out to every listener of a job until it unsubscribes', async () => {
    let connections = 0;
    const hub = createJobEventsHub({
      connection: () => {
        connections += 1;
        return bullmqConnectionOptions(TEST_REDIS_URL, 'subscriber');
      },
      prefix,
      logger: createLogger('hub-test', { level: 'error' }),
      redis,
    });
    const queue = createQueue('hub', { connection: redis, prefix });
    const job = await queue.add('extract', { spec: {} } as QueueJobData, { jobId: 'job-a' });
    const a: unknown[] = [];
    const b: unknown[] = [];
    const other: unknown[] = [];
    const offA = await hub.subscribe('hub', 'job-a', {
      progress: (d) => a.push(d),
      changed: () => undefined,
    });
    const offB = await hub.subscribe('hub', 'job-a', {
      progress: (d) => b.push(d),
      changed: () => undefined,
    });
    const offOther = await hub.subscribe('hub', 'job-b', {
      progress: (d) => other.push(d),
      changed: () => undefined,
    });
    expect(connections).toBe(1); // one QueueEvents for the queue, shared

    await job.updateProgress({ rows: 1 });
    while (a.length < 1 || b.length < 1) await new Promise((r) => setTimeout(r, 10));
    offA();
    await job.updateProgress({ rows: 2 });
    while (b.length < 2) await new Promise((r) => setTimeout(r, 10));

    expect(a).toEqual([{ rows: 1 }]);
    expect(b).toEqual([{ rows: 1 }, { rows: 2 }]);
    expect(other).toEqual([]);
    offB();
    offOther();
    await hub.close();
    await queue.close();
  });
});
