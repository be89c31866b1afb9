import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { jobCatalog, type JobSpec } from '@dxa/contracts';
import { createQueue, enqueueJob, KEEP_FINISHED_JOBS_SECONDS, retryBackoffFrom } from './queues.js';
import { newJobId } from './job-id.js';
import { deleteKeysUnder, TEST_REDIS_URL, testPrefix } from './test-redis.js';
import type { JobRecord } from './api.js';

const prefix = testPrefix('queues');
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });

afterAll(async () => {
  await redis.quit();
  await deleteKeysUnder(prefix);
});

const spec: JobSpec = {
  type: 'validate',
  affinity: 'blue',
  options: { file_size_mb: 128 },
  source: { connection: 'pg_main', table: 'public.orders' },
  target: { connection: 'warehouse', table: 'orders' },
  validation: { levels: ['count'] },
};

describe('queues', () => {
  it('enqueues a job on the queue of its affinity with catalog retries', async () => {
    const queue = createQueue('blue', { connection: redis, prefix });
    const record: JobRecord = {
      id: newJobId(),
      spec,
      state: 'queued',
      queue: queue.name,
      attempts: 0,
      created_at: new Date().toISOString(),
    };
    await enqueueJob(queue, record);
    expect(queue.name).toBe('exchange.blue');
    const job = await queue.getJob(record.id);
    expect(job?.name).toBe('validate');
    expect(job?.data).toEqual({ spec });
    expect(job?.opts.attempts).toBe(jobCatalog.validate.attempts);
    expect(job?.opts.backoff).toEqual({ type: 'exponential', delay: jobCatalog.validate.backoffMs });
    expect(job?.opts.removeOnComplete).toEqual({ age: KEEP_FINISHED_JOBS_SECONDS });
    expect(job?.opts.removeOnFail).toEqual({ age: KEEP_FINISHED_JOBS_SECONDS });
    expect(await redis.exists(`${prefix}:exchange.blue:${record.id}`)).toBe(1);
    expect(await queue.getWaitingCount()).toBe(1);
    await queue.close();
  });

  it('takes the first retry delay from DXA_RETRY_BACKOFF_MS when the producer sets it', async () => {
    const queue = createQueue('green', { connection: redis, prefix });
    const record: JobRecord = {
      id: newJobId(),
      spec: { ...spec, affinity: 'green' },
      state: 'queued',
      queue: queue.name,
      attempts: 0,
      created_at: new Date().toISOString(),
    };
    await enqueueJob(queue, record, { retryBackoffMs: retryBackoffFrom({ DXA_RETRY_BACKOFF_MS: '250' }) });
    expect((await queue.getJob(record.id))?.opts.backoff).toEqual({ type: 'exponential', delay: 250 });
    await queue.close();
    expect(retryBackoffFrom({})).toBeUndefined();
    expect(() => retryBackoffFrom({ DXA_RETRY_BACKOFF_MS: '0' })).toThrow(/positive whole number/);
    expect(() => retryBackoffFrom({ DXA_RETRY_BACKOFF_MS: 'soon' })).toThrow(/positive whole number/);
  });
});
